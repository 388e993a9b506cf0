// ResendConfirmationCode (public): a new sign-up code for an UNCONFIRMED user.
import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from '../../models/idp-types.js';
import { resendConfirmationCode } from '../../userpools/registration.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>(
  'idp',
  'ResendConfirmationCode',
  async (input, { app }) => ({ CodeDeliveryDetails: await resendConfirmationCode(app.users, input) }),
);
