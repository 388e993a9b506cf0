// Verifies the Logins map of a request (identity-and-sync.md A.2): every token must be valid for a
// provider the identity pool trusts, or the whole request is refused with NotAuthorizedException.
//
//   user pool key (either form)  ID token: signature by the pool's keys, iss = Tessera's issuer
//                                for that pool, token_use id, aud = a ClientId configured for that
//                                pool, not expired; ServerSideTokenCheck -> not revoked
//   cognito-identity.amazonaws.com  an authenticated OpenID token of this pool (developer identities)
//   Google, Apple, Facebook, Amazon, OIDC issuers the pool trusts: external-logins.ts
//   anything else                Token is not from a supported provider of this identity pool.
//   SAML provider ARNs the pool lists: base64 SAML responses, saml-logins.ts
// Whatever the provider, a subject over MAX_INDEXED_BYTES or with a NUL is refused: it is stored
// in a key.
import type { JWTPayload } from 'jose';
import { NotAuthorizedException } from '../errors.js';
import { isStorable } from '../models/validate.js';
import { MAX_INDEXED_BYTES, fitsIndex } from '../store/indexed.js';
import { isExternalLoginKey, type ExternalLogins } from './external-logins.js';
import { isSamlLoginKey, type SamlLogins } from './saml-logins.js';
import type { IdentityTokens } from './openid.js';
import type { IdentityPool } from './pools.js';
import { isIdentityTokenKey, userPoolIdOfLoginKey, userPoolIdOfProvider, userPoolProviderName } from './provider-names.js';

/** A login whose token checked out. */
export interface VerifiedLogin {
  /** The Logins key as sent. */
  key: string;
  /** The provider name stored and reported (AWS form for user pools). */
  provider: string;
  subject: string;
  /** Whether an identity may hold one subject of this provider only. */
  exclusive: boolean;
  claims: JWTPayload;
  /** Keys a role mapping for this login may be stored under. */
  mappingKeys: string[];
  /** What the login adds to an OpenID token's amr after "authenticated". */
  amr: string[];
  /** OpenID tokens of this pool name an identity directly (no link of their own). */
  identityId?: string;
  /** Roles the provider offers the user (SAML's Role attribute), for role selection. */
  offeredRoles?: string[];
}

/** Checks user pool ID tokens; implemented over the tokens module (src/identity/user-pool-tokens.ts). */
export interface UserPoolTokenVerifier {
  /** Claims of a token signed by the pool's keys with iss = Tessera's issuer for the pool and
   * not expired, or a reason it is not. */
  verify(poolId: string, token: string): Promise<{ claims: JWTPayload } | { error: string }>;
  /** Whether the sign-in behind the token was revoked or the user signed out everywhere. */
  isRevoked(poolId: string, claims: JWTPayload): Promise<boolean>;
}

export interface LoginContext {
  publicUrl: string;
  tokens: IdentityTokens;
  userPoolTokens: UserPoolTokenVerifier;
  external: ExternalLogins;
  saml: SamlLogins;
}

export const UNSUPPORTED_PROVIDER = 'Token is not from a supported provider of this identity pool.';

export async function verifyLogins(pool: IdentityPool, logins: Record<string, string> | undefined, ctx: LoginContext): Promise<VerifiedLogin[]> {
  const out: VerifiedLogin[] = [];
  for (const [key, token] of Object.entries(logins ?? {})) {
    if (isIdentityTokenKey(key, ctx.publicUrl)) out.push(await verifyIdentityToken(pool, key, token, ctx));
    else if (userPoolIdOfLoginKey(key, ctx.publicUrl)) out.push(await verifyUserPoolToken(pool, key, token, ctx));
    else if (isExternalLoginKey(pool, key)) out.push(await ctx.external.verify(pool, key, token));
    else if (isSamlLoginKey(pool, key)) out.push(await ctx.saml.verify(pool, key, token));
    else throw new NotAuthorizedException(UNSUPPORTED_PROVIDER);
  }
  const providers = new Set<string>();
  for (const l of out) {
    // A trusted provider's subject becomes part of a stored key (identity_logins): one that cannot
    // be kept there is refused like any other token that does not check out.
    if (!isStorable(l.subject) || !fitsIndex(l.subject)) {
      throw new NotAuthorizedException(`Invalid login token. The subject is longer than ${MAX_INDEXED_BYTES} bytes in UTF-8 or holds a NUL character.`);
    }
    if (providers.has(l.provider)) throw new NotAuthorizedException(`Invalid login token. More than one login for ${l.provider}.`);
    providers.add(l.provider);
  }
  return out;
}

async function verifyUserPoolToken(pool: IdentityPool, key: string, token: string, ctx: LoginContext): Promise<VerifiedLogin> {
  const poolId = userPoolIdOfLoginKey(key, ctx.publicUrl)!;
  const entries = (pool.settings.CognitoIdentityProviders ?? []).filter((p) => userPoolIdOfProvider(p.ProviderName ?? '') === poolId);
  if (!entries.length) throw new NotAuthorizedException(UNSUPPORTED_PROVIDER);
  const result = await ctx.userPoolTokens.verify(poolId, token);
  if ('error' in result) throw new NotAuthorizedException(`Invalid login token. ${result.error}`);
  const claims = result.claims;
  if (claims.token_use !== 'id') throw new NotAuthorizedException('Invalid login token. Not a valid OpenId Connect identity token.');
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  const entry = entries.find((p) => audiences.includes(p.ClientId ?? ''));
  if (!entry) throw new NotAuthorizedException('Invalid login token. Incorrect token audience.');
  if (typeof claims.sub !== 'string' || !claims.sub) throw new NotAuthorizedException('Invalid login token. Missing a required claim: sub');
  if (entry.ServerSideTokenCheck && (await ctx.userPoolTokens.isRevoked(poolId, claims))) {
    throw new NotAuthorizedException('Invalid login token. Token has been revoked.');
  }
  const provider = userPoolProviderName(poolId);
  const configuredName = entry.ProviderName!;
  return {
    key,
    provider,
    subject: claims.sub,
    exclusive: true,
    claims,
    mappingKeys: [...new Set([`${provider}:${entry.ClientId}`, `${configuredName}:${entry.ClientId}`, `${key}:${entry.ClientId}`])],
    amr: [provider, `${provider}:CognitoSignIn:${claims.sub}`],
  };
}

async function verifyIdentityToken(pool: IdentityPool, key: string, token: string, ctx: LoginContext): Promise<VerifiedLogin> {
  const claims = await ctx.tokens.verify(token, pool.id);
  const amr = Array.isArray(claims?.amr) ? (claims!.amr as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  if (!claims || amr[0] !== 'authenticated') throw new NotAuthorizedException('Invalid login token. Not a valid OpenId Connect identity token.');
  return {
    key,
    provider: key,
    subject: claims.sub!,
    exclusive: false,
    claims,
    mappingKeys: [],
    amr: amr.slice(1),
    identityId: claims.sub!,
  };
}
