// ListGroups: the pool's groups by name, Limit (0..60, default 60) per page, NextToken onwards.
import type { ListGroupsRequest, ListGroupsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toGroupType } from './group-shapes.js';

export default defineOperation<ListGroupsRequest, ListGroupsResponse>('idp', 'ListGroups', async (input, { app }) => {
  const page = await app.groups.list(input.UserPoolId, input.Limit, input.NextToken);
  return { Groups: page.items.map(toGroupType), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});
