// USER_SRP_AUTH driven by the real amazon-cognito-identity-js client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, WRONG, makeClient, makePool, makeUser, srpSignIn } from './support.js';

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
  });
}
