import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UpdateUserPoolRequest, UpdateUserPoolResponse>('idp', 'UpdateUserPool', async (input, { app }) => {
  await app.imports.refuseWhileRunning(input.UserPoolId);
  await app.pools.replace(input);
  return {};
});
