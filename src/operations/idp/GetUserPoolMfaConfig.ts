// GetUserPoolMfaConfig: the pool's MFA mode, its SMS / software token / e-mail factors and its
// passkey settings (src/userpools/mfa-config.ts).
import type { GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse } from '../../models/idp-types.js';
import { mfaConfigOf } from '../../userpools/mfa-config.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse>('idp', 'GetUserPoolMfaConfig', async (input, { app }) => {
  return mfaConfigOf(await app.pools.get(input.UserPoolId));
});
