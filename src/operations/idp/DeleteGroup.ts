// DeleteGroup: the group and its memberships (the users stay).
import type { DeleteGroupRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteGroupRequest, Record<string, never>>('idp', 'DeleteGroup', async (input, { app }) => {
  await app.groups.delete(input.UserPoolId, input.GroupName);
  return {};
});
