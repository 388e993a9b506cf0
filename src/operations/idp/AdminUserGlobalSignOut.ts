// Signs a user out everywhere, for an administrator: every refresh token of the user is refused,
// and so are the access tokens already issued.
import type { AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse>(
  'idp',
  'AdminUserGlobalSignOut',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    const user = await app.users.get(pool, input.Username);
    await app.tokens.signOutUser(pool.id, user.id);
    return {};
  },
);
