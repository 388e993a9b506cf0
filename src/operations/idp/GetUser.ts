// GetUser (AccessToken): the caller's own profile. Attributes are those the token's app client may
// read (ReadAttributes; `sub` always), *_verified as the strings "true"/"false"; MFA settings as
// AdminGetUser gives them.
import type { GetUserRequest, GetUserResponse } from '../../models/idp-types.js';
import { clientReadableAttributes } from '../../userpools/attributes.js';
import { attributeList } from '../../userpools/user.js';
import { mfaSettings } from '../../userpools/users.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<GetUserRequest, GetUserResponse>('idp', 'GetUser', async (input, { app }) => {
  const { pool, client, user } = await authorizeCaller(app, input.AccessToken);
  return {
    Username: user.username,
    UserAttributes: attributeList(user, clientReadableAttributes(pool, client)),
    ...mfaSettings(user),
  };
});
