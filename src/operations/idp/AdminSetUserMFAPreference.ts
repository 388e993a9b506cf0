// AdminSetUserMFAPreference: a user's second factors on or off, and the preferred one
// (src/auth/mfa-preference.ts).
import { setMfaPreference } from '../../auth/mfa-preference.js';
import type { AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse>('idp', 'AdminSetUserMFAPreference', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const user = await app.users.get(pool, input.Username);
  await setMfaPreference(app, pool, user, input);
  return {};
});
