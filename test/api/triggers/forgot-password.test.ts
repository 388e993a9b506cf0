// ForgotPassword and ConfirmForgotPassword with triggers: UserMigration_ForgotPassword brings an
// unknown user in (RESET_REQUIRED) and the reset code goes out; ConfirmForgotPassword sends
// PostConfirmation_ConfirmForgotPassword, whose failure leaves the new password in place.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfirmForgotPasswordCommand, ForgotPasswordCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { errorOf, lambdaConfig, makeClient, makePool, startTriggerWorld, userOf, usernames, type TriggerWorld } from './support.js';

const codeIn = (body: string) => /(\d{6})/.exec(body)![1];

for (const engine of engines) {
  describe(`ForgotPassword with UserMigration and PostConfirmation (${engine})`, () => {
    let w: TriggerWorld;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let failPost = false;
    before(async () => {
      w = await startTriggerWorld(engine);
      pub = publicClient(w.s.url);
      w.lambda.handlers.migrate = (e) =>
        e.userName.startsWith('old')
          ? { ...e, response: { ...e.response, userAttributes: { email: `${e.userName}@example.com`, email_verified: 'true' }, finalUserStatus: 'RESET_REQUIRED' } }
          : e;
      w.lambda.handlers.post = (e) => {
        if (failPost) throw new Error('welcome mail failed');
        return e;
      };
      poolId = await makePool(w.s, { LambdaConfig: lambdaConfig({ UserMigration: 'migrate', PostConfirmation: 'post' }) });
      clientId = (await makeClient(w.s, poolId, { PreventUserExistenceErrors: 'LEGACY' })).id;
    });
    after(async () => {
      pub.destroy();
      await w.close();
    });

    async function resetVia(username: string, password: string) {
      await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username, ClientMetadata: { app: 'web' } }));
      const [m] = await w.s.app.store.outbox.list(`${username}@example.com`);
      return pub.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: codeIn(m.body), Password: password, ClientMetadata: { step: 'confirm' } }));
    }

    test('an unknown name: UserMigration_ForgotPassword, a RESET_REQUIRED user, the code; confirming sends PostConfirmation_ConfirmForgotPassword', async () => {
      failPost = false;
      await resetVia('olduser', 'N3w-Passw0rd!');
      const [m] = w.lambda.events('migrate');
      assert.equal(m.triggerSource, 'UserMigration_ForgotPassword');
      assert.deepEqual(m.request, { password: '', clientMetadata: { app: 'web' } });
      const post = w.lambda.events('post').at(-1);
      assert.equal(post.triggerSource, 'PostConfirmation_ConfirmForgotPassword');
      assert.equal(post.userName, 'olduser');
      assert.equal(post.request.userAttributes['cognito:user_status'], 'CONFIRMED');
      assert.deepEqual(post.request.clientMetadata, { step: 'confirm' });
      assert.equal((await userOf(w.s, poolId, 'olduser')).status, 'CONFIRMED');
      const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'olduser', PASSWORD: 'N3w-Passw0rd!' } }));
      assert.ok(r.AuthenticationResult?.AccessToken);
    });

    test('a name the old directory does not know either: UserNotFoundException and no user', async () => {
      const e = await errorOf(pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'stranger' })));
      assert.equal(e.name, 'UserNotFoundException');
      assert.ok(!(await usernames(w.s, poolId)).includes('stranger'));
    });

    test('PostConfirmation failing after ConfirmForgotPassword: its error, and the new password works', async () => {
      failPost = true;
      const e = await errorOf(resetVia('oldtimer', 'An0ther-Passw0rd!'));
      assert.deepEqual(e, { name: 'UserLambdaValidationException', message: 'PostConfirmation failed with error welcome mail failed.' });
      const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'oldtimer', PASSWORD: 'An0ther-Passw0rd!' } }));
      assert.ok(r.AuthenticationResult?.AccessToken);
    });
  });
}
