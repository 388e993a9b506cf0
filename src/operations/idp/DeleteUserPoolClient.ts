import type { DeleteUserPoolClientRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteUserPoolClientRequest>('idp', 'DeleteUserPoolClient', async (input, { app }) => {
  await app.pools.deleteClient(input.UserPoolId, input.ClientId);
  return {};
});
