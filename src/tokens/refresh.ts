// Refresh tokens: their form, how they are stored, and the rules a presented one must pass.
//
// Form: five base64url segments shaped like Cognito's JWE (tokens.md §4), whose first segment is
// Cognito's header `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}`. The other four are random
// (92 bytes of entropy); nothing is encrypted in them and nobody, Tessera included, reads them:
// the token is only ever hashed and looked up.
//
// Storage: SHA-256 of the token (a 736-bit random string needs no salt or slow hash), with its
// sign-in family (origin_jti). Rotation adds a child row pointing at the token it replaced, so a
// refresh is one indexed read (token, replacement time, family, user) plus at most one insert.
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../crypto/compare.js';
import { NotAuthorizedException, RefreshTokenReuseException } from '../errors.js';
import type { RefreshLookup } from '../store/tokens.js';
import type { AppClient } from '../userpools/pools.js';

const HEADER = Buffer.from(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' })).toString('base64url');
const SEGMENT_BYTES = [32, 12, 32, 16];

export const INVALID_REFRESH_TOKEN = 'Invalid Refresh Token';
export const EXPIRED_REFRESH_TOKEN = 'Refresh Token has expired';

/** A new, unguessable refresh token. */
export function newRefreshToken(): string {
  return [HEADER, ...SEGMENT_BYTES.map((n) => randomBytes(n).toString('base64url'))].join('.');
}

/** What is stored and looked up instead of the token. */
export function refreshTokenHash(token: string): string {
  return sha256Hex(token);
}

/** True for a compact JWS whose payload names a token_use (an ID or access token, not a refresh token). */
export function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && typeof payload.token_use === 'string';
  } catch {
    return false;
  }
}

/** How a replaced (rotated-out) token that is presented after its grace period is answered. */
export type ReuseAnswer = 'reuse-exception' | 'not-authorized';

/**
 * The rules a presented refresh token must pass, in order:
 *   unknown, another client's, revoked family, user gone or disabled   NotAuthorized 'Invalid Refresh Token'
 *   past its expiry                                                   NotAuthorized 'Refresh Token has expired'
 *   replaced by rotation more than RetryGracePeriodSeconds ago        RefreshTokenReuse (or NotAuthorized where
 *                                                                     the operation does not declare it)
 * The last rule is `isReusedAfterGrace`, separate so the caller can revoke the family first: a
 * rotated-out token presented again means it has two holders (RFC 9700 §4.14.2).
 */
export function checkRefreshToken(
  found: RefreshLookup | undefined,
  client: AppClient,
  now: number,
): asserts found is RefreshLookup & { user: NonNullable<RefreshLookup['user']> } {
  if (!found || found.family.client_id !== client.id || found.family.revoked_at != null) {
    throw new NotAuthorizedException(INVALID_REFRESH_TOKEN);
  }
  if (!found.user || !found.user.enabled) throw new NotAuthorizedException(INVALID_REFRESH_TOKEN);
  if (now >= found.token.expires_at) throw new NotAuthorizedException(EXPIRED_REFRESH_TOKEN);
}

/** Whether a replaced token is past the client's retry grace period (0: refused at once). */
export function isReusedAfterGrace(found: RefreshLookup, client: AppClient, now: number): boolean {
  if (found.replacedAt == null) return false;
  const graceMs = (client.settings.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0) * 1000;
  return now >= found.replacedAt + graceMs;
}

export function reuseError(answer: ReuseAnswer) {
  return answer === 'reuse-exception'
    ? new RefreshTokenReuseException('Refresh token has been rotated and can no longer be used.')
    : new NotAuthorizedException(INVALID_REFRESH_TOKEN);
}
