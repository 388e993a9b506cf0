import type { UnlinkDeveloperIdentityInput } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UnlinkDeveloperIdentityInput>('identity', 'UnlinkDeveloperIdentity', async (input, { app }) => {
  await app.identity.developer.unlink(input.IdentityPoolId, input.IdentityId, input.DeveloperProviderName, input.DeveloperUserIdentifier);
  return {};
});
