// AdminGetUserAuthFactors: a user's MFA settings and the first factors USER_AUTH offers them.
import { configuredAuthFactors } from '../../auth/user-auth.js';
import type { AdminGetUserAuthFactorsRequest, AdminGetUserAuthFactorsResponse } from '../../models/idp-types.js';
import { mfaSettings } from '../../userpools/users.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminGetUserAuthFactorsRequest, AdminGetUserAuthFactorsResponse>('idp', 'AdminGetUserAuthFactors', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const user = await app.users.get(pool, input.Username);
  const { PreferredMfaSetting, UserMFASettingList } = mfaSettings(user);
  return { Username: user.username, PreferredMfaSetting, UserMFASettingList, ConfiguredUserAuthFactors: await configuredAuthFactors(app, pool, user) };
});
