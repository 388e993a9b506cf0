// DeleteUser (AccessToken): the caller deletes their own account; its aliases, codes and sign-ins
// go with it, so every token of the user is refused afterwards.
import type { DeleteUserRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<DeleteUserRequest, Record<string, never>>('idp', 'DeleteUser', async (input, { app }) => {
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  await app.users.delete(pool, user);
  return {};
});
