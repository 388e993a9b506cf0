// SetUserMFAPreference (AccessToken): the caller's second factors on or off, and the preferred one
// (src/auth/mfa-preference.ts).
import { setMfaPreference } from '../../auth/mfa-preference.js';
import type { SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse>('idp', 'SetUserMFAPreference', async (input, { app }) => {
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  await setMfaPreference(app, pool, user, input);
  return {};
});
