// AdminCreateUser: a user with a temporary password and an invitation (registration.ts).
import type { AdminCreateUserRequest, AdminCreateUserResponse } from '../../models/idp-types.js';
import { adminCreateUser } from '../../userpools/registration.js';
import { toUserType } from '../../userpools/user.js';
import { mfaSettings } from '../../userpools/users.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminCreateUserRequest, AdminCreateUserResponse>('idp', 'AdminCreateUser', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const user = await adminCreateUser(app.users, pool, input);
  const { MFAOptions } = mfaSettings(user);
  return { User: { ...toUserType(user), ...(MFAOptions ? { MFAOptions } : {}) } };
});
