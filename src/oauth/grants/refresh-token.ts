// The refresh_token grant (RFC 6749 §6) over app.tokens.refresh: new ID (when the sign-in had
// the openid scope) and access tokens; a new refresh token only when the client rotates them
// (RefreshTokenRotation ENABLED). Unknown, revoked, expired, another client's or a rotated-out
// refresh token: invalid_grant.
import { CognitoException } from '../../errors.js';
import { enabledFlows } from '../../auth/explicit-flows.js';
import { invalidGrant, invalidRequest, unauthorizedClient } from '../errors.js';
import type { Grant, TokenResponse } from './types.js';

export const refreshTokenGrant: Grant = async ({ app, client, params, context }) => {
  const token = params.get('refresh_token');
  if (!token) throw invalidRequest('refresh_token is required.');
  const rotate = client.settings.RefreshTokenRotation?.Feature === 'ENABLED';
  // A rotating client leaves ALLOW_REFRESH_TOKEN_AUTH out, as Cognito tells it to (that flow does
  // not rotate); its refresh tokens still work here, where they rotate.
  if (!rotate && !enabledFlows(client).has('ALLOW_REFRESH_TOKEN_AUTH')) throw unauthorizedClient('Refresh tokens are not enabled for this client.');
  let refreshed;
  try {
    refreshed = await app.tokens.refresh({ client, refreshToken: token, rotate, context });
  } catch (e) {
    if (e instanceof CognitoException) throw invalidGrant(e.message);
    throw e;
  }
  const r = refreshed.result;
  const scopes = scopesOf(r.AccessToken!);
  const out: TokenResponse = { access_token: r.AccessToken!, token_type: 'Bearer', expires_in: r.ExpiresIn! };
  if (scopes.includes('openid')) out.id_token = r.IdToken!;
  if (r.RefreshToken) out.refresh_token = r.RefreshToken;
  return out;
};

/** The `scope` claim of a token we just signed. */
function scopesOf(jwt: string): string[] {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { scope?: string };
  return (payload.scope ?? '').split(' ');
}
