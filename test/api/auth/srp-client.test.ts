// USER_SRP_AUTH driven by the real amazon-cognito-identity-js client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import pkg from 'amazon-cognito-identity-js';
import { PASSWORD, WRONG, makeClient, makePool, makeUser, srpSignIn } from './support.js';

const NEW_PASSWORD = 'Br4nd-New-Pass!';

function completeNewPassword(user: pkg.CognitoUser, password: string, attributes: Record<string, string>) {
  return new Promise<pkg.CognitoUserSession>((resolve, reject) =>
    user.completeNewPasswordChallenge(password, attributes, { onSuccess: resolve, onFailure: reject }),
  );
}

function refreshSession(user: pkg.CognitoUser, token: pkg.CognitoRefreshToken) {
  return new Promise<pkg.CognitoUserSession>((resolve, reject) =>
    user.refreshSession(token, (err: Error | null, session: pkg.CognitoUserSession) => (err ? reject(err) : resolve(session))),
  );
}

for (const engine of engines) {
  describe(`SRP sign-in with amazon-cognito-identity-js (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startServer({ engine });
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId)).id;
    });
    after(() => s.close());

    test('the right password signs in and gives tokens for that user', async () => {
      await makeUser(s, poolId, 'jane');
      const r = await srpSignIn(s, poolId, clientId, 'jane', PASSWORD);
      assert.equal(r.kind, 'success', JSON.stringify(r));
      if (r.kind !== 'success') return;
      assert.equal(r.session.getIdToken().payload['cognito:username'], 'jane');
      assert.equal(r.session.getAccessToken().payload.client_id, clientId);
      assert.ok(r.session.getRefreshToken().getToken());
      assert.ok(r.session.isValid());
    });

    test('a wrong password is NotAuthorizedException "Incorrect username or password."', async () => {
      await makeUser(s, poolId, 'wrongpw');
      const r = await srpSignIn(s, poolId, clientId, 'wrongpw', WRONG);
      assert.deepEqual(r, { kind: 'failure', code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
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
      assert.equal((await srpSignIn(s, poolWithName, c, 'newbie', NEW_PASSWORD)).kind, 'success');
      assert.equal((await srpSignIn(s, poolWithName, c, 'newbie', PASSWORD)).kind, 'failure');
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

    test('signing in with the e-mail of an e-mail-as-username pool: USER_ID_FOR_SRP is the UUID username', async () => {
      const emailPool = await makePool(s, { UsernameAttributes: ['email'] });
      const c = (await makeClient(s, emailPool)).id;
      const canonical = await makeUser(s, emailPool, 'Mia@Example.com', { attributes: { email: 'Mia@Example.com' } });
      assert.match(canonical, /^[0-9a-f-]{36}$/);
      const r = await srpSignIn(s, emailPool, c, 'mia@example.com', PASSWORD);
      assert.equal(r.kind, 'success', JSON.stringify(r));
      if (r.kind !== 'success') return;
      // The client switched its username to USER_ID_FOR_SRP, and the tokens name the same user.
      assert.equal(r.user.getUsername(), canonical);
      assert.equal(r.session.getIdToken().payload['cognito:username'], canonical);
      assert.equal(r.session.getIdToken().payload.email, 'Mia@Example.com');
    });

    test('refreshSession gives new tokens for the same sign-in', async () => {
      await makeUser(s, poolId, 'refresher');
      const r = await srpSignIn(s, poolId, clientId, 'refresher', PASSWORD);
      if (r.kind !== 'success') return assert.fail(JSON.stringify(r));
      const refreshed = await refreshSession(r.user, r.session.getRefreshToken());
      assert.notEqual(refreshed.getAccessToken().getJwtToken(), r.session.getAccessToken().getJwtToken());
      assert.equal(refreshed.getAccessToken().payload.origin_jti, r.session.getAccessToken().payload.origin_jti);
      assert.equal(refreshed.getRefreshToken().getToken(), r.session.getRefreshToken().getToken());
    });
  });
}
