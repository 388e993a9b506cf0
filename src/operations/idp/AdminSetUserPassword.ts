// AdminSetUserPassword: Permanent -> CONFIRMED; otherwise a temporary password and
// FORCE_CHANGE_PASSWORD. The pool's policy applies either way.
import type { AdminSetUserPasswordRequest, AdminSetUserPasswordResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse>('idp', 'AdminSetUserPassword', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const user = await app.users.get(pool, input.Username);
  await app.users.setPassword(pool, user, input.Password, { permanent: input.Permanent === true });
  return {};
});
