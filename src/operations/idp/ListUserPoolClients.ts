import type { ListUserPoolClientsRequest, ListUserPoolClientsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

const DEFAULT_PAGE = 60;

export default defineOperation<ListUserPoolClientsRequest, ListUserPoolClientsResponse>('idp', 'ListUserPoolClients', async (input, { app }) => {
  const page = await app.pools.listClients(input.UserPoolId, input.MaxResults ?? DEFAULT_PAGE, input.NextToken);
  return {
    UserPoolClients: page.items.map((c) => ({ ClientId: c.id, UserPoolId: c.poolId, ClientName: c.name })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
});
