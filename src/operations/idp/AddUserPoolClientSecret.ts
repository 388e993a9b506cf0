import type { AddUserPoolClientSecretRequest, AddUserPoolClientSecretResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toSecretDescriptor } from './pool-shapes.js';

// A second secret for rotation without downtime: both work until one is deleted. The value is in
// the answer only when Tessera generated it.
export default defineOperation<AddUserPoolClientSecretRequest, AddUserPoolClientSecretResponse>('idp', 'AddUserPoolClientSecret', async (input, { app }) => {
  const { secret, generated } = await app.pools.addClientSecret(input.UserPoolId, input.ClientId, input.ClientSecret);
  return { ClientSecretDescriptor: toSecretDescriptor(secret, generated) };
});
