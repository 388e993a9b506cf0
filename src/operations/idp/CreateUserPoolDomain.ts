// CreateUserPoolDomain: a prefix domain, or a custom domain when CustomDomainConfig is given; ACTIVE at once.
import type { CreateUserPoolDomainRequest, CreateUserPoolDomainResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<CreateUserPoolDomainRequest, CreateUserPoolDomainResponse>('idp', 'CreateUserPoolDomain', async (input, { app }) => {
  const { domain, cloudFrontDomain } = await app.oauth.domains.create(input);
  return { ManagedLoginVersion: domain.managedLoginVersion, ...(cloudFrontDomain ? { CloudFrontDomain: cloudFrontDomain } : {}) };
});
