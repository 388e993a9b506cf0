import type { ListUserPoolClientSecretsRequest, ListUserPoolClientSecretsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toSecretDescriptor } from './pool-shapes.js';

// At most two secrets: one answer, no NextToken (as Cognito), never their values.
export default defineOperation<ListUserPoolClientSecretsRequest, ListUserPoolClientSecretsResponse>('idp', 'ListUserPoolClientSecrets', async (input, { app }) => {
  const secrets = await app.pools.listClientSecrets(input.UserPoolId, input.ClientId);
  return { ClientSecrets: secrets.map((s) => toSecretDescriptor(s, false)) };
});
