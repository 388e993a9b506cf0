// ForgotPassword (public): a password reset code to the user's verified contact, or with
// PreventUserExistenceErrors a look-alike answer for an unknown user (userpools/password-reset.ts).
import type { ForgotPasswordRequest, ForgotPasswordResponse } from '../../models/idp-types.js';
import { forgotPassword } from '../../userpools/password-reset.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ForgotPasswordRequest, ForgotPasswordResponse>('idp', 'ForgotPassword', async (input, { app }) => ({
  CodeDeliveryDetails: await forgotPassword(app.users, input, () => app.auth.standInKey()),
}));
