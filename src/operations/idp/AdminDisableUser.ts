// AdminDisableUser: the user can no longer sign in.
import type { AdminDisableUserRequest, AdminDisableUserResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminDisableUserRequest, AdminDisableUserResponse>('idp', 'AdminDisableUser', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  await app.users.setEnabled(pool, await app.users.get(pool, input.Username), false);
  return {};
});
