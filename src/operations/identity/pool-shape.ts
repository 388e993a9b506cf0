// The IdentityPool structure as CreateIdentityPool, DescribeIdentityPool and UpdateIdentityPool
// return it.
import type { IdentityPool as IdentityPoolShape } from '../../models/identity-types.js';
import type { IdentityPool, IdentityPoolSettings } from '../../identity/pools.js';

export function identityPoolShape(pool: IdentityPool, tags: Record<string, string>): IdentityPoolShape {
  return {
    IdentityPoolId: pool.id,
    IdentityPoolName: pool.name,
    ...pool.settings,
    IdentityPoolTags: tags,
  };
}

/** The settings members of a CreateIdentityPool / UpdateIdentityPool input. */
export function settingsOf(input: IdentityPoolSettings): IdentityPoolSettings {
  return {
    AllowUnauthenticatedIdentities: input.AllowUnauthenticatedIdentities,
    AllowClassicFlow: input.AllowClassicFlow,
    SupportedLoginProviders: input.SupportedLoginProviders,
    DeveloperProviderName: input.DeveloperProviderName,
    OpenIdConnectProviderARNs: input.OpenIdConnectProviderARNs,
    CognitoIdentityProviders: input.CognitoIdentityProviders,
    SamlProviderARNs: input.SamlProviderARNs,
  };
}
