// ChangePassword through the SDK: the previous password checked (and counted by the sign-in
// lockout), the new one checked against the policy and the pool's password history.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChangePasswordCommand, GetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { NEW_PASSWORD, PASSWORD, failure, makeClient, makePool, makeUser, signIn, signInPublic } from './support.js';

const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const LOCKED = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };

for (const engine of engines) {
  describe(`ChangePassword (${engine})`, () => {
    let s: TestServer;
    let api: CognitoIdentityProviderClient;
    let clock: ManualClock;
    let poolId: string;
    let clientId: string;
    before(async () => {
      clock = new ManualClock();
      s = await startServer({ engine, clock });
      api = publicClient(s.url);
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId)).id;
    });
    after(async () => {
      api.destroy();
      await s.close();
    });

    let n = 0;
    async function signedIn(pool = poolId, client = clientId) {
      const username = await makeUser(s, pool, `user${++n}`);
      return { username, token: (await signIn(s, pool, client, username)).AccessToken };
    }
    const change = (AccessToken: string, PreviousPassword: string | undefined, ProposedPassword: string) =>
      api.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword }));

    test('the new password signs in, the old one no longer does, and the session goes on', async () => {
      const u = await signedIn();
      await change(u.token, PASSWORD, NEW_PASSWORD);
      assert.deepEqual(await failure(signInPublic(s, clientId, u.username, PASSWORD)), INCORRECT);
      await signInPublic(s, clientId, u.username, NEW_PASSWORD);
      assert.equal((await api.send(new GetUserCommand({ AccessToken: u.token }))).Username, u.username);
    });

    test('a wrong previous password is refused and changes nothing', async () => {
      const u = await signedIn();
      assert.deepEqual(await failure(change(u.token, 'Not-the-passw0rd', NEW_PASSWORD)), INCORRECT);
      await signInPublic(s, clientId, u.username, PASSWORD);
      assert.equal((await failure(change(u.token, undefined, NEW_PASSWORD))).name, 'InvalidParameterException');
    });

    test('wrong previous passwords count toward the sign-in lockout, which then refuses even the right one', async () => {
      const u = await signedIn();
      for (let i = 0; i < s.app.auth.limits.failuresBeforeLock; i++) {
        assert.deepEqual(await failure(change(u.token, `Wr0ng-${i}!`, NEW_PASSWORD)), INCORRECT);
      }
      assert.deepEqual(await failure(change(u.token, PASSWORD, NEW_PASSWORD)), LOCKED);
      assert.deepEqual(await failure(signInPublic(s, clientId, u.username, PASSWORD)), LOCKED);
      // The lock passes with time; the right password then works and clears the count.
      clock.advance(2000);
      await change(u.token, PASSWORD, NEW_PASSWORD);
      await signInPublic(s, clientId, u.username, NEW_PASSWORD);
    });

    test("the proposed password must meet the pool's policy", async () => {
      const u = await signedIn();
      assert.deepEqual(await failure(change(u.token, PASSWORD, 'lowercase-only1')), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with policy: Password must have uppercase characters',
      });
      assert.deepEqual(await failure(change(u.token, PASSWORD, 'Sh0rt!')), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with policy: Password not long enough',
      });
      await signInPublic(s, clientId, u.username, PASSWORD);
    });

    test('with PasswordHistorySize 3 none of the last three passwords may come back', async () => {
      const pool = await makePool(s, {
        Policies: { PasswordPolicy: { MinimumLength: 8, RequireNumbers: true, PasswordHistorySize: 3 } },
      });
      const client = (await makeClient(s, pool)).id;
      const u = await signedIn(pool, client);
      const [a, b, c, d] = [PASSWORD, 'second-pw1', 'third-pw1', 'fourth-pw1'];
      const reused = { name: 'PasswordHistoryPolicyViolationException' };
      const refusedName = async (p: Promise<unknown>) => ({ name: (await failure(p)).name });

      assert.deepEqual(await refusedName(change(u.token, a, a)), reused);
      await change(u.token, a, b);
      assert.deepEqual(await refusedName(change(u.token, b, a)), reused);
      await change(u.token, b, c);
      await change(u.token, c, d);
      // Last three: d (current), c, b.
      assert.deepEqual(await refusedName(change(u.token, d, b)), reused);
      assert.deepEqual(await refusedName(change(u.token, d, c)), reused);
      await change(u.token, d, a);
      await signInPublic(s, client, u.username, a);
    });
  });
}
