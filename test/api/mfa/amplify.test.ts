// MFA and choice-based sign-in with Amplify v6 in Node: setUpTOTP / verifyTOTPSetup /
// updateMFAPreference, then signIn -> confirmSignIn with a TOTP code and with an e-mail code, and
// USER_AUTH with EMAIL_OTP as the first factor. Amplify is a process-wide singleton: each test
// signs out at the end.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AdminSetUserMFAPreferenceCommand, AdminUpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchMFAPreference, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { MemoryStorage } from '../../support/memory-storage.js';
import { engines } from '../../support/server.js';
import { PASSWORD, configureMfa, lastCode, makeClient, makePool, makeUser, nextStep, startMfaServer, totp, type MfaServer } from './support.js';

for (const engine of engines) {
  describe(`MFA with Amplify v6 (${engine})`, () => {
    let s: MfaServer;
    let poolId: string;
    before(async () => {
      s = await startMfaServer(engine);
      poolId = await makePool(s, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } });
      await configureMfa(s, poolId, { EmailMfaConfiguration: {} });
      const clientId = (
        await makeClient(s, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })
      ).id;
      Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: `${s.url}/` } } });
      cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
    });
    beforeEach(() => s.clock.reset());
    after(() => s.close());

    test('setUpTOTP, verifyTOTPSetup, updateMFAPreference; then signIn asks for the TOTP code and confirmSignIn completes', async () => {
      await makeUser(s, poolId, 'tina');
      assert.equal((await signIn({ username: 'tina', password: PASSWORD })).isSignedIn, true);
      const setup = await setUpTOTP();
      assert.match(setup.sharedSecret, /^[A-Z2-7]{32}$/);
      await verifyTOTPSetup({ code: totp(setup.sharedSecret, s.clock.now()) });
      await updateMFAPreference({ totp: 'PREFERRED' });
      const pref = await fetchMFAPreference();
      assert.equal(pref.preferred, 'TOTP');
      await signOut();

      nextStep(s);
      const r = await signIn({ username: 'tina', password: PASSWORD });
      assert.equal(r.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
      const done = await confirmSignIn({ challengeResponse: totp(setup.sharedSecret, s.clock.now()) });
      assert.equal(done.isSignedIn, true);
      await signOut();
    });

    test('an e-mail MFA code: signIn -> CONFIRM_SIGN_IN_WITH_EMAIL_CODE -> confirmSignIn', async () => {
      await makeUser(s, poolId, 'emma', { attributes: { email: 'emma@example.com' } });
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'emma', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const r = await signIn({ username: 'emma', password: PASSWORD });
      assert.equal(r.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      const done = await confirmSignIn({ challengeResponse: await lastCode(s, 'emma@example.com') });
      assert.equal(done.isSignedIn, true);
      await signOut();
    });

    test('USER_AUTH with EMAIL_OTP as the first factor: no password at all', async () => {
      await makeUser(s, poolId, 'otto', { attributes: { email: 'otto@example.com', email_verified: 'true' } });
      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'otto', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
      const r = await signIn({ username: 'otto', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
      assert.equal(r.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      const done = await confirmSignIn({ challengeResponse: await lastCode(s, 'otto@example.com') });
      assert.equal(done.isSignedIn, true);
      await signOut();
    });
  });
}
