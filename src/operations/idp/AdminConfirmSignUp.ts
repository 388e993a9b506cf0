// AdminConfirmSignUp: confirms an UNCONFIRMED user without a code (no attribute gets verified).
import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from '../../models/idp-types.js';
import { adminConfirmSignUp } from '../../userpools/registration.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse>('idp', 'AdminConfirmSignUp', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  await adminConfirmSignUp(app.users, pool, input.Username, input.ClientMetadata);
  return {};
});
