// ConfirmSignUp (public): the sign-up code confirms the user and verifies where it was sent.
import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '../../models/idp-types.js';
import { confirmSignUp } from '../../userpools/registration.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ConfirmSignUpRequest, ConfirmSignUpResponse>('idp', 'ConfirmSignUp', async (input, { app }) => {
  await confirmSignUp(app.users, input);
  return {};
});
