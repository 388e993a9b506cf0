// GetIdentityProviderByIdentifier: the provider holding one of its IdpIdentifiers.
import { federationOf } from '../../federation/index.js';
import { toIdentityProviderType } from '../../federation/providers.js';
import type { GetIdentityProviderByIdentifierRequest, GetIdentityProviderByIdentifierResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetIdentityProviderByIdentifierRequest, GetIdentityProviderByIdentifierResponse>('idp', 'GetIdentityProviderByIdentifier', async (input, { app }) => {
  return { IdentityProvider: toIdentityProviderType(await federationOf(app).providers.byIdentifier(input.UserPoolId, input.IdpIdentifier)) };
});
