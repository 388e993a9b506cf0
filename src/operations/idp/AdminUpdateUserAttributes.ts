// AdminUpdateUserAttributes: sets attributes as an administrator (may set *_verified; a changed
// auto-verified e-mail/phone gets a verification code).
import type { AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse>(
  'idp',
  'AdminUpdateUserAttributes',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    const user = await app.users.get(pool, input.Username);
    await app.users.updateAttributes(pool, user, input.UserAttributes, { by: 'admin', clientMetadata: input.ClientMetadata });
    return {};
  },
);
