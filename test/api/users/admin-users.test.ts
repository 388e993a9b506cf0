// The administrative user operations through the real SDK: AdminCreateUser (invitations,
// SUPPRESS, RESEND), AdminGetUser, AdminDeleteUser, AdminDisableUser/AdminEnableUser,
// AdminSetUserPassword, AdminResetUserPassword, AdminConfirmSignUp.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  SignUpCommand,
  type AdminCreateUserCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, email, lastMessage, outboxFor, poolAndClient, rejectsWith } from './support.js';

for (const engine of engines) {
  describe(`administrative user operations (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      ({ poolId } = await poolAndClient(s, {
        AdminCreateUserConfig: {
          InviteMessageTemplate: { EmailSubject: 'Welcome aboard', EmailMessage: 'Sign in as {username} with {####}', SMSMessage: '{username}: {####}' },
        },
      }));
    });
    after(() => s.close());

    const create = (input: Partial<AdminCreateUserCommandInput> & { Username: string }, UserPoolId = poolId) =>
      s.idp.send(new AdminCreateUserCommand({ UserPoolId, ...input }));
    const get = (Username: string, UserPoolId = poolId) => s.idp.send(new AdminGetUserCommand({ UserPoolId, Username }));
    const attrs = (...pairs: [string, string][]) => pairs.map(([Name, Value]) => ({ Name, Value }));
    /** Whether `password` is now the user's password (the domain check sign-in uses). */
    async function hasPassword(Username: string, password: string, UserPoolId = poolId) {
      const pool = await s.app.pools.get(UserPoolId);
      return s.app.users.checkPassword(pool, await s.app.users.get(pool, Username), password);
    }
    const temporaryIn = (body: string) => /with (\S+)$/.exec(body)![1];

    test('AdminCreateUser makes a FORCE_CHANGE_PASSWORD user and e-mails the invitation with a policy-conforming temporary password', async () => {
      const to = email();
      const r = await create({ Username: 'invited', UserAttributes: attrs(['email', to], ['email_verified', 'true']), DesiredDeliveryMediums: ['EMAIL'] });
      assert.equal(r.User?.Username, 'invited');
      assert.equal(r.User?.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(r.User?.Enabled, true);
      assert.equal(r.User?.Attributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');
      assert.match(r.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!, /^[0-9a-f-]{36}$/);
      const mail = await lastMessage(s, to);
      assert.equal(mail.subject, 'Welcome aboard');
      assert.match(mail.body, /^Sign in as invited with \S+$/);
      const temporary = temporaryIn(mail.body);
      assert.ok(temporary.length >= 8 && /[A-Z]/.test(temporary) && /[a-z]/.test(temporary) && /\d/.test(temporary) && /[^A-Za-z0-9]/.test(temporary));
      assert.ok(await hasPassword('invited', temporary));
      await rejectsWith(create({ Username: 'INVITED' }), 'UsernameExistsException', 'User account already exists');
    });

    test('a given TemporaryPassword is checked against the policy and sent; SUPPRESS sends nothing', async () => {
      await rejectsWith(create({ Username: 'weak', TemporaryPassword: 'password' }), 'InvalidPasswordException', /Password did not conform with policy: Password must have uppercase characters/);
      const to = email();
      await create({ Username: 'given', TemporaryPassword: 'Temp0rary!', UserAttributes: attrs(['email', to]), DesiredDeliveryMediums: ['EMAIL'] });
      assert.equal((await lastMessage(s, to)).body, 'Sign in as given with Temp0rary!');
      const quiet = email();
      await create({ Username: 'quiet', TemporaryPassword: 'Temp0rary!', UserAttributes: attrs(['email', quiet]), MessageAction: 'SUPPRESS' });
      assert.equal((await outboxFor(s, quiet)).length, 0);
      assert.equal((await get('quiet')).UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.ok(await hasPassword('quiet', 'Temp0rary!'));
    });

    test('invitations go by SMS unless asked otherwise, and only where the user has the attribute', async () => {
      const to = email();
      await create({ Username: 'texted', UserAttributes: attrs(['phone_number', '+14155550142'], ['email', to]) });
      const sms = await lastMessage(s, '+14155550142');
      assert.equal(sms.channel, 'sms');
      assert.match(sms.body, /^texted: \S+$/);
      assert.equal((await outboxFor(s, to)).length, 0);
      const both = email();
      await create({ Username: 'both', UserAttributes: attrs(['phone_number', '+14155550143'], ['email', both]), DesiredDeliveryMediums: ['EMAIL', 'SMS'] });
      assert.equal((await outboxFor(s, both)).length, 1);
      assert.equal((await outboxFor(s, '+14155550143')).length, 1);
    });

    test('RESEND re-invites a FORCE_CHANGE_PASSWORD user with a new temporary password', async () => {
      const to = email();
      await create({ Username: 'again', UserAttributes: attrs(['email', to]), DesiredDeliveryMediums: ['EMAIL'] });
      const first = temporaryIn((await lastMessage(s, to)).body);
      await create({ Username: 'again', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'], TemporaryPassword: 'N3w-temporary' });
      const msgs = await outboxFor(s, to);
      assert.equal(msgs.length, 2);
      assert.ok(msgs.some((m) => m.body.endsWith('N3w-temporary')));
      assert.ok(await hasPassword('again', 'N3w-temporary'));
      assert.ok(!(await hasPassword('again', first)));
      await rejectsWith(create({ Username: 'nobody-here', MessageAction: 'RESEND' }), 'UserNotFoundException', 'User does not exist.');
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'again', Password: PASSWORD, Permanent: true }));
      await rejectsWith(create({ Username: 'again', MessageAction: 'RESEND' }), 'UnsupportedUserStateException', /FORCE_CHANGE_PASSWORD/);
    });

    test('with UsernameAttributes=[email] the e-mail is the name in the invitation and the username is the sub', async () => {
      const p = await poolAndClient(s, { UsernameAttributes: ['email'] });
      await rejectsWith(create({ Username: 'notanemail' }, p.poolId), 'InvalidParameterException', 'Username should be an email.');
      const to = email();
      const r = await create({ Username: to, DesiredDeliveryMediums: ['EMAIL'] }, p.poolId);
      const sub = r.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
      assert.equal(r.User!.Username, sub);
      assert.match((await lastMessage(s, to)).body, new RegExp(`username is ${to.replace(/[.]/g, '\\.')} `));
      assert.equal((await get(to, p.poolId)).Username, sub);
      await rejectsWith(create({ Username: to.toUpperCase() }, p.poolId), 'UsernameExistsException', 'An account with the given email already exists.');
    });

    test('AdminGetUser returns the profile by username or alias, with MFA settings', async () => {
      const p = await poolAndClient(s, { AliasAttributes: ['email', 'preferred_username'] });
      const to = email();
      await create({ Username: 'frank', UserAttributes: attrs(['email', to], ['email_verified', 'true'], ['preferred_username', 'Franky']), MessageAction: 'SUPPRESS' }, p.poolId);
      for (const name of ['frank', 'FRANK', to, to.toUpperCase(), 'franky']) assert.equal((await get(name, p.poolId)).Username, 'frank', name);
      const u = await get('frank', p.poolId);
      assert.equal(u.UserAttributes![0].Name, 'sub');
      assert.equal(u.Enabled, true);
      assert.ok(u.UserCreateDate instanceof Date && u.UserLastModifiedDate instanceof Date);
      assert.equal(u.UserMFASettingList, undefined);
      // MFA settings as the MFA work stores them.
      const pool = await s.app.pools.get(p.poolId);
      const user = await s.app.users.get(pool, 'frank');
      await s.app.users.save(pool, { ...user, mfa: { smsEnabled: true, totpEnabled: true, preferred: 'SOFTWARE_TOKEN_MFA' } });
      const withMfa = await get('frank', p.poolId);
      assert.deepEqual(withMfa.UserMFASettingList, ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
      assert.equal(withMfa.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(withMfa.MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
      await rejectsWith(get('nobody', p.poolId), 'UserNotFoundException', 'User does not exist.');
      await rejectsWith(get('frank', 'us-east-1_nothere00'), 'ResourceNotFoundException');
    });

    test('AdminDeleteUser removes the user, and its name and aliases become free', async () => {
      const p = await poolAndClient(s, { AliasAttributes: ['email'] });
      const to = email();
      const user = attrs(['email', to], ['email_verified', 'true']);
      await create({ Username: 'gone', UserAttributes: user, MessageAction: 'SUPPRESS' }, p.poolId);
      await s.idp.send(new AdminDeleteUserCommand({ UserPoolId: p.poolId, Username: to }));
      await rejectsWith(get('gone', p.poolId), 'UserNotFoundException');
      await rejectsWith(s.idp.send(new AdminDeleteUserCommand({ UserPoolId: p.poolId, Username: 'gone' })), 'UserNotFoundException', 'User does not exist.');
      await create({ Username: 'gone', UserAttributes: user, MessageAction: 'SUPPRESS' }, p.poolId);
      assert.equal((await get(to, p.poolId)).Username, 'gone');
    });

    test('AdminDisableUser and AdminEnableUser flip Enabled', async () => {
      await create({ Username: 'toggled', MessageAction: 'SUPPRESS' });
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'toggled' }));
      assert.equal((await get('toggled')).Enabled, false);
      await s.idp.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'toggled' }));
      assert.equal((await get('toggled')).Enabled, true);
      await rejectsWith(s.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'nobody' })), 'UserNotFoundException');
    });

    test('AdminSetUserPassword: permanent confirms, temporary forces a change, the policy applies', async () => {
      await create({ Username: 'setter', MessageAction: 'SUPPRESS' });
      const set = (Password: string, Permanent?: boolean) => s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'setter', Password, Permanent }));
      await rejectsWith(set('short1!A'.slice(0, 5), true), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
      await set('Perm4nent!', true);
      assert.equal((await get('setter')).UserStatus, 'CONFIRMED');
      assert.ok(await hasPassword('setter', 'Perm4nent!'));
      await set('Tempor4ry!');
      assert.equal((await get('setter')).UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.ok(await hasPassword('setter', 'Tempor4ry!'));
      assert.ok(!(await hasPassword('setter', 'Perm4nent!')));
      await rejectsWith(s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'nobody', Password: PASSWORD })), 'UserNotFoundException');
    });

    test('AdminResetUserPassword needs a verified contact, then sets RESET_REQUIRED and sends a reset code', async () => {
      const unverified = email();
      await create({ Username: 'unverified', UserAttributes: attrs(['email', unverified]), MessageAction: 'SUPPRESS' });
      await rejectsWith(
        s.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'unverified' })),
        'InvalidParameterException',
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      );
      assert.equal((await get('unverified')).UserStatus, 'FORCE_CHANGE_PASSWORD');
      const to = email();
      await create({ Username: 'resetme', UserAttributes: attrs(['email', to], ['email_verified', 'true']), MessageAction: 'SUPPRESS' });
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'resetme', Password: PASSWORD, Permanent: true }));
      await s.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'resetme' }));
      assert.equal((await get('resetme')).UserStatus, 'RESET_REQUIRED');
      assert.match((await lastMessage(s, to)).body, /\b\d{6}\b/);
    });

    test('AdminConfirmSignUp confirms an UNCONFIRMED user without verifying its e-mail', async () => {
      const { clientId, poolId: pid } = await poolAndClient(s);
      const pub = publicClient(s.url);
      try {
        await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'helen', Password: PASSWORD, UserAttributes: attrs(['email', email()]) }));
      } finally {
        pub.destroy();
      }
      await s.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: pid, Username: 'helen' }));
      const u = await get('helen', pid);
      assert.equal(u.UserStatus, 'CONFIRMED');
      assert.equal(u.UserAttributes!.find((a) => a.Name === 'email_verified'), undefined);
      await rejectsWith(s.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: pid, Username: 'helen' })), 'NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
      await rejectsWith(s.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: pid, Username: 'nobody' })), 'UserNotFoundException');
    });
  });
}
