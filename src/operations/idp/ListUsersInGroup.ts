// ListUsersInGroup: the members of a group (ResourceNotFoundException when it does not exist),
// paged by NextToken.
import type { ListUsersInGroupRequest, ListUsersInGroupResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { memberToUserType } from './group-shapes.js';

export default defineOperation<ListUsersInGroupRequest, ListUsersInGroupResponse>('idp', 'ListUsersInGroup', async (input, { app }) => {
  const page = await app.groups.listUsers(input.UserPoolId, input.GroupName, input.Limit, input.NextToken);
  return {
    Users: page.items.map((row) => memberToUserType(row, app.sealer)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
});
