// The pure MFA rules: a pool's factors from its settings (mfa-config.ts) and a user's preference
// changes (mfa-preference.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyMfaPreference } from '../../src/auth/mfa-preference.js';
import { applyMfaConfig, mfaConfigOf, poolFactors } from '../../src/userpools/mfa-config.js';
import type { PoolSettings, UserPool } from '../../src/userpools/pools.js';
import type { User } from '../../src/userpools/user.js';

const pool = (settings: PoolSettings): UserPool => ({ id: 'us-east-1_Test', name: 't', arn: 'arn', srpName: 'Test', settings, createdAt: 0, updatedAt: 0 });
const user = (mfa: User['mfa'] = {}, attributes: Record<string, string> = {}): User => ({
  id: 'sub',
  poolId: 'us-east-1_Test',
  username: 'u',
  usernameNorm: 'u',
  status: 'CONFIRMED',
  enabled: true,
  attributes,
  mfa,
  createdAt: 0,
  updatedAt: 0,
});

test('a pool never configured offers SMS when its mode is ON or OPTIONAL, nothing when OFF', () => {
  assert.deepEqual([...poolFactors(pool({ MfaConfiguration: 'ON' }))], ['SMS_MFA']);
  assert.deepEqual([...poolFactors(pool({ MfaConfiguration: 'OFF' }))], []);
});

test('SetUserPoolMfaConfig replaces the factors given, keeps the mode when omitted, and WebAuthn alone touches nothing else', () => {
  let s = applyMfaConfig({ MfaConfiguration: 'OFF' }, { UserPoolId: 'x', MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
  assert.deepEqual([...poolFactors(pool(s))].sort(), ['EMAIL_OTP', 'SOFTWARE_TOKEN_MFA']);
  s = applyMfaConfig(s, { UserPoolId: 'x', WebAuthnConfiguration: { RelyingPartyId: 'example.com' } });
  assert.deepEqual([...poolFactors(pool(s))].sort(), ['EMAIL_OTP', 'SOFTWARE_TOKEN_MFA']);
  s = applyMfaConfig(s, { UserPoolId: 'x', SmsMfaConfiguration: { SmsAuthenticationMessage: 'c {####}' } });
  assert.deepEqual([...poolFactors(pool(s))], ['SMS_MFA']);
  assert.equal(s.MfaConfiguration, 'OPTIONAL');
  assert.deepEqual(mfaConfigOf(pool(s)).SmsMfaConfiguration, { SmsAuthenticationMessage: 'c {####}' });
  assert.throws(() => applyMfaConfig(s, { UserPoolId: 'x', MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: false } }), { name: 'InvalidParameterException' });
});

test('preferences: enabling needs the means, preferring enables, disabling drops the preference', () => {
  const phone = { phone_number: '+15555550100' };
  assert.throws(() => applyMfaPreference(user(), { SMSMfaSettings: { Enabled: true } }), /delivery config set to turn on SMS_MFA/);
  assert.throws(() => applyMfaPreference(user(), { SoftwareTokenMfaSettings: { Enabled: true } }), /not verified software token/);
  let mfa = applyMfaPreference(user({}, phone), { SMSMfaSettings: { PreferredMfa: true } });
  assert.deepEqual(mfa, { smsEnabled: true, preferred: 'SMS_MFA' });
  mfa = applyMfaPreference(user(mfa, phone), { SMSMfaSettings: { Enabled: false } });
  assert.deepEqual(mfa, {});
  const withToken = user({ totpSecret: 'sealed', totpEnabled: true, preferred: 'SOFTWARE_TOKEN_MFA' }, phone);
  mfa = applyMfaPreference(withToken, { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
  assert.equal(mfa.preferred, 'SMS_MFA');
  assert.equal(mfa.totpEnabled, true);
  assert.throws(() => applyMfaPreference(withToken, { SMSMfaSettings: { PreferredMfa: true }, SoftwareTokenMfaSettings: { PreferredMfa: true } }), {
    name: 'InvalidParameterException',
  });
});
