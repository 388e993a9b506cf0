// REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new ID and access tokens from a refresh token, without
// rotation, so the result carries no RefreshToken (tokens.md §4; the old client keeps its own).
// The tokens domain checks the token (unknown, revoked, expired, another client's, a disabled
// user: NotAuthorizedException). SECRET_HASH, for a client with a secret, is over the user's
// canonical username or its sub (Cognito's docs name both); it is checked once the token has told
// whose it is, and nothing is written before that.
import { InvalidParameterException } from '../errors.js';
import { requireParam } from './params.js';
import { checkSecretHash, requireSecretHash } from './secret-hash.js';
import type { AuthStep, FlowContext } from './types.js';

export async function startRefresh(ctx: FlowContext, params: Record<string, string>, flow = 'REFRESH_TOKEN_AUTH'): Promise<AuthStep> {
  // Cognito: rotation must be completed with GetTokensFromRefreshToken. A refresh here would
  // renew the tokens while leaving the presented refresh token in place, which rotation forbids.
  if (ctx.client.settings.RefreshTokenRotation?.Feature === 'ENABLED') {
    throw new InvalidParameterException(`${flow} flow not enabled for this client: it rotates refresh tokens, which only GetTokensFromRefreshToken does.`);
  }
  const refreshToken = requireParam(params, 'REFRESH_TOKEN');
  requireSecretHash(ctx.client, params.SECRET_HASH);
  const { result, user } = await ctx.app.tokens.refresh({ client: ctx.client, refreshToken, rotate: false, context: { ip: ctx.sourceIp, userAgent: ctx.userAgent } });
  checkSecretHash(ctx.client, params.SECRET_HASH, [user.username, user.id]);
  const { RefreshToken: _none, ...withoutRefresh } = result;
  return { kind: 'tokens', result: withoutRefresh };
}
