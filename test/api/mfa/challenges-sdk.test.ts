// TOTP enrolment and the MFA challenges through the SDK: SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP,
// SELECT_MFA_TYPE, MFA_SETUP, with their error paths (wrong, reused, too many, expired codes).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  AdminDeleteSoftwareTokenCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserSettingsCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import {
  adminTokens,
  configureMfa,
  enrolTotp,
  lastCode,
  makeClient,
  makePool,
  makeUser,
  nextStep,
  PASSWORD,
  passwordSignIn,
  rejection,
  startMfaServer,
  totp,
  type MfaServer,
} from './support.js';

for (const engine of engines) {
  describe(`MFA challenges through the SDK (${engine})`, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId, { AuthSessionValidity: 15 })).id;
      await configureMfa(s, poolId, { SmsMfaConfiguration: {}, EmailMfaConfiguration: { Message: 'Sign-in code {####}', Subject: 'Code' } });
    });
    beforeEach(() => s.clock.reset());
    after(() => {
      idp.destroy();
      return s.close();
    });

    const respond = (name: string, session: string | undefined, responses: Record<string, string>) =>
      idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: name as 'SMS_MFA', Session: session, ChallengeResponses: responses }));

    test('AssociateSoftwareToken and VerifySoftwareToken enrol TOTP; wrong codes and missing enrolment are refused', async () => {
      await makeUser(s, poolId, 'enrol');
      const { AccessToken } = (await adminTokens(s, poolId, clientId, 'enrol'))!;
      assert.equal((await rejection(idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: '123456' })))).name, 'SoftwareTokenMFANotFoundException');
      const { SecretCode, Session } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken }));
      assert.match(SecretCode!, /^[A-Z2-7]{32}$/);
      assert.equal(Session, undefined);
      const wrong = await rejection(idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, s.clock.now() - 120_000) })));
      assert.deepEqual(wrong, { name: 'EnableSoftwareTokenMFAException', message: 'Code mismatch and fail enable Software Token MFA' });
      const ok = await idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, s.clock.now()), FriendlyDeviceName: 'phone' }));
      assert.equal(ok.Status, 'SUCCESS');
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'enrol' }));
      assert.deepEqual(u.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      assert.equal(u.PreferredMfaSetting, undefined);
      assert.equal((await rejection(idp.send(new AssociateSoftwareTokenCommand({})))).name, 'InvalidParameterException');
      assert.equal((await rejection(idp.send(new AssociateSoftwareTokenCommand({ AccessToken: 'not-a-token' })))).name, 'NotAuthorizedException');
      assert.equal((await rejection(idp.send(new AssociateSoftwareTokenCommand({ Session: 'x'.repeat(40) })))).name, 'NotAuthorizedException');
    });

    test('SOFTWARE_TOKEN_MFA: a right code gives tokens; a wrong or reused code is CodeMismatchException', async () => {
      await makeUser(s, poolId, 'totp');
      const secret = await enrolTotp(s, idp, (await adminTokens(s, poolId, clientId, 'totp'))!.AccessToken!);
      const first = await passwordSignIn(idp, clientId, 'totp');
      assert.equal(first.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      assert.equal(first.ChallengeParameters!.FRIENDLY_DEVICE_NAME, 'phone');
      const bad = await rejection(respond('SOFTWARE_TOKEN_MFA', first.Session, { USERNAME: 'totp', SOFTWARE_TOKEN_MFA_CODE: '000000' }));
      assert.equal(bad.name, 'CodeMismatchException');
      const code = totp(secret, s.clock.now());
      const done = await respond('SOFTWARE_TOKEN_MFA', first.Session, { USERNAME: 'totp', SOFTWARE_TOKEN_MFA_CODE: code });
      assert.ok(done.AuthenticationResult?.AccessToken);
      const again = await passwordSignIn(idp, clientId, 'totp');
      assert.equal((await rejection(respond('SOFTWARE_TOKEN_MFA', again.Session, { USERNAME: 'totp', SOFTWARE_TOKEN_MFA_CODE: code }))).name, 'CodeMismatchException');
      nextStep(s);
      const replay = await rejection(respond('SOFTWARE_TOKEN_MFA', first.Session, { USERNAME: 'totp', SOFTWARE_TOKEN_MFA_CODE: totp(secret, s.clock.now()) }));
      assert.equal(replay.name, 'NotAuthorizedException', 'an answered challenge cannot be answered again');
    });

    test('five wrong TOTP codes end the challenge: the sixth answer, even right, is NotAuthorizedException', async () => {
      await makeUser(s, poolId, 'guesser');
      const secret = await enrolTotp(s, idp, (await adminTokens(s, poolId, clientId, 'guesser'))!.AccessToken!);
      const c = await passwordSignIn(idp, clientId, 'guesser');
      for (let i = 0; i < 5; i++) {
        assert.equal((await rejection(respond('SOFTWARE_TOKEN_MFA', c.Session, { USERNAME: 'guesser', SOFTWARE_TOKEN_MFA_CODE: '11111' + i }))).name, 'CodeMismatchException');
      }
      const last = await rejection(respond('SOFTWARE_TOKEN_MFA', c.Session, { USERNAME: 'guesser', SOFTWARE_TOKEN_MFA_CODE: totp(secret, s.clock.now()) }));
      assert.equal(last.name, 'NotAuthorizedException');
    });

    test('every TOTP answer is counted before its code is checked, so guesses sent at once get five checks in all', async () => {
      await makeUser(s, poolId, 'swarm');
      const secret = await enrolTotp(s, idp, (await adminTokens(s, poolId, clientId, 'swarm'))!.AccessToken!);
      const counted = async () =>
        (await s.app.store.db.selectFrom('auth_failures').select('subject').where('pool_id', '=', poolId).where('subject', 'like', 'challenge:%').execute()).length;
      // A right first answer is counted too (which is what keeps a swarm from being checked in full).
      nextStep(s);
      const before = await counted();
      const first = await passwordSignIn(idp, clientId, 'swarm');
      assert.ok((await respond('SOFTWARE_TOKEN_MFA', first.Session, { USERNAME: 'swarm', SOFTWARE_TOKEN_MFA_CODE: totp(secret, s.clock.now()) })).AuthenticationResult);
      assert.equal(await counted(), before + 1);
      // Forty guesses at once, the right one among them: five are checked, the rest refused unread.
      nextStep(s);
      const c = await passwordSignIn(idp, clientId, 'swarm');
      const right = totp(secret, s.clock.now());
      const guesses = Array.from({ length: 39 }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));
      guesses.splice(20, 0, right);
      const answers = await Promise.all(
        guesses.map((code) => respond('SOFTWARE_TOKEN_MFA', c.Session, { USERNAME: 'swarm', SOFTWARE_TOKEN_MFA_CODE: code }).then(() => 'tokens', (e: Error) => e.name)),
      );
      const checked = answers.filter((a) => a === 'CodeMismatchException' || a === 'tokens').length;
      assert.ok(checked <= 5, answers.join(','));
      assert.equal(answers.filter((a) => a === 'NotAuthorizedException').length, 40 - checked);
    });

    test('SetUserMFAPreference refuses SMS without a phone, an unverified token, two preferred; the admin form needs a user', async () => {
      await makeUser(s, poolId, 'prefs');
      const { AccessToken } = (await adminTokens(s, poolId, clientId, 'prefs'))!;
      const cases = [
        { SMSMfaSettings: { Enabled: true } },
        { SoftwareTokenMfaSettings: { Enabled: true } },
        { SMSMfaSettings: { Enabled: true, PreferredMfa: true }, EmailMfaSettings: { Enabled: true, PreferredMfa: true } },
        { EmailMfaSettings: { Enabled: false, PreferredMfa: true } },
      ];
      for (const c of cases) {
        assert.equal((await rejection(idp.send(new SetUserMFAPreferenceCommand({ AccessToken, ...c })))).name, 'InvalidParameterException', JSON.stringify(c));
      }
      const nobody = await rejection(s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'nobody', EmailMfaSettings: { Enabled: true } })));
      assert.equal(nobody.name, 'UserNotFoundException');
    });

    test('SMS_MFA: the code goes to the phone (destination masked); wrong is a mismatch, late is expired', async () => {
      await makeUser(s, poolId, 'texter', { attributes: { phone_number: '+15555550123' } });
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'texter', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const c = await passwordSignIn(idp, clientId, 'texter');
      assert.equal(c.ChallengeName, 'SMS_MFA');
      assert.equal(c.ChallengeParameters!.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
      assert.equal(c.ChallengeParameters!.CODE_DELIVERY_DESTINATION, '+*******0123');
      const code = await lastCode(s, '+15555550123');
      assert.equal((await rejection(respond('SMS_MFA', c.Session, { USERNAME: 'texter', SMS_MFA_CODE: code === '000000' ? '111111' : '000000' }))).name, 'CodeMismatchException');
      const done = await respond('SMS_MFA', c.Session, { USERNAME: 'texter', SMS_MFA_CODE: code });
      assert.ok(done.AuthenticationResult?.IdToken);
      const late = await passwordSignIn(idp, clientId, 'texter');
      s.clock.advance(4 * 60_000);
      const expired = await rejection(respond('SMS_MFA', late.Session, { USERNAME: 'texter', SMS_MFA_CODE: await lastCode(s, '+15555550123') }));
      assert.equal(expired.name, 'ExpiredCodeException');
    });

    test('EMAIL_OTP: the pool e-mail template carries the code', async () => {
      await makeUser(s, poolId, 'mailer', { attributes: { email: 'mailer@example.com' } });
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'mailer', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const c = await passwordSignIn(idp, clientId, 'mailer');
      assert.equal(c.ChallengeName, 'EMAIL_OTP');
      assert.equal(c.ChallengeParameters!.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
      const [m] = await s.app.store.outbox.list('mailer@example.com', 1);
      assert.equal(m!.subject, 'Code');
      assert.match(m!.body, /^Sign-in code \d{6}$/);
      const done = await respond('EMAIL_OTP', c.Session, { USERNAME: 'mailer', EMAIL_OTP_CODE: await lastCode(s, 'mailer@example.com') });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });

    test('SELECT_MFA_TYPE offers the enabled factors; the answer leads to that factor', async () => {
      await makeUser(s, poolId, 'chooser', { attributes: { phone_number: '+15555550177' } });
      const secret = await enrolTotp(s, idp, (await adminTokens(s, poolId, clientId, 'chooser'))!.AccessToken!);
      await s.idp.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: poolId,
          Username: 'chooser',
          SMSMfaSettings: { Enabled: true },
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
        }),
      );
      const c = await passwordSignIn(idp, clientId, 'chooser');
      assert.equal(c.ChallengeName, 'SELECT_MFA_TYPE');
      assert.deepEqual(JSON.parse(c.ChallengeParameters!.MFAS_CAN_CHOOSE!), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
      assert.equal((await rejection(respond('SELECT_MFA_TYPE', c.Session, { USERNAME: 'chooser', ANSWER: 'EMAIL_OTP' }))).name, 'InvalidParameterException');
      const picked = await respond('SELECT_MFA_TYPE', c.Session, { USERNAME: 'chooser', ANSWER: 'SOFTWARE_TOKEN_MFA' });
      assert.equal(picked.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      const done = await respond('SOFTWARE_TOKEN_MFA', picked.Session, { USERNAME: 'chooser', SOFTWARE_TOKEN_MFA_CODE: totp(secret, s.clock.now()) });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });

    test('MFA_SETUP in a pool with MFA ON: enrol with the Session, then sign in with TOTP next time', async () => {
      const onPool = await makePool(s);
      const onClient = (await makeClient(s, onPool)).id;
      await configureMfa(s, onPool, { MfaConfiguration: 'ON' });
      await makeUser(s, onPool, 'newcomer');
      const c = await idp.send(
        new InitiateAuthCommand({
          ClientId: onClient,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'newcomer', PASSWORD },
        }),
      );
      assert.equal(c.ChallengeName, 'MFA_SETUP');
      assert.deepEqual(JSON.parse(c.ChallengeParameters!.MFAS_CAN_SETUP!), ['SOFTWARE_TOKEN_MFA']);
      const early = await rejection(
        idp.send(new RespondToAuthChallengeCommand({ ClientId: onClient, ChallengeName: 'MFA_SETUP', Session: c.Session, ChallengeResponses: { USERNAME: 'newcomer' } })),
      );
      assert.equal(early.name, 'InvalidParameterException');
      const a = await idp.send(new AssociateSoftwareTokenCommand({ Session: c.Session }));
      assert.ok(a.Session);
      const v = await idp.send(new VerifySoftwareTokenCommand({ Session: a.Session, UserCode: totp(a.SecretCode!, s.clock.now()) }));
      assert.equal(v.Status, 'SUCCESS');
      const done = await idp.send(
        new RespondToAuthChallengeCommand({ ClientId: onClient, ChallengeName: 'MFA_SETUP', Session: v.Session, ChallengeResponses: { USERNAME: 'newcomer' } }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: onPool, Username: 'newcomer' }));
      assert.deepEqual(u.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      // The sign-in's set-up Sessions cannot replace the token now.
      assert.equal((await rejection(idp.send(new AssociateSoftwareTokenCommand({ Session: a.Session })))).name, 'NotAuthorizedException');
    });

    test('the legacy SetUserSettings / AdminSetUserSettings turn SMS MFA on and off (MFAOptions)', async () => {
      await makeUser(s, poolId, 'legacy', { attributes: { phone_number: '+15555550155' } });
      await s.idp.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: 'legacy', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }));
      const on = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy' }));
      assert.deepEqual(on.MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
      const c = await passwordSignIn(idp, clientId, 'legacy');
      assert.equal(c.ChallengeName, 'SMS_MFA');
      const { AccessToken } = (await respond('SMS_MFA', c.Session, { USERNAME: 'legacy', SMS_MFA_CODE: await lastCode(s, '+15555550155') })).AuthenticationResult!;
      await idp.send(new SetUserSettingsCommand({ AccessToken, MFAOptions: [] }));
      assert.ok((await passwordSignIn(idp, clientId, 'legacy')).AuthenticationResult?.AccessToken);
      const bad = await rejection(idp.send(new SetUserSettingsCommand({ AccessToken, MFAOptions: [{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }] })));
      assert.equal(bad.name, 'InvalidParameterException');
    });

    test('AdminDeleteSoftwareToken removes TOTP: an OPTIONAL pool then signs in without MFA', async () => {
      await makeUser(s, poolId, 'dropper');
      await enrolTotp(s, idp, (await adminTokens(s, poolId, clientId, 'dropper'))!.AccessToken!);
      assert.equal((await passwordSignIn(idp, clientId, 'dropper')).ChallengeName, 'SOFTWARE_TOKEN_MFA');
      await s.idp.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: 'dropper' }));
      const after = await passwordSignIn(idp, clientId, 'dropper');
      assert.ok(after.AuthenticationResult?.AccessToken);
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dropper' }));
      assert.equal(u.UserMFASettingList, undefined);
      nextStep(s);
    });
  });
}
