// ListResourceServers: by identifier, MaxResults (1..50, default 50) per page, NextToken onwards.
import type { ListResourceServersRequest, ListResourceServersResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ListResourceServersRequest, ListResourceServersResponse>('idp', 'ListResourceServers', async (input, { app }) => {
  const page = await app.oauth.resourceServers.list(input.UserPoolId, input.MaxResults ?? 50, input.NextToken);
  return { ResourceServers: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});
