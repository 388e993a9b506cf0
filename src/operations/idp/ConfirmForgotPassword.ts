// ConfirmForgotPassword (public): the reset code sets a new permanent password (the user becomes
// CONFIRMED, also from RESET_REQUIRED); then the user's sign-ins are revoked, the failed-password
// count cleared and PostConfirmation run (userpools/password-reset.ts resetWithCode, which the
// hosted reset page runs too).
import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '../../models/idp-types.js';
import { resetWithCode } from '../../userpools/password-reset.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>(
  'idp',
  'ConfirmForgotPassword',
  async (input, { app, sourceIp }) => {
    await resetWithCode(app, input, sourceIp);
    return {};
  },
);
