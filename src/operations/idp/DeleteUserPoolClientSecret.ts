import type { DeleteUserPoolClientSecretRequest, DeleteUserPoolClientSecretResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteUserPoolClientSecretRequest, DeleteUserPoolClientSecretResponse>('idp', 'DeleteUserPoolClientSecret', async (input, { app }) => {
  await app.pools.deleteClientSecret(input.UserPoolId, input.ClientId, input.ClientSecretId);
  return {};
});
