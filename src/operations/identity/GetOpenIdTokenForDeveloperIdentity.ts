import { ExternalServiceException, InternalErrorException } from '../../errors.js';
import type { GetOpenIdTokenForDeveloperIdentityInput, GetOpenIdTokenForDeveloperIdentityResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetOpenIdTokenForDeveloperIdentityInput, GetOpenIdTokenForDeveloperIdentityResponse>(
  'identity',
  'GetOpenIdTokenForDeveloperIdentity',
  async (input, { app }) => {
    let login;
    try {
      login = await app.identity.developer.register(input.IdentityPoolId, input.IdentityId, input.Logins);
    } catch (e) {
      // Other logins given with the developer's are checked with their providers; a provider that
      // fails is ExternalServiceException elsewhere, which this operation's model does not list.
      if (e instanceof ExternalServiceException) throw new InternalErrorException(e.message);
      throw e;
    }
    return { IdentityId: login.identityId, Token: await app.identity.developerToken(login, input.PrincipalTags, input.TokenDuration) };
  },
);
