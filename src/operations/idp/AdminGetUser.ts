// AdminGetUser: a user by username or alias, with every attribute (sub first) and MFA settings.
import type { AdminGetUserRequest, AdminGetUserResponse } from '../../models/idp-types.js';
import { attributeList } from '../../userpools/user.js';
import { mfaSettings } from '../../userpools/users.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminGetUserRequest, AdminGetUserResponse>('idp', 'AdminGetUser', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const user = await app.users.get(pool, input.Username);
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
    ...mfaSettings(user),
  };
});
