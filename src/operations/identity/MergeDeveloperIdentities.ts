import type { MergeDeveloperIdentitiesInput, MergeDeveloperIdentitiesResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<MergeDeveloperIdentitiesInput, MergeDeveloperIdentitiesResponse>('identity', 'MergeDeveloperIdentities', async (input, { app }) => {
  const identityId = await app.identity.developer.merge(
    input.IdentityPoolId,
    input.DeveloperProviderName,
    input.SourceUserIdentifier,
    input.DestinationUserIdentifier,
  );
  return { IdentityId: identityId };
});
