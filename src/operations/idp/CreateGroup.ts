// CreateGroup: a new group; its name is unique in the pool (GroupExistsException).
import type { CreateGroupRequest, CreateGroupResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { groupFields, toGroupType } from './group-shapes.js';

export default defineOperation<CreateGroupRequest, CreateGroupResponse>('idp', 'CreateGroup', async (input, { app }) => {
  const row = await app.groups.create(input.UserPoolId, input.GroupName, groupFields(input));
  return { Group: toGroupType(row) };
});
