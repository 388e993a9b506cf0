// AdminSetUserSettings: the legacy MFAOptions setter, SMS MFA on or off for a user
// (src/auth/mfa-preference.ts).
import { setLegacyMfaOptions } from '../../auth/mfa-preference.js';
import type { AdminSetUserSettingsRequest, AdminSetUserSettingsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminSetUserSettingsRequest, AdminSetUserSettingsResponse>('idp', 'AdminSetUserSettings', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const user = await app.users.get(pool, input.Username);
  await setLegacyMfaOptions(app, pool, user, input.MFAOptions);
  return {};
});
