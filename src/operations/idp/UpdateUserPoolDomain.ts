// UpdateUserPoolDomain: the managed-login version, and a custom domain's certificate.
import type { UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse>('idp', 'UpdateUserPoolDomain', async (input, { app }) => {
  const { domain, cloudFrontDomain } = await app.oauth.domains.update(input);
  return { ManagedLoginVersion: domain.managedLoginVersion, ...(cloudFrontDomain ? { CloudFrontDomain: cloudFrontDomain } : {}) };
});
