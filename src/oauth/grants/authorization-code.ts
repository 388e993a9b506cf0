// Authorization codes and the authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6).
//
// A code is sealed (AES-GCM under the master key), so it carries what it was issued for and
// needs no table: pool, client, redirect_uri, scopes, the PKCE challenge, nonce, user and
// auth_time, an expiry five minutes on, and an id. Redeeming it checks, in order:
//   sealed by us, for this client           invalid_grant
//   not expired                             invalid_grant
//   redirect_uri equal to the one given     invalid_grant
//   code_verifier matches the challenge     invalid_grant (and one is required when a challenge was sent)
//   never redeemed before                   invalid_grant (the id is recorded once, atomically,
//                                           in auth_used_challenges, so two processes racing on
//                                           one code cannot both win); a reused code also revokes
//                                           the tokens of its first redemption (their family's id
//                                           is the code's id), RFC 6749 §4.1.2
//   the user still exists and is enabled    invalid_grant
// then issues tokens (ID token with nonce and at_hash only for the openid scope).
import { createHash } from 'node:crypto';
import type { App } from '../../app.js';
import { safeEqual } from '../../crypto/compare.js';
import { newUuid } from '../../ids.js';
import type { User } from '../../userpools/user.js';
import type { AuthorizeRequest } from '../authorize.js';
import { invalidGrant, invalidRequest } from '../errors.js';
import { isTriggerError } from '../../triggers/errors.js';
import type { Grant, TokenResponse } from './types.js';

const PURPOSE = 'oauth-authorization-code';
export const CODE_LIFETIME_MS = 5 * 60_000;

interface CodeData {
  pool: string;
  client: string;
  redirectUri: string;
  scopes: string[];
  sub: string;
  authTime: number;
  nonce?: string;
  challenge?: string;
  exp: number;
  jti: string;
  /** The tracked SSO session the code came through. */
  sso?: string;
  /** A federated user's first sign-in: PostConfirmation ran, PostAuthentication does not. */
  first?: true;
}

/**
 * `ssoSessionId`: the tracked managed-login session the code comes through (its token session's
 * origin); `firstSignIn`: a federated user's first sign-in (no PostAuthentication at the exchange).
 */
export function issueAuthorizationCode(app: App, r: AuthorizeRequest, user: User, authTime: number, ssoSessionId?: string, firstSignIn = false): string {
  const data: CodeData = {
    pool: r.pool.id,
    client: r.client.id,
    redirectUri: r.redirectUri,
    scopes: r.scopes,
    sub: user.id,
    authTime,
    nonce: r.nonce,
    challenge: r.codeChallenge,
    exp: app.clock.now() + CODE_LIFETIME_MS,
    jti: newUuid(),
    ...(ssoSessionId ? { sso: ssoSessionId } : {}),
    ...(firstSignIn ? { first: true as const } : {}),
  };
  return app.sealer.sealJson(PURPOSE, data);
}

export const authorizationCodeGrant: Grant = async ({ app, pool, client, params, context }) => {
  const code = params.get('code');
  const redirectUri = params.get('redirect_uri');
  if (!code) throw invalidRequest('code is required.');
  if (!redirectUri) throw invalidRequest('redirect_uri is required.');
  const data = app.sealer.openJson<CodeData>(PURPOSE, code);
  if (!data || data.client !== client.id || data.pool !== pool.id) throw invalidGrant('The authorization code is invalid.');
  if (app.clock.now() >= data.exp) throw invalidGrant('The authorization code has expired.');
  if (data.redirectUri !== redirectUri) throw invalidGrant('redirect_uri does not match the one of the authorization request.');
  checkVerifier(data.challenge, params.get('code_verifier'));
  if (!(await app.store.auth.useOnce(`code:${data.jti}`, data.exp))) {
    // RFC 6749 §4.1.2: a code presented twice may have leaked; the tokens issued from it go too.
    // The mark first, then the revocation: a first presentation still issuing its tokens finds
    // the mark once its family exists (below), so the tokens go whichever order the two take.
    await app.store.auth.useOnce(`code-reused:${data.jti}`, data.exp);
    await app.store.tokens.revokeFamily(data.jti, app.clock.now());
    throw invalidGrant('The authorization code has already been used.');
  }
  const user = await app.users.findBySub(pool, data.sub);
  if (!user || !user.enabled) throw invalidGrant('The user of this authorization code can no longer sign in.');
  // PostAuthentication / PreTokenGeneration may refuse: the request's error, in Cognito's words.
  // The family is named after the code, so that a second presentation of the code can revoke it.
  const r = await app.tokens.issueForSignIn({ pool, client, user, scopes: data.scopes, nonce: data.nonce, authTime: data.authTime, atHash: true, familyId: data.jti, context: { ...context, ssoSessionId: data.sso }, trigger: data.first ? { source: 'TokenGeneration_HostedAuth', postAuthentication: false } : undefined }).catch((e: unknown) => {
    throw isTriggerError(e) ? invalidRequest((e as Error).message) : e;
  });
  // The family exists now: if the code was presented again meanwhile, it is revoked at once.
  if (!(await app.store.auth.useOnce(`code-reused:${data.jti}`, data.exp))) await app.store.tokens.revokeFamily(data.jti, app.clock.now());
  const out: TokenResponse = {
    access_token: r.AccessToken!,
    token_type: 'Bearer',
    expires_in: r.ExpiresIn!,
    refresh_token: r.RefreshToken!,
  };
  if (data.scopes.includes('openid')) out.id_token = r.IdToken!;
  return out;
};

/** RFC 7636 §4.6: BASE64URL(SHA256(verifier)) == challenge; a verifier without a challenge is refused too. */
function checkVerifier(challenge: string | undefined, verifier: string | null): void {
  if (challenge === undefined) {
    if (verifier !== null) throw invalidGrant('code_verifier was given but the authorization request had no code_challenge.');
    return;
  }
  if (!verifier) throw invalidGrant('code_verifier is required.');
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw invalidGrant('code_verifier is malformed.');
  const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  if (!safeEqual(computed, challenge)) throw invalidGrant('code_verifier does not match the code_challenge.');
}
