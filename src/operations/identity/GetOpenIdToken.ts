import type { GetOpenIdTokenInput, GetOpenIdTokenResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetOpenIdTokenInput, GetOpenIdTokenResponse>('identity', 'GetOpenIdToken', async (input, { app }) => {
  const authorized = await app.identity.identities.authorize(input.IdentityId, input.Logins, { classicFlow: true });
  return { IdentityId: authorized.identityId, Token: await app.identity.openIdToken(authorized) };
});
