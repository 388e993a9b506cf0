// UpdateGroup: changes the Description, RoleArn and Precedence given; the others stay as they are.
import type { UpdateGroupRequest, UpdateGroupResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { groupFields, toGroupType } from './group-shapes.js';

export default defineOperation<UpdateGroupRequest, UpdateGroupResponse>('idp', 'UpdateGroup', async (input, { app }) => {
  const row = await app.groups.update(input.UserPoolId, input.GroupName, groupFields(input));
  return { Group: toGroupType(row) };
});
