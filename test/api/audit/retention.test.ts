// Retention: events older than TESSERA_AUDIT_RETENTION_DAYS go at the next purge, younger ones
// stay; the server's clock is moved by hand.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminListUserAuthEventsCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, makeClient, makePool, makeUser } from '../auth/support.js';

const DAY_MS = 86_400_000;

for (const engine of engines) {
  describe(`audit retention (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    const clock = new ManualClock();

    before(async () => {
      s = await startServer({ engine, clock, env: { TESSERA_AUDIT_RETENTION_DAYS: '2' } });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('the purge deletes events older than the retention and keeps the rest', async () => {
      const poolId = await makePool(s);
      const clientId = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'old');
      const signIn = () =>
        pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'old', PASSWORD } }));
      const count = async () =>
        (await s.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'old', MaxResults: 60 }))).AuthEvents!.length;
      // Signed admin calls need the real time (SigV4 skew): the sign-ins happen in the past.
      const now = Date.now();
      const before = await count();
      clock.set(now - 3 * DAY_MS);
      await signIn();
      clock.set(now - DAY_MS);
      await signIn();
      clock.set(now);
      assert.equal(await count(), before + 2);
      assert.equal(await s.app.audit.purge(), 1);
      assert.equal(await count(), before + 1);
      clock.set(now + 2 * DAY_MS);
      assert.ok((await s.app.audit.purge()) >= 1);
      clock.set(now);
      assert.equal(await count(), 0);
    });
  });
}
