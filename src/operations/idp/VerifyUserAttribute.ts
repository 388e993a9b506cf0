// VerifyUserAttribute (AccessToken): the code verifies the caller's e-mail or phone number (and
// puts a held new value in place).
import type { VerifyUserAttributeRequest, VerifyUserAttributeResponse } from '../../models/idp-types.js';
import { verifyOwnAttribute } from '../../userpools/self-service.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<VerifyUserAttributeRequest, VerifyUserAttributeResponse>('idp', 'VerifyUserAttribute', async (input, { app }) => {
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  await verifyOwnAttribute(app.users, pool, user, input.AttributeName, input.Code);
  return {};
});
