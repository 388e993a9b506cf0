import type { GetOpenIdTokenForDeveloperIdentityInput, GetOpenIdTokenForDeveloperIdentityResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetOpenIdTokenForDeveloperIdentityInput, GetOpenIdTokenForDeveloperIdentityResponse>(
  'identity',
  'GetOpenIdTokenForDeveloperIdentity',
  async (input, { app }) => {
    const login = await app.identity.developer.register(input.IdentityPoolId, input.IdentityId, input.Logins);
    return { IdentityId: login.identityId, Token: await app.identity.developerToken(login, input.PrincipalTags, input.TokenDuration) };
  },
);
