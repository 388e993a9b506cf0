// CreateIdentityProvider (rules in src/federation/providers.ts).
import { federationOf } from '../../federation/index.js';
import { toIdentityProviderType } from '../../federation/providers.js';
import type { CreateIdentityProviderRequest, CreateIdentityProviderResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<CreateIdentityProviderRequest, CreateIdentityProviderResponse>('idp', 'CreateIdentityProvider', async (input, { app }) => {
  return { IdentityProvider: toIdentityProviderType(await federationOf(app).providers.create(input)) };
});
