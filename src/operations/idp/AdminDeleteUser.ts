// AdminDeleteUser: removes a user with its aliases, codes and group memberships.
import type { AdminDeleteUserRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminDeleteUserRequest>('idp', 'AdminDeleteUser', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  await app.users.delete(pool, await app.users.get(pool, input.Username));
  return {};
});
