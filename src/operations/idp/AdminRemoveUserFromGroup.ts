// AdminRemoveUserFromGroup: the user (by username or alias) leaves the group; a non-member is fine.
import type { AdminRemoveUserFromGroupRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminRemoveUserFromGroupRequest, Record<string, never>>(
  'idp',
  'AdminRemoveUserFromGroup',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    const user = await app.users.get(pool, input.Username);
    await app.groups.removeUser(pool.id, input.GroupName, user.id);
    return {};
  },
);
