import type { DeleteIdentityPoolInput } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteIdentityPoolInput>('identity', 'DeleteIdentityPool', async (input, { app }) => {
  await app.identity.pools.delete(input.IdentityPoolId);
  return {};
});
