// POST /oauth2/revoke (RFC 7009; hosted-ui-oauth.md §4): revokes a refresh token and every token
// of its sign-in. Client authentication as at the token endpoint. An unknown or already revoked
// token answers 200 (RFC 7009 §2.2). Refusals: no token or revocation disabled on the client
// (invalid_request), an ID or access token (unsupported_token_type), another client's token
// (unauthorized_client).
import { recordHosted } from '../audit/hosted.js';
import { CognitoException } from '../errors.js';
import { refreshTokenHash } from '../tokens/refresh.js';
import { OAuthError, invalidRequest, unauthorizedClient } from './errors.js';
import { formOf, sendOAuthError, type Hosted } from './http.js';
import { authenticateClient } from './token.js';

export async function revoke(h: Hosted) {
  try {
    const params = formOf(h);
    const client = await authenticateClient(h.app, h.domain.poolId, h.req.headers.authorization, params);
    const token = params.get('token');
    if (!token) throw invalidRequest('token is required.');
    const found = await h.app.store.tokens.findRefreshToken(refreshTokenHash(token)).catch(() => undefined);
    try {
      await h.app.tokens.revokeRefreshToken(client, token);
      if (found && found.family.client_id === client.id) {
        await recordHosted(h.app, h.req, {
          poolId: found.family.pool_id,
          clientId: client.id,
          userId: found.family.user_id,
          username: found.user?.username ?? undefined,
          type: 'SignOut',
          outcome: 'Pass',
          detail: { op: 'OAuthRevoke' },
        });
      }
    } catch (e) {
      if (!(e instanceof CognitoException)) throw e;
      if (e.name === 'UnsupportedTokenTypeException') throw new OAuthError('unsupported_token_type', e.message);
      if (e.name === 'UnauthorizedException') throw unauthorizedClient(e.message);
      throw invalidRequest(e.message);
    }
    return h.reply.code(200).header('cache-control', 'no-store').send();
  } catch (e) {
    if (e instanceof OAuthError) return sendOAuthError(h, e);
    throw e;
  }
}
