import type { AddCustomAttributesRequest, AddCustomAttributesResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AddCustomAttributesRequest, AddCustomAttributesResponse>('idp', 'AddCustomAttributes', async (input, { app }) => {
  await app.imports.refuseWhileRunning(input.UserPoolId);
  await app.pools.addCustomAttributes(input.UserPoolId, input.CustomAttributes);
  return {};
});
