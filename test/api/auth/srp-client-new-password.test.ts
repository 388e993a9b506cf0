// NEW_PASSWORD_REQUIRED with the real amazon-cognito-identity-js client: newPasswordRequired after
// AdminCreateUser, then completeNewPasswordChallenge. (Apart from srp-client.test.ts so that each
// file's real-client SRP work stays well inside the per-file time limit on a busy machine.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pkg from 'amazon-cognito-identity-js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, errorOf, makeClient, makePool, makeUser, srpSignIn } from './support.js';

const NEW_PASSWORD = 'Br4nd-New-Pass!';

function completeNewPassword(user: pkg.CognitoUser, password: string, attributes: Record<string, string>) {
  return new Promise<pkg.CognitoUserSession>((resolve, reject) =>
    user.completeNewPasswordChallenge(password, attributes, { onSuccess: resolve, onFailure: reject }),
  );
}

for (const engine of engines) {
  describe(`newPasswordRequired with amazon-cognito-identity-js (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('a user made by AdminCreateUser gets newPasswordRequired, completes it, and signs in with the new password', async () => {
      const poolWithName = await makePool(s, {
        Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true, Required: true }],
      });
      const c = (await makeClient(s, poolWithName)).id;
      await makeUser(s, poolWithName, 'newbie', { permanent: false, attributes: { email: 'newbie@example.com', name: 'N' } });
      const r = await srpSignIn(s, poolWithName, c, 'newbie', PASSWORD);
      assert.equal(r.kind, 'newPassword', JSON.stringify(r));
      if (r.kind !== 'newPassword') return;
      assert.equal(r.userAttributes.email, 'newbie@example.com');
      assert.equal(r.userAttributes.sub, undefined);
      assert.deepEqual(r.requiredAttributes, []);
      const session = await completeNewPassword(r.user, NEW_PASSWORD, { name: 'Newbie Jones' });
      assert.equal(session.getIdToken().payload.name, 'Newbie Jones');
      const after = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolWithName, Username: 'newbie' }));
      assert.equal(after.UserStatus, 'CONFIRMED');
      const signIn = (pw: string) =>
        pub.send(new InitiateAuthCommand({ ClientId: c, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'newbie', PASSWORD: pw } }));
      assert.ok((await signIn(NEW_PASSWORD)).AuthenticationResult);
      assert.equal((await errorOf(signIn(PASSWORD))).name, 'NotAuthorizedException');
    });

    test('required attributes the user lacks are listed and must be given', async () => {
      const poolWithName = await makePool(s, {
        Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true, Required: true }],
      });
      const c = (await makeClient(s, poolWithName)).id;
      // An administrator may create a user without a required attribute; the challenge asks for it.
      await makeUser(s, poolWithName, 'partial', { permanent: false, attributes: { email: 'partial@example.com' } });
      const r = await srpSignIn(s, poolWithName, c, 'partial', PASSWORD);
      if (r.kind !== 'newPassword') return assert.fail(JSON.stringify(r));
      assert.deepEqual(r.requiredAttributes, ['name']);
      await assert.rejects(completeNewPassword(r.user, NEW_PASSWORD, {}), (e: { code: string }) => e.code === 'InvalidParameterException');
      // A password the policy refuses is InvalidPasswordException, and the challenge can be answered again.
      await assert.rejects(completeNewPassword(r.user, 'short', { name: 'Pat' }), (e: { code: string }) => e.code === 'InvalidPasswordException');
      const session = await completeNewPassword(r.user, NEW_PASSWORD, { name: 'Pat' });
      assert.equal(session.getIdToken().payload.name, 'Pat');
    });
  });
}
