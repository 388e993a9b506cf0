// GetUserAttributeVerificationCode (AccessToken): a new code for the caller's e-mail or phone
// number (to the value waiting for verification, if one is held).
import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '../../models/idp-types.js';
import { sendOwnAttributeCode } from '../../userpools/self-service.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse>(
  'idp',
  'GetUserAttributeVerificationCode',
  async (input, { app }) => {
    const { pool, user } = await authorizeCaller(app, input.AccessToken);
    return { CodeDeliveryDetails: await sendOwnAttributeCode(app.users, pool, user, input.AttributeName, input.ClientMetadata) };
  },
);
