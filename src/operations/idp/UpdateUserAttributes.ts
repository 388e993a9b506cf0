// UpdateUserAttributes (AccessToken): the caller changes their own attributes, as far as the app
// client may write them; changed contacts are verified by code, or held until verified where the
// pool says so (userpools/self-service.ts).
import type { UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '../../models/idp-types.js';
import { updateOwnAttributes } from '../../userpools/self-service.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<UpdateUserAttributesRequest, UpdateUserAttributesResponse>(
  'idp',
  'UpdateUserAttributes',
  async (input, { app }) => {
    const { pool, client, user } = await authorizeCaller(app, input.AccessToken);
    const sent = await updateOwnAttributes(app.users, pool, client, user, input.UserAttributes, input.ClientMetadata);
    return sent.length ? { CodeDeliveryDetailsList: sent } : {};
  },
);
