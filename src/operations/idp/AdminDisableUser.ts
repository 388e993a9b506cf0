// AdminDisableUser: the user can no longer sign in, and every token it holds is revoked (as
// Cognito does): its refresh tokens are refused and its access tokens stop working.
import type { AdminDisableUserRequest, AdminDisableUserResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminDisableUserRequest, AdminDisableUserResponse>('idp', 'AdminDisableUser', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const user = await app.users.get(pool, input.Username);
  await app.users.setEnabled(pool, user, false);
  await app.tokens.signOutUser(pool.id, user.id);
  return {};
});
