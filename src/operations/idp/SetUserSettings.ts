// SetUserSettings (AccessToken): the legacy MFAOptions setter, SMS MFA on or off for the caller
// (src/auth/mfa-preference.ts).
import { setLegacyMfaOptions } from '../../auth/mfa-preference.js';
import type { SetUserSettingsRequest, SetUserSettingsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<SetUserSettingsRequest, SetUserSettingsResponse>('idp', 'SetUserSettings', async (input, { app }) => {
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  await setLegacyMfaOptions(app, pool, user, input.MFAOptions);
  return {};
});
