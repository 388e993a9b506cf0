// AdminResetUserPassword: RESET_REQUIRED and a reset code to the verified recovery contact.
import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '../../models/idp-types.js';
import { adminResetUserPassword } from '../../userpools/registration.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse>(
  'idp',
  'AdminResetUserPassword',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    await adminResetUserPassword(app.users, pool, input.Username, input.ClientMetadata);
    return {};
  },
);
