// A hosted sign-up that the PreSignUp function confirms (autoConfirmUser), over plain HTTP on both
// engines: no code is asked for; PostConfirmation runs once and the sign-in follows at once, ending
// with a code on the redirect URI. When PostConfirmation fails the account still exists and works,
// so the page sends the browser to the sign-in page instead of showing the form again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines } from '../support/server.js';
import { lambdaConfig, startTriggerWorld, type TriggerWorld } from '../api/triggers/support.js';
import { CALLBACK, PASSWORD, cookiesOf, get, hiddenField, postForm, seedOAuthPool, seedWebClient, type OAuthSetup } from './support.js';

for (const engine of engines) {
  describe(`hosted sign-up confirmed by PreSignUp (${engine})`, () => {
    let w: TriggerWorld;
    let o: OAuthSetup;
    let clientId: string;
    let failPostConfirmation = false;
    before(async () => {
      w = await startTriggerWorld(engine);
      w.lambda.handlers.preSignUp = (e) => {
        if (e.userName === 'taken' && e.triggerSource === 'PreSignUp_SignUp') throw new Error('That name is spoken for');
        return { ...e, response: { ...e.response, autoConfirmUser: true, autoVerifyEmail: true } };
      };
      w.lambda.handlers.postConfirmation = (e) => {
        if (failPostConfirmation) throw new Error('CRM is down');
        return e;
      };
      o = await seedOAuthPool(w.s, { AutoVerifiedAttributes: ['email'] });
      await w.s.idp.send(
        new UpdateUserPoolCommand({ UserPoolId: o.poolId, AutoVerifiedAttributes: ['email'], LambdaConfig: lambdaConfig({ PreSignUp: 'preSignUp', PostConfirmation: 'postConfirmation' }) }),
      );
      clientId = (await seedWebClient(w.s, o.poolId)).clientId;
    });
    after(() => w.close());

    async function hostedSignUp(username: string) {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' });
      const page = await get(`${o.base}/signup?${q}`);
      return postForm(`${o.base}/signup?${q}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username, email: `${username}@example.com`, password: PASSWORD }, { cookie: cookiesOf(page) });
    }

    test('no code is asked for: PostConfirmation runs once and the sign-in ends with a code on the redirect URI', async () => {
      const before = w.lambda.events('postConfirmation').length;
      const res = await hostedSignUp('instant');
      assert.equal(res.status, 302, (await res.clone().text()).slice(0, 300));
      assert.match(res.headers.get('location') ?? '', /^http:\/\/localhost:5999\/callback\?code=/);
      const posts = w.lambda.events('postConfirmation').slice(before);
      assert.deepEqual(posts.map((e) => `${e.triggerSource}:${e.userName}`), ['PostConfirmation_ConfirmSignUp:instant']);
    });

    test("a PreSignUp refusal of a name someone already has shows the function's message (not the sign-in page)", async () => {
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: o.poolId, Username: 'taken', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'taken@example.com' }] }));
      await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: o.poolId, Username: 'taken', Password: PASSWORD, Permanent: true }));
      const res = await hostedSignUp('taken');
      assert.notEqual(res.status, 302, res.headers.get('location') ?? '');
      assert.match(await res.text(), /That name is spoken for/);
    });

    test('PostConfirmation failing: the account exists, the browser goes to the sign-in page', async () => {
      failPostConfirmation = true;
      try {
        const res = await hostedSignUp('provisional');
        assert.equal(res.status, 302);
        assert.match(res.headers.get('location') ?? '', /\/login\?.*notice=confirmed/);
      } finally {
        failPostConfirmation = false;
      }
    });
  });
}
