// MFA_SETUP for e-mail: a pool that requires MFA and offers e-mail codes, and a user with a
// verified address and no factor. MFAS_CAN_SETUP lists EMAIL_OTP (after SOFTWARE_TOKEN_MFA when
// apps are offered too); MFA_SETUP answered with EMAIL (the user's address) sends the first code
// as an EMAIL_OTP challenge, whose right answer signs in and turns e-mail MFA on. Through the AWS
// SDK v3 (each refusal) and through Amplify v6 (CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION ->
// CONTINUE_SIGN_IN_WITH_EMAIL_SETUP -> CONFIRM_SIGN_IN_WITH_EMAIL_CODE).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, AdminUpdateUserAttributesCommand, RespondToAuthChallengeCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { MemoryStorage } from '../../support/memory-storage.js';
import { engines, publicClient } from '../../support/server.js';
import { PASSWORD, configureMfa, lastCode, makeClient, makePool, makeUser, passwordSignIn, rejection, startMfaServer, type MfaServer } from './support.js';

const EMAIL_MFA = { EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Code' } };

for (const engine of engines) {
  describe(`MFA_SETUP for e-mail MFA (${engine})`, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      poolId = await makePool(s);
      await configureMfa(s, poolId, { MfaConfiguration: 'ON', ...EMAIL_MFA });
      clientId = (await makeClient(s, poolId)).id;
    });
    after(() => {
      idp.destroy();
      return s.close();
    });
    const respond = (ChallengeName: string, Session: string | undefined, ChallengeResponses: Record<string, string>) =>
      idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: ChallengeName as 'MFA_SETUP', Session, ChallengeResponses }));

    test('EMAIL answers MFA_SETUP with an EMAIL_OTP challenge; its code signs in and enables e-mail MFA', async () => {
      await makeUser(s, poolId, 'ellen', { attributes: { email: 'ellen@example.com', email_verified: 'true' } });
      const c = await passwordSignIn(idp, clientId, 'ellen');
      assert.equal(c.ChallengeName, 'MFA_SETUP');
      assert.deepEqual(JSON.parse(c.ChallengeParameters!.MFAS_CAN_SETUP!), ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);

      const other = await rejection(respond('MFA_SETUP', c.Session, { USERNAME: 'ellen', EMAIL: 'someone-else@example.com' }));
      assert.equal(other.name, 'InvalidParameterException');
      const sent = await respond('MFA_SETUP', c.Session, { USERNAME: 'ellen', EMAIL: 'Ellen@Example.com' });
      assert.equal(sent.ChallengeName, 'EMAIL_OTP');
      assert.equal(sent.ChallengeParameters!.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
      assert.equal(sent.ChallengeParameters!.CODE_DELIVERY_DESTINATION, 'e***@e***');
      // One code per set-up Session.
      assert.equal((await rejection(respond('MFA_SETUP', c.Session, { USERNAME: 'ellen', EMAIL: 'ellen@example.com' }))).name, 'NotAuthorizedException');

      const code = await lastCode(s, 'ellen@example.com');
      const wrong = code === '000000' ? '111111' : '000000';
      assert.equal((await rejection(respond('EMAIL_OTP', sent.Session, { USERNAME: 'ellen', EMAIL_OTP_CODE: wrong }))).name, 'CodeMismatchException');
      const done = await respond('EMAIL_OTP', sent.Session, { USERNAME: 'ellen', EMAIL_OTP_CODE: code });
      assert.ok(done.AuthenticationResult?.AccessToken);
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ellen' }));
      assert.deepEqual(u.UserMFASettingList, ['EMAIL_OTP']);

      // From now on the e-mail code is the second factor.
      const next = await passwordSignIn(idp, clientId, 'ellen');
      assert.equal(next.ChallengeName, 'EMAIL_OTP');
    });

    test('an address changed between the set-up code and its answer: the sign-in completes, but e-mail MFA stays off and the new address unverified', async () => {
      await makeUser(s, poolId, 'elena', { attributes: { email: 'elena@example.com', email_verified: 'true' } });
      const c = await passwordSignIn(idp, clientId, 'elena');
      const sent = await respond('MFA_SETUP', c.Session, { USERNAME: 'elena', EMAIL: 'elena@example.com' });
      assert.equal(sent.ChallengeName, 'EMAIL_OTP');
      const code = await lastCode(s, 'elena@example.com');
      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'elena', UserAttributes: [{ Name: 'email', Value: 'elena.new@example.com' }] }));
      const done = await respond('EMAIL_OTP', sent.Session, { USERNAME: 'elena', EMAIL_OTP_CODE: code });
      assert.ok(done.AuthenticationResult?.AccessToken);
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'elena' }));
      assert.deepEqual(u.UserMFASettingList ?? [], [], 'the code proved the old address, not the new one');
      const attr = (n: string) => u.UserAttributes!.find((a) => a.Name === n)?.Value;
      assert.equal(attr('email'), 'elena.new@example.com');
      assert.equal(attr('email_verified'), 'false');
      // The next sign-in asks for the set-up again.
      assert.equal((await passwordSignIn(idp, clientId, 'elena')).ChallengeName, 'MFA_SETUP');
    });

    test('refusals: no e-mail address, a pool that does not offer e-mail; a pool offering only e-mail lists only it', async () => {
      await makeUser(s, poolId, 'noaddr');
      const c = await passwordSignIn(idp, clientId, 'noaddr');
      assert.deepEqual(JSON.parse(c.ChallengeParameters!.MFAS_CAN_SETUP!), ['SOFTWARE_TOKEN_MFA']);
      assert.equal((await rejection(respond('MFA_SETUP', c.Session, { USERNAME: 'noaddr', EMAIL: 'x@example.com' }))).name, 'InvalidParameterException');

      const appsOnly = await makePool(s);
      await configureMfa(s, appsOnly, { MfaConfiguration: 'ON' });
      const appsClient = (await makeClient(s, appsOnly)).id;
      await makeUser(s, appsOnly, 'olga', { attributes: { email: 'olga@example.com', email_verified: 'true' } });
      const o = await passwordSignIn(idp, appsClient, 'olga');
      assert.deepEqual(JSON.parse(o.ChallengeParameters!.MFAS_CAN_SETUP!), ['SOFTWARE_TOKEN_MFA']);
      const refused = await rejection(
        idp.send(new RespondToAuthChallengeCommand({ ClientId: appsClient, ChallengeName: 'MFA_SETUP', Session: o.Session, ChallengeResponses: { USERNAME: 'olga', EMAIL: 'olga@example.com' } })),
      );
      assert.equal(refused.name, 'InvalidParameterException');

      const mailOnly = await makePool(s);
      await configureMfa(s, mailOnly, { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: false }, ...EMAIL_MFA });
      const mailClient = (await makeClient(s, mailOnly)).id;
      await makeUser(s, mailOnly, 'mia', { attributes: { email: 'mia@example.com', email_verified: 'true' } });
      const m = await passwordSignIn(idp, mailClient, 'mia');
      assert.equal(m.ChallengeName, 'MFA_SETUP');
      assert.deepEqual(JSON.parse(m.ChallengeParameters!.MFAS_CAN_SETUP!), ['EMAIL_OTP']);
    });

    test('Amplify v6: set-up selection, the address, then the e-mailed code', async () => {
      await makeUser(s, poolId, 'amy', { attributes: { email: 'amy@example.com', email_verified: 'true' } });
      Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: `${s.url}/` } } });
      cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
      const r = await signIn({ username: 'amy', password: PASSWORD });
      assert.equal(r.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
      const email = await confirmSignIn({ challengeResponse: 'EMAIL' });
      assert.equal(email.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
      const code = await confirmSignIn({ challengeResponse: 'amy@example.com' });
      assert.equal(code.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      const done = await confirmSignIn({ challengeResponse: await lastCode(s, 'amy@example.com') });
      assert.equal(done.isSignedIn, true);
      await signOut();
    });
  });
}
