// SetUserPoolMfaConfig / GetUserPoolMfaConfig through the SDK, and DescribeUserPool agreeing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { makeClient, makePool, makeUser, rejection } from './support.js';

for (const engine of engines) {
  describe(`pool MFA configuration (${engine})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startServer({ engine });
    });
    after(() => s.close());

    test('a new pool reads MFA OFF, TOTP off, passkeys with preferred user verification', async () => {
      const poolId = await makePool(s);
      const r = await s.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(r.MfaConfiguration, 'OFF');
      assert.deepEqual(r.SoftwareTokenMfaConfiguration, { Enabled: false });
      assert.equal(r.SmsMfaConfiguration, undefined);
      assert.equal(r.EmailMfaConfiguration, undefined);
      assert.deepEqual(r.WebAuthnConfiguration, { UserVerification: 'preferred' });
    });

    test('every factor set is read back, and DescribeUserPool shows the mode and the SMS message', async () => {
      const poolId = await makePool(s);
      const set = await s.idp.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'ON',
          SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' },
          SoftwareTokenMfaConfiguration: { Enabled: true },
          EmailMfaConfiguration: { Message: 'Your code: {####}', Subject: 'Sign-in code' },
          WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
        }),
      );
      const got = await s.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      for (const r of [set, got]) {
        assert.equal(r.MfaConfiguration, 'ON');
        assert.deepEqual(r.SmsMfaConfiguration, { SmsAuthenticationMessage: 'Code {####}' });
        assert.deepEqual(r.SoftwareTokenMfaConfiguration, { Enabled: true });
        assert.deepEqual(r.EmailMfaConfiguration, { Message: 'Your code: {####}', Subject: 'Sign-in code' });
        assert.deepEqual(r.WebAuthnConfiguration, { RelyingPartyId: 'localhost', UserVerification: 'required' });
      }
      const { UserPool } = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(UserPool!.MfaConfiguration, 'ON');
      assert.equal(UserPool!.SmsAuthenticationMessage, 'Code {####}');
      assert.equal((UserPool as Record<string, unknown>).SoftwareTokenMfaConfiguration, undefined);
    });

    test('factors left out are off; WebAuthnConfiguration alone leaves MFA as it was', async () => {
      const poolId = await makePool(s);
      await s.idp.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'OPTIONAL',
          SoftwareTokenMfaConfiguration: { Enabled: true },
          EmailMfaConfiguration: {},
        }),
      );
      await s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: 'example.com' } }));
      let r = await s.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(r.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(r.SoftwareTokenMfaConfiguration, { Enabled: true });
      assert.deepEqual(r.EmailMfaConfiguration, {});
      await s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, SoftwareTokenMfaConfiguration: { Enabled: true } }));
      r = await s.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(r.EmailMfaConfiguration, undefined);
      assert.equal(r.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(r.WebAuthnConfiguration, { RelyingPartyId: 'example.com', UserVerification: 'preferred' });
    });

    test('UpdateUserPool keeps the factors and sets the mode, which GetUserPoolMfaConfig then reads', async () => {
      const poolId = await makePool(s);
      await s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL' }));
      const r = await s.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(r.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(r.SoftwareTokenMfaConfiguration, { Enabled: true });
    });

    test('refusals: MFA ON with no factor, messages without {####}, e-mail MFA on LITE, a bad user verification, an unknown pool', async () => {
      const poolId = await makePool(s);
      assert.equal((await rejection(s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' })))).name, 'InvalidParameterException');
      assert.equal(
        (await rejection(s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, SmsMfaConfiguration: { SmsAuthenticationMessage: 'no code' } })))).name,
        'InvalidParameterException',
      );
      assert.equal(
        (await rejection(s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, EmailMfaConfiguration: { Message: 'no code' } })))).name,
        'InvalidParameterException',
      );
      const lite = await makePool(s, { UserPoolTier: 'LITE' });
      assert.equal((await rejection(s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: lite, EmailMfaConfiguration: {} })))).name, 'FeatureUnavailableInTierException');
      assert.equal(
        (await rejection(s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: 'not a domain!' } })))).name,
        'InvalidParameterException',
      );
      const missing = await rejection(s.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_Nope12345' })));
      assert.equal(missing.name, 'ResourceNotFoundException');
      const missingSet = await rejection(s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_Nope12345', MfaConfiguration: 'OFF' })));
      assert.equal(missingSet.name, 'ResourceNotFoundException');
    });

    // Cognito: "Only PASSWORD and WEB_AUTHN (if configured) can be enabled as an auth factor if MFA
    // is enabled". A one-time code as first factor would sign in with no second factor.
    const ONE_FACTOR_ONLY = /Only PASSWORD and WEB_AUTHN .* if MFA is enabled/;

    test('MFA ON and a one-time code as first factor are refused together, whichever comes second', async () => {
      const withOtp = await makePool(s, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } });
      const set = await rejection(s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: withOtp, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } })));
      assert.equal(set.name, 'InvalidParameterException');
      assert.match(set.message, ONE_FACTOR_ONLY);
      // Nothing was written.
      assert.equal((await s.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: withOtp }))).MfaConfiguration, 'OFF');
      // OPTIONAL leaves MFA to the user and is taken.
      await s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: withOtp, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));

      const required = await makePool(s);
      await s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: required, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      for (const factor of ['EMAIL_OTP', 'SMS_OTP'] as const) {
        const upd = await rejection(
          s.idp.send(new UpdateUserPoolCommand({ UserPoolId: required, MfaConfiguration: 'ON', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', factor] } } })),
        );
        assert.equal(upd.name, 'InvalidParameterException', factor);
        assert.match(upd.message, ONE_FACTOR_ONLY);
        const create = await rejection(
          s.idp.send(new CreateUserPoolCommand({ PoolName: 'both', MfaConfiguration: 'ON', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', factor] } } })),
        );
        assert.equal(create.name, 'InvalidParameterException', factor);
      }
      const { UserPool } = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: required }));
      assert.deepEqual(UserPool!.Policies!.SignInPolicy!.AllowedFirstAuthFactors, ['PASSWORD']);
      // Passkeys are no one-time code: ON and WEB_AUTHN go together.
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: required, MfaConfiguration: 'ON', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } }));
    });

    test('a pool stored with MFA ON and EMAIL_OTP (before the check) offers no one-time code as first factor', async () => {
      const poolId = await makePool(s, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } });
      await s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const clientId = (await makeClient(s, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'] })).id;
      await makeUser(s, poolId, 'otp', { attributes: { email: 'otp@example.com' } });
      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'otp', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
      const select = () => s.idp.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'otp' } }));
      assert.deepEqual((await select()).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
      // Sign-up without a password: fine while EMAIL_OTP is a first factor the user could use.
      await s.idp.send(new SignUpCommand({ ClientId: clientId, Username: 'nopass1', UserAttributes: [{ Name: 'email', Value: 'np1@example.com' }] }));
      // As a pool written by an older version would be: straight into the store, past the API's checks.
      await s.app.pools.changeSettings(poolId, (st) => ({ ...st, MfaConfiguration: 'ON' }));
      assert.deepEqual((await select()).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
      // ... and now refused: such a user would have no first factor at all.
      const nopass = await rejection(s.idp.send(new SignUpCommand({ ClientId: clientId, Username: 'nopass2', UserAttributes: [{ Name: 'email', Value: 'np2@example.com' }] })));
      assert.equal(nopass.name, 'InvalidParameterException');
      assert.match(nopass.message, /password is required/);
      const preferred = await s.idp.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'otp', PREFERRED_CHALLENGE: 'EMAIL_OTP' } }),
      );
      assert.equal(preferred.ChallengeName, 'SELECT_CHALLENGE');
    });
  });
}
