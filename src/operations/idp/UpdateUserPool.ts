import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UpdateUserPoolRequest, UpdateUserPoolResponse>('idp', 'UpdateUserPool', async (input, { app }) => {
  await app.pools.replace(input);
  return {};
});
