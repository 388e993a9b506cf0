import type { ListUserPoolsRequest, ListUserPoolsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

// Pool summaries (UserPoolDescriptionType); MaxResults (1..60) is required by the model.
export default defineOperation<ListUserPoolsRequest, ListUserPoolsResponse>('idp', 'ListUserPools', async (input, { app }) => {
  const page = await app.pools.list(input.MaxResults, input.NextToken);
  return {
    UserPools: page.items.map((p) => ({
      Id: p.id,
      Name: p.name,
      LambdaConfig: p.settings.LambdaConfig ?? {},
      LastModifiedDate: p.updatedAt / 1000,
      CreationDate: p.createdAt / 1000,
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
});
