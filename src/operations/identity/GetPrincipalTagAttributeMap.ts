import type { GetPrincipalTagAttributeMapInput, GetPrincipalTagAttributeMapResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetPrincipalTagAttributeMapInput, GetPrincipalTagAttributeMapResponse>(
  'identity',
  'GetPrincipalTagAttributeMap',
  async (input, { app }) => {
    const pool = await app.identity.pools.get(input.IdentityPoolId);
    const map = pool.principalTags[input.IdentityProviderName] ?? { UseDefaults: false, PrincipalTags: {} };
    return { IdentityPoolId: pool.id, IdentityProviderName: input.IdentityProviderName, ...map };
  },
);
