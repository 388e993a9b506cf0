// DescribeUserPoolDomain: the domain's pool and settings, Status ACTIVE; an unknown domain describes as {}.
import type { DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse>('idp', 'DescribeUserPoolDomain', async (input, { app }) => {
  return { DomainDescription: await app.oauth.domains.describe(input.Domain) };
});
