// USER_AUTH (choice-based sign-in) through the SDK: SELECT_CHALLENGE and its AvailableChallenges,
// PASSWORD, PASSWORD_SRP, EMAIL_OTP and SMS_OTP first factors, MFA after a password, refusals,
// and GetUserAuthFactors / AdminGetUserAuthFactors.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  AdminGetUserAuthFactorsCommand,
  AdminUpdateUserAttributesCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { srpClient } from '../auth/support.js';
import { PASSWORD, adminTokens, configureMfa, enrolTotp, lastCode, makeClient, makePool, makeUser, rejection, startMfaServer, type MfaServer } from './support.js';

for (const engine of engines) {
  describe(`USER_AUTH through the SDK (${engine})`, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      poolId = await makePool(s, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } } });
      await configureMfa(s, poolId);
      clientId = (await makeClient(s, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).id;
    });
    beforeEach(() => s.clock.reset());
    after(() => {
      idp.destroy();
      return s.close();
    });

    const start = (params: Record<string, string>) => idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: params }));
    const respond = (name: string, session: string | undefined, responses: Record<string, string>) =>
      idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: name as 'SELECT_CHALLENGE', Session: session, ChallengeResponses: responses }));

    async function verifiedUser(name: string) {
      await makeUser(s, poolId, name, { attributes: { email: `${name}@example.com`, phone_number: '+15555550188' } });
      await s.idp.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: name,
          UserAttributes: [
            { Name: 'email_verified', Value: 'true' },
            { Name: 'phone_number_verified', Value: 'true' },
          ],
        }),
      );
    }

    test('without a preference: SELECT_CHALLENGE lists what the user can use; ANSWER EMAIL_OTP sends a code that signs in', async () => {
      await verifiedUser('sel');
      const r = await start({ USERNAME: 'sel' });
      assert.equal(r.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(r.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
      assert.equal((await rejection(respond('SELECT_CHALLENGE', r.Session, { USERNAME: 'sel', ANSWER: 'WEB_AUTHN' }))).name, 'InvalidParameterException');
      const otp = await respond('SELECT_CHALLENGE', r.Session, { USERNAME: 'sel', ANSWER: 'EMAIL_OTP' });
      assert.equal(otp.ChallengeName, 'EMAIL_OTP');
      assert.equal(otp.ChallengeParameters!.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
      const done = await respond('EMAIL_OTP', otp.Session, { USERNAME: 'sel', EMAIL_OTP_CODE: await lastCode(s, 'sel@example.com') });
      assert.ok(done.AuthenticationResult?.AccessToken);
      assert.equal((await rejection(respond('SELECT_CHALLENGE', r.Session, { USERNAME: 'sel', ANSWER: 'SMS_OTP' }))).name, 'NotAuthorizedException');
    });

    test('PREFERRED_CHALLENGE SMS_OTP: a code by text message; a wrong one is CodeMismatchException', async () => {
      await verifiedUser('texty');
      const r = await start({ USERNAME: 'texty', PREFERRED_CHALLENGE: 'SMS_OTP' });
      assert.equal(r.ChallengeName, 'SMS_OTP');
      const code = await lastCode(s, '+15555550188');
      assert.equal((await rejection(respond('SMS_OTP', r.Session, { USERNAME: 'texty', SMS_OTP_CODE: code === '000000' ? '111111' : '000000' }))).name, 'CodeMismatchException');
      assert.ok((await respond('SMS_OTP', r.Session, { USERNAME: 'texty', SMS_OTP_CODE: code })).AuthenticationResult?.IdToken);
    });

    test('PREFERRED_CHALLENGE PASSWORD and PASSWORD_SRP sign in; with TOTP on, MFA follows the password', async () => {
      await verifiedUser('pw');
      assert.ok((await start({ USERNAME: 'pw', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult?.AccessToken);
      const srp = srpClient(poolId);
      const c = await start({ USERNAME: 'pw', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srp.SRP_A });
      assert.equal(c.ChallengeName, 'PASSWORD_VERIFIER');
      const done = await respond('PASSWORD_VERIFIER', c.Session, srp.answer(c.ChallengeParameters!, PASSWORD, s.clock.now()));
      assert.ok(done.AuthenticationResult?.AccessToken);
      await enrolTotp(s, idp, (await adminTokens(s, poolId, clientId, 'pw'))!.AccessToken!);
      assert.equal((await start({ USERNAME: 'pw', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).ChallengeName, 'SOFTWARE_TOKEN_MFA');
    });

    test('refusals: a wrong password, an unknown user, a client without ALLOW_USER_AUTH', async () => {
      await verifiedUser('ref');
      const wrong = await rejection(start({ USERNAME: 'ref', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wr0ng-Horse!' }));
      assert.deepEqual(wrong, { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      // The client hides user existence: an unknown name gets the password factors, which then fail as a wrong password does.
      const ghost = await start({ USERNAME: 'nobody' });
      assert.equal(ghost.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(ghost.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
      const ghostAnswer = await rejection(respond('SELECT_CHALLENGE', ghost.Session, { USERNAME: 'nobody', ANSWER: 'PASSWORD', PASSWORD }));
      assert.deepEqual(ghostAnswer, wrong);
      const other = (await makeClient(s, poolId)).id;
      const off = await rejection(idp.send(new InitiateAuthCommand({ ClientId: other, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'ref' } })));
      assert.deepEqual(off, { name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' });
    });

    test('GetUserAuthFactors and AdminGetUserAuthFactors list the first factors and the MFA settings', async () => {
      await verifiedUser('facts');
      const { AccessToken } = (await adminTokens(s, poolId, clientId, 'facts'))!;
      await enrolTotp(s, idp, AccessToken!);
      const mine = await idp.send(new GetUserAuthFactorsCommand({ AccessToken }));
      assert.equal(mine.Username, 'facts');
      assert.deepEqual(mine.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP']);
      assert.deepEqual(mine.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      assert.equal(mine.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
      const admin = await s.idp.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'facts' }));
      assert.deepEqual(admin.ConfiguredUserAuthFactors, mine.ConfiguredUserAuthFactors);
      assert.equal((await rejection(s.idp.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'nobody' })))).name, 'UserNotFoundException');
    });
  });
}
