// DeleteUserPoolDomain: the pool's hosted UI stops answering on that domain.
import type { DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse>('idp', 'DeleteUserPoolDomain', async (input, { app }) => {
  await app.oauth.domains.delete(input.UserPoolId, input.Domain);
  return {};
});
