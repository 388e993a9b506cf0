// AdminAddUserToGroup: the user (by username or alias) joins the group; joining twice is fine.
import type { AdminAddUserToGroupRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminAddUserToGroupRequest, Record<string, never>>('idp', 'AdminAddUserToGroup', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const user = await app.users.get(pool, input.Username);
  await app.groups.addUser(pool.id, input.GroupName, user.id);
  return {};
});
