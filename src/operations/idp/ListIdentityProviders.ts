// ListIdentityProviders: in name order, MaxResults (1-60, default 60) per page.
import { federationOf } from '../../federation/index.js';
import type { ListIdentityProvidersRequest, ListIdentityProvidersResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ListIdentityProvidersRequest, ListIdentityProvidersResponse>('idp', 'ListIdentityProviders', async (input, { app }) => {
  const page = await federationOf(app).providers.list(input.UserPoolId, input.MaxResults || 60, input.NextToken);
  return { Providers: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});
