// SetUserPoolMfaConfig / GetUserPoolMfaConfig through the SDK, and DescribeUserPool agreeing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { makePool, rejection } from './support.js';

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
  });
}
