// USER_SRP_AUTH driven by the real amazon-cognito-identity-js client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines, startServer, type TestServer } from '../../support/server.js';
import pkg from 'amazon-cognito-identity-js';
import { PASSWORD, WRONG, makeClient, makePool, makeUser, srpSignIn } from './support.js';

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
