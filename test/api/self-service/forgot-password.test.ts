// ForgotPassword and ConfirmForgotPassword through the SDK, with e-mail going through a local SMTP
// sink: where the code goes (AccountRecoverySetting), unknown users under both
// PreventUserExistenceErrors settings, code expiry with a ManualClock and attempt limits,
// SECRET_HASH, and what a reset does to the user's sessions, status and lockout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHmac } from 'node:crypto';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { NEW_PASSWORD, PASSWORD, email, failure, lastCode, makeClient, makePool, makeUser, signIn, signInPublic, startSmtpSink, wrong } from './support.js';

const MINUTE = 60 * 1000;
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const NO_DESTINATION = {
  name: 'InvalidParameterException',
  message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
};
const MASKED_EMAIL = /^[a-z0-9]\*\*\*@[a-z0-9]\*\*\*$/;

for (const engine of engines) {
  describe(`ForgotPassword and ConfirmForgotPassword (${engine})`, () => {
    let s: TestServer;
    let api: CognitoIdentityProviderClient;
    let clock: ManualClock;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    // Tests that need no pool settings of their own share one pool (each pool costs key generations).
    let sharedPool: string;
    before(async () => {
      clock = new ManualClock();
      sink = await startSmtpSink();
      s = await startServer({ engine, clock, env: { TESSERA_SMTP_URL: sink.url, TESSERA_SMTP_FROM: 'accounts@tessera.test' } });
      api = publicClient(s.url);
      sharedPool = await makePool(s);
    });
    after(async () => {
      api.destroy();
      await s.close();
      await sink.close();
    });

    let n = 0;
    /**
     * A client (PreventUserExistenceErrors as given) and a user with a verified e-mail, in the shared
     * pool or a new one with `pool` settings.
     */
    async function setUp(pool?: Partial<CreateUserPoolCommandInput>, opts: { hide?: boolean; secret?: boolean; attributes?: Record<string, string> } = {}) {
      const poolId = pool ? await makePool(s, pool) : sharedPool;
      const client = await makeClient(s, poolId, {
        PreventUserExistenceErrors: opts.hide === false ? 'LEGACY' : 'ENABLED',
        GenerateSecret: opts.secret,
      });
      const address = email();
      const username = await makeUser(s, poolId, `user${++n}`, opts.attributes ?? { email: address, email_verified: 'true' });
      return { poolId, clientId: client.id, secret: client.secret, username, address };
    }
    const forgot = (ClientId: string, Username: string, SecretHash?: string) => api.send(new ForgotPasswordCommand({ ClientId, Username, SecretHash }));
    const confirm = (ClientId: string, Username: string, ConfirmationCode: string, Password = NEW_PASSWORD, SecretHash?: string) =>
      api.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode, Password, SecretHash }));
    const status = async (UserPoolId: string, Username: string) => (await s.idp.send(new AdminGetUserCommand({ UserPoolId, Username }))).UserStatus;

    test('a reset code goes to the verified e-mail; confirming it sets the password and ends every session', async () => {
      const u = await setUp();
      const before = await signIn(s, u.poolId, u.clientId, u.username);
      const r = await forgot(u.clientId, u.username);
      assert.deepEqual(r.CodeDeliveryDetails, { Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const code = sink.codeTo(u.address);
      // Until confirmed, the old password still works.
      await signInPublic(s, u.clientId, u.username, PASSWORD);

      await confirm(u.clientId, u.username, code);
      assert.equal(await status(u.poolId, u.username), 'CONFIRMED');
      assert.deepEqual(await failure(signInPublic(s, u.clientId, u.username, PASSWORD)), INCORRECT);
      await signInPublic(s, u.clientId, u.username, NEW_PASSWORD);
      assert.deepEqual(await failure(api.send(new GetUserCommand({ AccessToken: before.AccessToken }))), {
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
      const refresh = api.send(
        new InitiateAuthCommand({ ClientId: u.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: before.RefreshToken } }),
      );
      assert.equal((await failure(refresh)).name, 'NotAuthorizedException');
      // The code was single use.
      assert.equal((await failure(confirm(u.clientId, u.username, code, 'An0ther-passw0rd!'))).name, 'ExpiredCodeException');
    });

    test('a user in RESET_REQUIRED becomes CONFIRMED with the code the administrator had sent', async () => {
      const u = await setUp();
      await s.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: u.poolId, Username: u.username }));
      assert.equal(await status(u.poolId, u.username), 'RESET_REQUIRED');
      assert.equal((await failure(signInPublic(s, u.clientId, u.username, PASSWORD))).name, 'PasswordResetRequiredException');
      await confirm(u.clientId, u.username, sink.codeTo(u.address));
      assert.equal(await status(u.poolId, u.username), 'CONFIRMED');
      await signInPublic(s, u.clientId, u.username, NEW_PASSWORD);
    });

    test('a locked-out user can sign in right after resetting the password', async () => {
      const u = await setUp();
      for (let i = 0; i <= s.app.auth.limits.failuresBeforeLock; i++) await failure(signInPublic(s, u.clientId, u.username, `Wr0ng-${i}!`));
      assert.equal((await failure(signInPublic(s, u.clientId, u.username, PASSWORD))).message, 'Password attempts exceeded');
      await forgot(u.clientId, u.username);
      await confirm(u.clientId, u.username, sink.codeTo(u.address));
      await signInPublic(s, u.clientId, u.username, NEW_PASSWORD);
    });

    test('unknown users with PreventUserExistenceErrors: a delivery that looks real, and no mail', async () => {
      const u = await setUp();
      const real = (await forgot(u.clientId, u.username)).CodeDeliveryDetails!;
      const mails = sink.mails.length;

      const ghost = (await forgot(u.clientId, 'nobody-here')).CodeDeliveryDetails!;
      assert.equal(ghost.DeliveryMedium, real.DeliveryMedium);
      assert.equal(ghost.AttributeName, real.AttributeName);
      assert.match(ghost.Destination!, MASKED_EMAIL);
      assert.deepEqual((await forgot(u.clientId, 'nobody-here')).CodeDeliveryDetails, ghost);
      assert.deepEqual((await forgot(u.clientId, 'someone@nowhere.test')).CodeDeliveryDetails, {
        Destination: 's***@n***',
        DeliveryMedium: 'EMAIL',
        AttributeName: 'email',
      });
      assert.equal(sink.mails.length, mails);
      assert.deepEqual(await failure(confirm(u.clientId, 'nobody-here', '123456')), {
        name: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      });
      // A weak new password gets the policy's answer whether the name is known or not.
      const weakKnown = await failure(confirm(u.clientId, u.username, '123456', 'short'));
      assert.equal(weakKnown.name, 'InvalidPasswordException');
      assert.deepEqual(await failure(confirm(u.clientId, 'nobody-here', '123456', 'short')), weakKnown);
    });

    test('unknown users with LEGACY: UserNotFoundException', async () => {
      const u = await setUp(undefined, { hide: false });
      const notFound = { name: 'UserNotFoundException', message: 'Username/client id combination not found.' };
      assert.deepEqual(await failure(forgot(u.clientId, 'nobody-here')), notFound);
      assert.deepEqual(await failure(confirm(u.clientId, 'nobody-here', '123456')), notFound);
    });

    test('a user without a verified contact cannot reset, and nothing is sent', async () => {
      const u = await setUp(undefined, { attributes: { email: email(), email_verified: 'false' } });
      const mails = sink.mails.length;
      assert.deepEqual(await failure(forgot(u.clientId, u.username)), NO_DESTINATION);
      assert.equal(sink.mails.length, mails);
    });

    test('AccountRecoverySetting decides between verified e-mail and phone; admin_only refuses', async () => {
      const both = (phone: string) => ({ attributes: { email: email(), email_verified: 'true', phone_number: phone, phone_number_verified: 'true' } });
      const phoneFirst = await setUp(
        { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_phone_number', Priority: 1 }, { Name: 'verified_email', Priority: 2 }] } },
        both('+15550100201'),
      );
      assert.deepEqual((await forgot(phoneFirst.clientId, phoneFirst.username)).CodeDeliveryDetails, {
        Destination: '+*******0201',
        DeliveryMedium: 'SMS',
        AttributeName: 'phone_number',
      });
      assert.match(await lastCode(s, '+15550100201'), /^\d{6}$/);

      const emailFirst: Partial<CreateUserPoolCommandInput> = { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }, { Name: 'verified_phone_number', Priority: 2 }] } };
      const e = await setUp(emailFirst, both('+15550100202'));
      assert.equal((await forgot(e.clientId, e.username)).CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      // Without a verified e-mail the next mechanism is used.
      const phoneOnly = await setUp(emailFirst, { attributes: { email: email(), phone_number: '+15550100203', phone_number_verified: 'true' } });
      assert.equal((await forgot(phoneOnly.clientId, phoneOnly.username)).CodeDeliveryDetails?.DeliveryMedium, 'SMS');

      const adminOnly = await setUp({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
      assert.equal((await failure(forgot(adminOnly.clientId, adminOnly.username))).name, 'NotAuthorizedException');
    });

    test('a reset code lasts one hour', async () => {
      const u = await setUp();
      await forgot(u.clientId, u.username);
      const stale = sink.codeTo(u.address);
      let moved = 0;
      try {
        clock.advance(61 * MINUTE);
        moved += 61 * MINUTE;
        assert.deepEqual(await failure(confirm(u.clientId, u.username, stale)), {
          name: 'ExpiredCodeException',
          message: 'Invalid code provided, please request a code again.',
        });
        await forgot(u.clientId, u.username);
        const fresh = sink.codeTo(u.address);
        clock.advance(59 * MINUTE);
        moved += 59 * MINUTE;
        await confirm(u.clientId, u.username, fresh);
        await signInPublic(s, u.clientId, u.username, NEW_PASSWORD);
      } finally {
        clock.advance(-moved);
      }
    });

    test('five wrong codes, then even the right one is refused', async () => {
      const u = await setUp();
      await forgot(u.clientId, u.username);
      const code = sink.codeTo(u.address);
      for (let i = 0; i < 5; i++) assert.equal((await failure(confirm(u.clientId, u.username, wrong(code)))).name, 'CodeMismatchException');
      assert.deepEqual(await failure(confirm(u.clientId, u.username, code)), {
        name: 'LimitExceededException',
        message: 'Attempt limit exceeded, please try after some time.',
      });
      await signInPublic(s, u.clientId, u.username, PASSWORD);
    });

    test('a new password the policy refuses leaves the code usable', async () => {
      const u = await setUp();
      await forgot(u.clientId, u.username);
      const code = sink.codeTo(u.address);
      assert.equal((await failure(confirm(u.clientId, u.username, code, 'weakpassword'))).name, 'InvalidPasswordException');
      await confirm(u.clientId, u.username, code);
      await signInPublic(s, u.clientId, u.username, NEW_PASSWORD);
    });

    test('the password history applies to resets too', async () => {
      const u = await setUp({ Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } } });
      await forgot(u.clientId, u.username);
      const code = sink.codeTo(u.address);
      assert.equal((await failure(confirm(u.clientId, u.username, code, PASSWORD))).name, 'PasswordHistoryPolicyViolationException');
      await confirm(u.clientId, u.username, code);
    });

    test('a client with a secret must send the right SECRET_HASH on both operations', async () => {
      const u = await setUp(undefined, { secret: true });
      const hash = (name: string) => createHmac('sha256', u.secret!).update(name + u.clientId).digest('base64');
      assert.equal((await failure(forgot(u.clientId, u.username))).name, 'NotAuthorizedException');
      assert.equal((await failure(forgot(u.clientId, u.username, hash('someone-else')))).name, 'NotAuthorizedException');
      await forgot(u.clientId, u.username, hash(u.username));
      const code = sink.codeTo(u.address);
      assert.equal((await failure(confirm(u.clientId, u.username, code))).name, 'NotAuthorizedException');
      await confirm(u.clientId, u.username, code, NEW_PASSWORD, hash(u.username));
      await signInPublic(s, u.clientId, u.username, NEW_PASSWORD, hash(u.username));
    });

    test('disabled users and users still on a temporary password cannot reset', async () => {
      const u = await setUp(undefined, { hide: false });
      await forgot(u.clientId, u.username);
      const code = sink.codeTo(u.address);
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: u.poolId, Username: u.username }));
      const disabled = { name: 'NotAuthorizedException', message: 'User is disabled.' };
      assert.deepEqual(await failure(forgot(u.clientId, u.username)), disabled);
      assert.deepEqual(await failure(confirm(u.clientId, u.username, code)), disabled);

      // With PreventUserExistenceErrors a disabled user is answered as an unknown name would be.
      const hidden = await setUp();
      await forgot(hidden.clientId, hidden.username);
      const hiddenCode = sink.codeTo(hidden.address);
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: hidden.poolId, Username: hidden.username }));
      const mails = sink.mails.length;
      const ghost = (await forgot(hidden.clientId, hidden.username)).CodeDeliveryDetails!;
      assert.equal(ghost.DeliveryMedium, 'EMAIL');
      assert.match(ghost.Destination!, MASKED_EMAIL);
      assert.deepEqual((await forgot(hidden.clientId, hidden.username)).CodeDeliveryDetails, ghost, 'stable per name, as for unknown names');
      assert.equal(sink.mails.length, mails, 'nothing sent');
      assert.deepEqual(await failure(confirm(hidden.clientId, hidden.username, hiddenCode)), {
        name: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      });
      await s.idp.send(new AdminEnableUserCommand({ UserPoolId: hidden.poolId, Username: hidden.username }));
      await confirm(hidden.clientId, hidden.username, hiddenCode);

      const invited = await setUp();
      await s.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: invited.poolId,
          Username: 'invited',
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email() },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      assert.equal((await failure(forgot(invited.clientId, 'invited'))).name, 'NotAuthorizedException');
    });
  });
}
