// DeleteIdentityProvider (its identifiers go with it; linked identities stay until unlinked).
import { federationOf } from '../../federation/index.js';
import type { DeleteIdentityProviderRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteIdentityProviderRequest>('idp', 'DeleteIdentityProvider', async (input, { app }) => {
  await federationOf(app).providers.delete(input.UserPoolId, input.ProviderName);
  return {};
});
