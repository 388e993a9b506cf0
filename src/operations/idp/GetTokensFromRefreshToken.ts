// New ID and access tokens from a refresh token (Amplify v6 refreshes only through this).
// Rotation when the client has RefreshTokenRotation.Feature ENABLED: a new RefreshToken in the
// result, the presented one refused after RetryGracePeriodSeconds (RefreshTokenReuseException).
// DeviceKey is not read: the tokens name the device the sign-in was bound to, if any
// (src/tokens/tokens.ts refresh).
import { NotAuthorizedException } from '../../errors.js';
import type { GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse } from '../../models/idp-types.js';
import { isClientSecretValid } from '../../tokens/client-auth.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>(
  'idp',
  'GetTokensFromRefreshToken',
  async (input, { app, sourceIp, headers }) => {
    const client = await app.pools.getClient(undefined, input.ClientId);
    if (!isClientSecretValid(client, input.ClientSecret)) {
      throw new NotAuthorizedException(`Unable to verify secret for client ${client.id}`);
    }
    const { result } = await app.tokens.refresh({
      client,
      refreshToken: input.RefreshToken,
      rotate: client.settings.RefreshTokenRotation?.Feature === 'ENABLED',
      clientMetadata: input.ClientMetadata,
      context: { ip: sourceIp, userAgent: typeof headers['user-agent'] === 'string' ? headers['user-agent'] : undefined },
    });
    return { AuthenticationResult: result };
  },
);
