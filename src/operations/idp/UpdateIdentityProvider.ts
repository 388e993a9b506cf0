// UpdateIdentityProvider: details, mapping and identifiers replaced when given; a secret left out is kept.
import { federationOf } from '../../federation/index.js';
import { toIdentityProviderType } from '../../federation/providers.js';
import type { UpdateIdentityProviderRequest, UpdateIdentityProviderResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UpdateIdentityProviderRequest, UpdateIdentityProviderResponse>('idp', 'UpdateIdentityProvider', async (input, { app }) => {
  return { IdentityProvider: toIdentityProviderType(await federationOf(app).providers.update(input)) };
});
