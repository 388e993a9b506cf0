import type { SetPrincipalTagAttributeMapInput, SetPrincipalTagAttributeMapResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<SetPrincipalTagAttributeMapInput, SetPrincipalTagAttributeMapResponse>(
  'identity',
  'SetPrincipalTagAttributeMap',
  async (input, { app }) => {
    const map = { UseDefaults: input.UseDefaults ?? false, PrincipalTags: input.PrincipalTags ?? {} };
    await app.identity.pools.setPrincipalTags(input.IdentityPoolId, input.IdentityProviderName, map);
    return { IdentityPoolId: input.IdentityPoolId, IdentityProviderName: input.IdentityProviderName, ...map };
  },
);
