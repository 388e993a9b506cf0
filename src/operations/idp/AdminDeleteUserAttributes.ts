// AdminDeleteUserAttributes: removes attributes (never required or immutable ones).
import type { AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse>(
  'idp',
  'AdminDeleteUserAttributes',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    const user = await app.users.get(pool, input.Username);
    await app.users.deleteAttributes(pool, user, input.UserAttributeNames, { by: 'admin' });
    return {};
  },
);
