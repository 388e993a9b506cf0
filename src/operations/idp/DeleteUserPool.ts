import type { DeleteUserPoolRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteUserPoolRequest>('idp', 'DeleteUserPool', async (input, { app }) => {
  await app.imports.refuseWhileRunning(input.UserPoolId);
  await app.pools.delete(input.UserPoolId);
  app.tokens.keys.forget(input.UserPoolId);
  return {};
});
