// SetUserPoolMfaConfig: the pool's MFA mode and factors, and its passkey settings (rules in
// src/userpools/mfa-config.ts). Answers the configuration as GetUserPoolMfaConfig then reads it.
import type { SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse } from '../../models/idp-types.js';
import { applyMfaConfig, mfaConfigOf } from '../../userpools/mfa-config.js';
import { defineOperation } from '../operation.js';

export default defineOperation<SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse>('idp', 'SetUserPoolMfaConfig', async (input, { app }) => {
  const pool = await app.pools.changeSettings(input.UserPoolId, (s) => applyMfaConfig(s, input));
  return mfaConfigOf(pool);
});
