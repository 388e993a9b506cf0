// GetGroup: one group, or ResourceNotFoundException 'Group not found.'.
import type { GetGroupRequest, GetGroupResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toGroupType } from './group-shapes.js';

export default defineOperation<GetGroupRequest, GetGroupResponse>('idp', 'GetGroup', async (input, { app }) => {
  return { Group: toGroupType(await app.groups.get(input.UserPoolId, input.GroupName)) };
});
