// Sign-up codes through the real SDK: expiry (moved with a ManualClock), single use, attempt
// limit, replacement by ResendConfirmationCode, and SECRET_HASH on the public operations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, email, lastCode, outboxFor, poolAndClient, rejectsWith, secretHashOf } from './support.js';

const HOUR = 60 * 60 * 1000;

for (const engine of engines) {
  describe(`verification codes (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    let clock: ManualClock;
    let poolId: string;
    let clientId: string;
    before(async () => {
      clock = new ManualClock();
      s = await startServer({ engine, clock });
      pub = publicClient(s.url);
      ({ poolId, clientId } = await poolAndClient(s));
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    /** Signs a user up and returns its address and code. */
    async function signedUp(Username: string) {
      const to = email();
      await pub.send(new SignUpCommand({ ClientId: clientId, Username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
      return { to, code: await lastCode(s, to) };
    }
    const confirm = (Username: string, ConfirmationCode: string, ClientId = clientId) =>
      pub.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode }));
    const status = async (Username: string) => (await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }))).UserStatus;
    const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    /** Resends a code; the clock ticks first so the outbox can tell the new message from the old. */
    const resend = (Username: string, ClientId = clientId, SecretHash?: string) => {
      clock.advance(1000);
      return pub.send(new ResendConfirmationCodeCommand({ ClientId, Username, SecretHash }));
    };

    test('codes are six digits and differ between users', async () => {
      const a = await signedUp('digits-a');
      const b = await signedUp('digits-b');
      assert.match(a.code, /^\d{6}$/);
      assert.match(b.code, /^\d{6}$/);
      assert.notEqual(a.code + a.to, b.code + b.to);
    });

    test('a sign-up code expires after 24 hours', async () => {
      const { code } = await signedUp('late');
      clock.advance(24 * HOUR + 1000);
      try {
        await rejectsWith(confirm('late', code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
      } finally {
        clock.advance(-(24 * HOUR + 1000)); // SigV4 checks the clock too
      }
      assert.equal(await status('late'), 'UNCONFIRMED');
    });

    test('a code still works just before it expires', async () => {
      const { code } = await signedUp('just-in-time');
      clock.advance(24 * HOUR - 60_000);
      try {
        await confirm('just-in-time', code);
      } finally {
        clock.advance(-(24 * HOUR - 60_000));
      }
      assert.equal(await status('just-in-time'), 'CONFIRMED');
    });

    test('a wrong code is CodeMismatchException and leaves the user unconfirmed', async () => {
      const { code } = await signedUp('mistyped');
      await rejectsWith(confirm('mistyped', wrong(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
      assert.equal(await status('mistyped'), 'UNCONFIRMED');
      await confirm('mistyped', code);
      assert.equal(await status('mistyped'), 'CONFIRMED');
    });

    test('after five wrong codes the code is dead, even the right one', async () => {
      const { to, code } = await signedUp('guesser');
      for (let i = 0; i < 5; i++) await rejectsWith(confirm('guesser', wrong(code)), 'CodeMismatchException');
      await rejectsWith(confirm('guesser', code), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
      assert.equal(await status('guesser'), 'UNCONFIRMED');
      // A new code starts a new count.
      await resend('guesser');
      await confirm('guesser', await lastCode(s, to));
      assert.equal(await status('guesser'), 'CONFIRMED');
    });

    test('parallel guesses cannot exceed the attempt limit', async () => {
      const { code } = await signedUp('parallel');
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => confirm('parallel', wrong(code))));
      const names = results.map((r) => (r as PromiseRejectedResult).reason.name);
      assert.equal(names.filter((n) => n === 'CodeMismatchException').length, 5);
      assert.equal(names.filter((n) => n === 'LimitExceededException').length, 7);
      await rejectsWith(confirm('parallel', code), 'LimitExceededException');
    });

    test('a code is single use: of concurrent confirmations with it exactly one succeeds', async () => {
      const { code } = await signedUp('once');
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => confirm('once', code)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) {
        // Every attempt counts before the comparison (so parallel guesses stay bounded): the
        // sixth simultaneous one may meet the attempt limit instead of the used code.
        if (r.status === 'rejected') {
          assert.match(r.reason.name, /^(CodeMismatchException|ExpiredCodeException|NotAuthorizedException|LimitExceededException)$/);
        }
      }
      assert.equal(await status('once'), 'CONFIRMED');
    });

    test('ResendConfirmationCode replaces the code: the old one stops working', async () => {
      const { to, code: first } = await signedUp('resender');
      const r = await resend('resender');
      assert.deepEqual(r.CodeDeliveryDetails, { Destination: `${to[0]}***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const second = await lastCode(s, to);
      assert.equal((await outboxFor(s, to)).length, 2);
      if (second !== first) await rejectsWith(confirm('resender', first), 'CodeMismatchException');
      await confirm('resender', second);
      assert.equal(await status('resender'), 'CONFIRMED');
      await rejectsWith(confirm('resender', second), 'NotAuthorizedException', /Current status is CONFIRMED/);
      await rejectsWith(pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'resender' })), 'InvalidParameterException', 'User is already confirmed.');
    });

    test('ResendConfirmationCode: unknown users, hidden existence, and pools that verify nothing', async () => {
      await rejectsWith(
        pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'ghost' })),
        'UserNotFoundException',
        'Username/client id combination not found.',
      );
      const hidden = await poolAndClient(s, {}, { PreventUserExistenceErrors: 'ENABLED' });
      const r = await pub.send(new ResendConfirmationCodeCommand({ ClientId: hidden.clientId, Username: 'ghost' }));
      assert.equal(r.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      assert.match(r.CodeDeliveryDetails!.Destination!, /^.\*\*\*@.\*\*\*$/);
      const none = await poolAndClient(s, { AutoVerifiedAttributes: [] });
      await rejectsWith(
        pub.send(new ResendConfirmationCodeCommand({ ClientId: none.clientId, Username: 'ghost' })),
        'InvalidParameterException',
        'Cannot resend codes. Auto verification not turned on.',
      );
    });

    test('a client with a secret needs the right SECRET_HASH on SignUp, ConfirmSignUp and ResendConfirmationCode', async () => {
      const p = await poolAndClient(s, {}, { GenerateSecret: true });
      assert.ok(p.secret);
      const to = email();
      const input = { ClientId: p.clientId, Username: 'hashed', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] };
      await rejectsWith(pub.send(new SignUpCommand(input)), 'NotAuthorizedException', `Client ${p.clientId} is configured with secret but SECRET_HASH was not received`);
      await rejectsWith(
        pub.send(new SignUpCommand({ ...input, SecretHash: secretHashOf(p.secret!, 'other', p.clientId) })),
        'NotAuthorizedException',
        `Unable to verify secret hash for client ${p.clientId}`,
      );
      await rejectsWith(pub.send(new SignUpCommand({ ...input, SecretHash: secretHashOf('wrong-secret', 'hashed', p.clientId) })), 'NotAuthorizedException');
      const SecretHash = secretHashOf(p.secret!, 'hashed', p.clientId);
      await pub.send(new SignUpCommand({ ...input, SecretHash }));
      await rejectsWith(resend('hashed', p.clientId), 'NotAuthorizedException');
      await resend('hashed', p.clientId, SecretHash);
      const code = await lastCode(s, to);
      await rejectsWith(pub.send(new ConfirmSignUpCommand({ ClientId: p.clientId, Username: 'hashed', ConfirmationCode: code })), 'NotAuthorizedException');
      await pub.send(new ConfirmSignUpCommand({ ClientId: p.clientId, Username: 'hashed', ConfirmationCode: code, SecretHash }));
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: 'hashed' }));
      assert.equal(u.UserStatus, 'CONFIRMED');
    });

    test('codes are stored hashed, never in clear', async () => {
      const { code } = await signedUp('stored');
      const user = await s.app.users.get(await s.app.pools.get(poolId), 'stored');
      const row = await s.app.store.codes.get(user.id, 'signup');
      assert.ok(row);
      assert.ok(!row.code_hash.includes(code));
      assert.ok(!row.data.includes(code));
      assert.match(row.code_hash, /^[0-9a-f]{64}$/);
    });
  });
}
