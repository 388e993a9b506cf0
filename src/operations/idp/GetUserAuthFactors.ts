// GetUserAuthFactors (AccessToken): the caller's MFA settings and the first factors USER_AUTH
// offers them (src/auth/user-auth.ts).
import { configuredAuthFactors } from '../../auth/user-auth.js';
import type { GetUserAuthFactorsRequest, GetUserAuthFactorsResponse } from '../../models/idp-types.js';
import { mfaSettings } from '../../userpools/users.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<GetUserAuthFactorsRequest, GetUserAuthFactorsResponse>('idp', 'GetUserAuthFactors', async (input, { app }) => {
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  const { PreferredMfaSetting, UserMFASettingList } = mfaSettings(user);
  return { Username: user.username, PreferredMfaSetting, UserMFASettingList, ConfiguredUserAuthFactors: await configuredAuthFactors(app, pool, user) };
});
