// PostConfirmation: ConfirmSignUp and AdminConfirmSignUp send PostConfirmation_ConfirmSignUp with
// the confirmed user's attributes; a failing function answers with its error while the
// confirmation stays committed (Cognito keeps the user confirmed).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminConfirmSignUpCommand, ConfirmSignUpCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { PASSWORD, attrs, email, errorOf, lambdaConfig, makeClient, makePool, startTriggerWorld, userOf, type TriggerWorld } from './support.js';

const codeIn = (body: string) => /(\d{6})/.exec(body)![1];

for (const engine of engines) {
  describe(`PostConfirmation (${engine})`, () => {
    let w: TriggerWorld;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let fail = false;
    before(async () => {
      w = await startTriggerWorld(engine);
      pub = publicClient(w.s.url);
      w.lambda.handlers.postConfirmation = (e) => {
        if (fail) throw new Error('CRM is down');
        return e;
      };
      poolId = await makePool(w.s, { LambdaConfig: lambdaConfig({ PostConfirmation: 'postConfirmation' }) });
      clientId = (await makeClient(w.s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await w.close();
    });

    async function signUp(username: string) {
      const to = email();
      const r = await pub.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: attrs({ email: to }) }));
      const [m] = await w.s.app.store.outbox.list(to);
      return { sub: r.UserSub!, to, code: codeIn(m.body) };
    }

    test('ConfirmSignUp: PostConfirmation_ConfirmSignUp with the CONFIRMED user, its verified e-mail and ClientMetadata', async () => {
      fail = false;
      const u = await signUp('alice');
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: u.code, ClientMetadata: { k: 'v' } }));
      assert.deepEqual(w.lambda.events('postConfirmation').at(-1), {
        version: '1',
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: { userAttributes: { sub: u.sub, email: u.to, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' }, clientMetadata: { k: 'v' } },
        response: {},
      });
    });

    test('a failing function: UserLambdaValidationException, and the user is confirmed all the same', async () => {
      fail = true;
      const u = await signUp('bob');
      const e = await errorOf(pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'bob', ConfirmationCode: u.code })));
      assert.deepEqual(e, { name: 'UserLambdaValidationException', message: 'PostConfirmation failed with error CRM is down.' });
      assert.equal((await userOf(w.s, poolId, 'bob')).status, 'CONFIRMED');
    });

    test('AdminConfirmSignUp sends it too, without a client', async () => {
      fail = false;
      await signUp('carol');
      await w.s.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'carol', ClientMetadata: { by: 'ops' } }));
      const ev = w.lambda.events('postConfirmation').at(-1);
      assert.equal(ev.triggerSource, 'PostConfirmation_ConfirmSignUp');
      assert.equal(ev.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
      assert.equal(ev.request.userAttributes['cognito:user_status'], 'CONFIRMED');
      assert.deepEqual(ev.request.clientMetadata, { by: 'ops' });
    });
  });
}
