// AdminEnableUser: a disabled user may sign in again.
import type { AdminEnableUserRequest, AdminEnableUserResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminEnableUserRequest, AdminEnableUserResponse>('idp', 'AdminEnableUser', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  await app.users.setEnabled(pool, await app.users.get(pool, input.Username), true);
  return {};
});
