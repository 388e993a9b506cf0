// Revokes a refresh token and every token of its sign-in (RFC 7009 semantics: an unknown token is
// not an error). The operation declares neither NotAuthorized nor ResourceNotFound, so a client
// that is unknown or fails its secret is UnauthorizedException.
import { ResourceNotFoundException, UnauthorizedException } from '../../errors.js';
import type { RevokeTokenRequest, RevokeTokenResponse } from '../../models/idp-types.js';
import { isClientSecretValid } from '../../tokens/client-auth.js';
import { defineOperation } from '../operation.js';

export default defineOperation<RevokeTokenRequest, RevokeTokenResponse>('idp', 'RevokeToken', async (input, { app }) => {
  const client = await app.pools.getClient(undefined, input.ClientId).catch((e: unknown) => {
    throw e instanceof ResourceNotFoundException ? new UnauthorizedException('Invalid client.') : e;
  });
  if (!isClientSecretValid(client, input.ClientSecret)) {
    throw new UnauthorizedException(`Unable to verify secret for client ${client.id}`);
  }
  await app.tokens.revokeRefreshToken(client, input.Token);
  return {};
});
