import type { DeleteIdentitiesInput, DeleteIdentitiesResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteIdentitiesInput, DeleteIdentitiesResponse>('identity', 'DeleteIdentities', async (input, { app }) => {
  await app.identity.identities.delete(input.IdentityIdsToDelete);
  return { UnprocessedIdentityIds: [] };
});
