// Triggers on the hosted UI's sign-in form (over HTTP, as a browser posts it): UserMigration for
// an unknown name, PreAuthentication (a refusal shows its message on the form, also for the
// sign-in that follows a hosted sign-up's confirmation), and
// PostAuthentication + PreTokenGeneration with the TokenGeneration_HostedAuth source, which run
// when the code is exchanged for tokens (a refusal there is invalid_request with its message).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines } from '../../support/server.js';
import { CALLBACK, PASSWORD, cookiesOf, formAction, get, hiddenField, postForm, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from '../../oauth/support.js';
import { arnOf } from './lambda-server.js';
import { startTriggerWorld, userOf, type TriggerWorld } from './support.js';

/** GET authorize up to the login form, then post the credentials: the final response. */
async function signIn(o: OAuthSetup, clientId: string, username: string, password: string) {
  let cookies = '';
  let url = `${o.base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, state: 's', scope: 'openid' })}`;
  let res = await get(url);
  for (let i = 0; i < 5 && res.status === 302; i++) {
    cookies = cookiesOf(res, cookies);
    url = new URL(res.headers.get('location')!, url).toString();
    res = await get(url, { headers: { cookie: cookies } });
  }
  cookies = cookiesOf(res, cookies);
  const html = await res.text();
  const posted = await postForm(formAction(html, url), { _csrf: hiddenField(html, '_csrf')!, username, password }, { cookie: cookies });
  return { res: posted, html: posted.status === 302 ? '' : await posted.text() };
}

for (const engine of engines) {
  describe(`triggers on the hosted UI sign-in (${engine})`, () => {
    let w: TriggerWorld;
    let o: OAuthSetup;
    let clientId: string;
    let refuse = false;
    before(async () => {
      w = await startTriggerWorld(engine);
      Object.assign(w.lambda.handlers, {
        pre: (e: any) => {
          if (refuse) throw new Error('Closed for maintenance');
          return e;
        },
        post: (e: any) => e,
        ptg: (e: any) => e,
        migrate: (e: any) =>
          e.userName === 'legacy' && e.request.password === 'Legacy-Passw0rd!'
            ? { ...e, response: { ...e.response, userAttributes: { email: 'legacy@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED' } }
            : e,
      });
      o = await seedOAuthPool(w.s);
      await w.s.idp.send(
        new UpdateUserPoolCommand({
          UserPoolId: o.poolId,
          LambdaConfig: { PreAuthentication: arnOf('pre'), PostAuthentication: arnOf('post'), PreTokenGeneration: arnOf('ptg'), UserMigration: arnOf('migrate') },
          AutoVerifiedAttributes: ['email'],
        }),
      );
      clientId = (await seedWebClient(w.s, o.poolId)).clientId;
      await seedUser(w.s, o.poolId, 'alice', { email: 'alice@example.com', email_verified: 'true' });
    });
    after(() => w.close());

    test('a sign-in on the form runs PreAuthentication, PostAuthentication and PreTokenGeneration (TokenGeneration_HostedAuth)', async () => {
      w.lambda.reset();
      const r = await signIn(o, clientId, 'alice', PASSWORD);
      assert.equal(r.res.status, 302);
      const callback = new URL(r.res.headers.get('location')!);
      assert.equal(callback.origin + callback.pathname, CALLBACK);
      assert.equal(w.lambda.events('pre')[0].triggerSource, 'PreAuthentication_Authentication');
      const exchange = () => postForm(`${o.base}/oauth2/token`, { grant_type: 'authorization_code', client_id: clientId, code: callback.searchParams.get('code')!, redirect_uri: CALLBACK });
      const tokens = await exchange();
      assert.equal(tokens.status, 200);
      assert.equal(w.lambda.events('post')[0].triggerSource, 'PostAuthentication_Authentication');
      assert.equal(w.lambda.events('ptg')[0].triggerSource, 'TokenGeneration_HostedAuth');
    });

    test('PreTokenGeneration refusing at the code exchange: invalid_request with its message', async () => {
      const r = await signIn(o, clientId, 'alice', PASSWORD);
      const code = new URL(r.res.headers.get('location')!).searchParams.get('code')!;
      w.lambda.handlers.ptg = () => {
        throw new Error('no tokens today');
      };
      const res = await postForm(`${o.base}/oauth2/token`, { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CALLBACK });
      w.lambda.handlers.ptg = (e: any) => e;
      assert.equal(res.status, 400);
      const body = (await res.json()) as Record<string, string>;
      assert.equal(body.error, 'invalid_request');
      assert.equal(body.error_description, 'PreTokenGeneration failed with error no tokens today.');
    });

    test('an unknown name with its old password is migrated and signed in', async () => {
      const r = await signIn(o, clientId, 'legacy', 'Legacy-Passw0rd!');
      assert.equal(r.res.status, 302);
      assert.equal(w.lambda.events('migrate').at(-1).triggerSource, 'UserMigration_Authentication');
      assert.equal((await userOf(w.s, o.poolId, 'legacy')).status, 'CONFIRMED');
    });

    test('a PreAuthentication refusal is shown on the form, and no tokens are made', async () => {
      refuse = true;
      w.lambda.reset();
      const r = await signIn(o, clientId, 'alice', PASSWORD);
      refuse = false;
      assert.equal(r.res.status, 400);
      assert.match(r.html, /PreAuthentication failed with error Closed for maintenance\./);
      assert.equal(w.lambda.events('post').length, 0);
    });

    test('the sign-in after a hosted sign-up is confirmed runs PreAuthentication too: a refusal shows, no code is issued', async () => {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' });
      const page = await get(`${o.base}/signup?${q}`);
      const cookie = cookiesOf(page);
      const signed = await postForm(`${o.base}/signup?${q}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username: 'newbie', email: 'newbie@example.com', password: PASSWORD }, { cookie });
      const html = await signed.text();
      assert.equal(signed.status, 200, html.slice(0, 300));
      const [mail] = await w.s.app.store.outbox.list('newbie@example.com', 1);
      const code = /\b(\d{6})\b/.exec(mail!.body)![1]!;
      refuse = true;
      w.lambda.reset();
      const confirmed = await postForm(
        `${o.base}/confirm?${q}`,
        { _csrf: hiddenField(html, '_csrf')!, username: 'newbie', code, pending: hiddenField(html, 'pending')! },
        { cookie: cookiesOf(signed, cookie) },
      );
      refuse = false;
      assert.equal(confirmed.status, 400);
      assert.match(await confirmed.text(), /PreAuthentication failed with error Closed for maintenance\./);
      assert.equal(w.lambda.events('pre').length, 1);
      assert.equal((await userOf(w.s, o.poolId, 'newbie')).status, 'CONFIRMED');
    });
  });
}
