// DeleteUserAttributes (AccessToken): the caller removes their own attributes (never required or
// immutable ones, only what the app client may write).
import type { DeleteUserAttributesRequest, DeleteUserAttributesResponse } from '../../models/idp-types.js';
import { deleteOwnAttributes } from '../../userpools/self-service.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<DeleteUserAttributesRequest, DeleteUserAttributesResponse>(
  'idp',
  'DeleteUserAttributes',
  async (input, { app }) => {
    const { pool, client, user } = await authorizeCaller(app, input.AccessToken);
    await deleteOwnAttributes(app.users, pool, client, user, input.UserAttributeNames);
    return {};
  },
);
