// Lockout after repeated wrong passwords (per user, growing, released by time and cleared by a
// success) and the per-address limit on failed sign-ins, with the server's clock moved by hand.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InitiateAuthCommand, RespondToAuthChallengeCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser, srpClient, srpSdkSignIn } from './support.js';

const LOCKED = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

for (const engine of engines) {
  describe(`lockout (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    const clock = new ManualClock();
    let poolId: string;
    let clientId: string;
    const signIn = (USERNAME: string, pw: string) =>
      pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: pw } }));

    before(async () => {
      s = await startServer({ engine, clock });
      pub = publicClient(s.url);
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('five wrong passwords lock the user, even for the right one, until time passes; the lock doubles', async () => {
      await makeUser(s, poolId, 'locky');
      for (let i = 0; i < 5; i++) assert.deepEqual(await errorOf(signIn('locky', WRONG)), INCORRECT);
      assert.deepEqual(await errorOf(signIn('locky', PASSWORD)), LOCKED);
      clock.advance(1000);
      assert.deepEqual(await errorOf(signIn('locky', WRONG)), INCORRECT);
      // Six failures: locked for 2 s now.
      clock.advance(1000);
      assert.deepEqual(await errorOf(signIn('locky', PASSWORD)), LOCKED);
      clock.advance(1000);
      assert.ok((await signIn('locky', PASSWORD)).AuthenticationResult);
      // A success cleared the count: one more failure does not lock.
      assert.deepEqual(await errorOf(signIn('locky', WRONG)), INCORRECT);
      assert.ok((await signIn('locky', PASSWORD)).AuthenticationResult);
    });

    test('the lock also holds for SRP sign-ins, and SRP failures count towards it', async () => {
      await makeUser(s, poolId, 'srplock');
      for (let i = 0; i < 4; i++) assert.deepEqual(await errorOf(signIn('srplock', WRONG)), INCORRECT);
      const srp = (pw: string) => srpSdkSignIn(pub, poolId, clientId, 'srplock', pw, clock.now());
      assert.deepEqual(await errorOf(srp(WRONG)), INCORRECT);
      assert.deepEqual(await errorOf(srp(PASSWORD)), LOCKED);
      clock.advance(1000);
      assert.ok((await srp(PASSWORD)).AuthenticationResult);
    });

    test('an SRP answer that met a lock, replayed after it: the same refusal for a known and an unknown name', async () => {
      await makeUser(s, poolId, 'replayer');
      const outcome = async (name: string) => {
        const srp = srpClient(poolId);
        const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: name, SRP_A: srp.SRP_A } }));
        for (let i = 0; i < 5; i++) assert.deepEqual(await errorOf(signIn(name, WRONG)), INCORRECT);
        const answer = () =>
          pub.send(
            new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: srp.answer(r.ChallengeParameters!, WRONG, clock.now()), Session: r.Session }),
          );
        const locked = await errorOf(answer());
        clock.advance(1000);
        return [locked, await errorOf(answer())];
      };
      const known = await outcome('replayer');
      assert.deepEqual(known[0], LOCKED);
      assert.deepEqual(known[1], { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
      assert.deepEqual(await outcome('nobody-here'), known);
    });

    test('unknown names lock like known ones (PreventUserExistenceErrors ENABLED)', async () => {
      for (let i = 0; i < 5; i++) assert.deepEqual(await errorOf(signIn('phantom', WRONG)), INCORRECT);
      assert.deepEqual(await errorOf(signIn('phantom', WRONG)), LOCKED);
    });

    test('too many failures from one address are TooManyRequestsException until the window passes', async () => {
      const saved = { ...s.app.auth.limits };
      s.app.auth.limits.ipFailures = 8;
      const otherPool = await makePool(s);
      const c = (await makeClient(s, otherPool)).id;
      await makeUser(s, otherPool, 'victim');
      const tryIt = (USERNAME: string, pw: string) =>
        pub.send(new InitiateAuthCommand({ ClientId: c, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: pw } }));
      try {
        for (let i = 0; i < 8; i++) assert.deepEqual(await errorOf(tryIt(`spray${i}`, WRONG)), INCORRECT);
        const e = await errorOf(tryIt('victim', PASSWORD));
        assert.equal(e.name, 'TooManyRequestsException');
        clock.advance(s.app.auth.limits.ipWindowMs);
        assert.ok((await tryIt('victim', PASSWORD)).AuthenticationResult);
      } finally {
        Object.assign(s.app.auth.limits, saved);
      }
    });
  });
}
