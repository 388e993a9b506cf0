// app.tokens: minting, refreshing, verifying and revoking a user pool's tokens.
//
// A sign-in creates a *family* (its id is the tokens' `origin_jti`): the refresh tokens of that
// sign-in and every ID/access token derived from them. Revocation (RevokeToken, GlobalSignOut,
// AdminUserGlobalSignOut, AdminDisableUser) marks families revoked; the refresh flow refuses their
// refresh tokens and verifyAccessToken refuses their access tokens.
//
// Cross-process visibility: nothing about revocation is cached. verifyAccessToken reads the user
// and the family in one indexed query per call, and refresh() reads the token and family per call,
// so a revocation committed by any process over the same database is seen by the next request.
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import type { CryptoWorkers } from '../crypto/workers.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import {
  NotAuthorizedException,
  ResourceNotFoundException,
  UnauthorizedException,
  UnsupportedOperationException,
  UnsupportedTokenTypeException,
  UserNotFoundException,
} from '../errors.js';
import { newUuid } from '../ids.js';
import { tracksSessions, UserSessions, type SessionContext } from '../sessions/sessions.js';
import type { AuthenticationResultType } from '../models/idp-types.js';
import type { Store } from '../store/store.js';
import { USER_DISABLED } from '../auth/user-status.js';
import { sortGroups } from '../userpools/groups.js';
import type { AppClient, UserPool, UserPools } from '../userpools/pools.js';
import { userFromRow, type User } from '../userpools/user.js';
import { ADMIN_SCOPE, accessTokenPayload, idTokenPayload, tokenLifetimes, type GroupRef, type TokenSession } from './claims.js';
import { MAX_JWT_LIFETIME_MS, SIGNING_ALG, SigningKeys, type PublicJwk, type TokenUse } from './keys.js';
import {
  checkRefreshToken,
  isJwt,
  isReusedAfterGrace,
  newRefreshToken,
  refreshTokenHash,
  reuseError,
} from './refresh.js';

export interface TokenDeps {
  config: Config;
  store: Store;
  clock: Clock;
  sealer: Sealer;
  pools: UserPools;
  /** app.groups; its `groupsOfUser(poolId, userId)` feeds the group claims once it exists. */
  groups: object;
  /** Where signatures are computed (off the event loop); without it, the libuv thread pool. */
  workers?: CryptoWorkers;
  /** The last say on the claims before signing: the PreTokenGeneration trigger (app.triggers). */
  customizeClaims?: (a: ClaimsHookInput) => Promise<{ id?: JWTPayload; access: JWTPayload }>;
}

/** What the claims hook sees: the sign-in, why tokens are issued, and the claims as built. */
export interface ClaimsHookInput {
  pool: UserPool;
  session: TokenSession;
  clientId: string;
  /** `TokenGeneration_Authentication`, `_NewPasswordChallenge`, `_RefreshTokens`, `_HostedAuth` ... */
  source: string;
  clientMetadata?: Record<string, string>;
  postAuthentication?: false;
  newDeviceUsed?: true;
  scopes: string[];
  id: JWTPayload;
  access: JWTPayload;
}

/** Why tokens are issued (PreTokenGeneration's triggerSource) and the request's ClientMetadata. */
export interface TokenTrigger {
  source: string;
  clientMetadata?: Record<string, string>;
  /** false: a sign-in that runs no PostAuthentication (a federated user's first, which ran PostConfirmation). */
  postAuthentication?: false;
  /** The sign-in is given a new device (a pool that remembers devices; no known DEVICE_KEY): PostAuthentication's newDeviceUsed. */
  newDeviceUsed?: true;
}

/** What a valid access token stands for. */
export interface VerifiedAccess {
  pool: UserPool;
  user: User;
  clientId: string;
  claims: JWTPayload;
}

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const INVALID_ACCESS_TOKEN = 'Invalid Access Token';
const PURGE_MARGIN_MS = 10 * 60 * 1000;

export class Tokens {
  readonly keys: SigningKeys;
  /** User session tracking (ListUserSessions & co.): token sessions follow the families made here. */
  readonly sessions: UserSessions;

  constructor(private readonly deps: TokenDeps) {
    this.keys = new SigningKeys(deps.store, deps.sealer, deps.clock, deps.workers);
    this.sessions = new UserSessions({ store: deps.store, clock: deps.clock });
  }

  /** `${publicUrl}/${poolId}`: the `iss` of the pool's tokens (read at call time). */
  issuer(poolId: string): string {
    return `${this.deps.config.publicUrl}/${poolId}`;
  }

  /**
   * Tokens for a new sign-in: a new family (origin_jti), event_id, auth_time (default now), and a
   * new refresh token. `scopes` defaults to `aws.cognito.signin.user.admin`; `authTime` is epoch
   * ms; `deviceKey` becomes the access token's `device_key` (and is kept for refreshes).
   * `atHash` (the OAuth token endpoint) puts the access token's hash in the ID token (OIDC Core
   * §3.1.3.6), which signs the two one after the other.
   *
   * @example
   *   const AuthenticationResult = await app.tokens.issueForSignIn({ pool, client, user });
   */
  async issueForSignIn(a: {
    pool: UserPool;
    client: AppClient;
    user: User;
    deviceKey?: string;
    scopes?: string[];
    authTime?: number;
    nonce?: string;
    atHash?: boolean;
    /** Default: TokenGeneration_Authentication without ClientMetadata. */
    trigger?: TokenTrigger;
    /** The family's id (origin_jti), when the caller must be able to revoke it later (an authorization code's). */
    familyId?: string;
    /** Where the sign-in comes from, for session tracking (src/sessions/sessions.ts). */
    context?: SessionContext;
    /** The user's groups in claim order, when the caller read them already; else they are read here. */
    groups?: GroupRef[];
  }): Promise<AuthenticationResultType> {
    // Every flow refuses a disabled user before it gets here; this is the last line if one did not.
    if (!a.user.enabled) throw new NotAuthorizedException(USER_DISABLED);
    const now = this.deps.clock.now();
    const session: TokenSession = {
      issuer: this.issuer(a.pool.id),
      client: a.client,
      user: a.user,
      familyId: a.familyId ?? newUuid(),
      eventId: newUuid(),
      authTime: a.authTime ?? now,
      scopes: a.scopes?.length ? a.scopes : [ADMIN_SCOPE],
      groups: a.groups && this.hasGroupSource() ? a.groups : await this.groupsOf(a.pool.id, a.user.id),
      deviceKey: a.deviceKey,
      nonce: a.nonce,
    };
    const life = tokenLifetimes(a.client);
    const refreshToken = newRefreshToken();
    const expiresAt = now + life.refreshSeconds * 1000;
    const store = this.deps.store;
    // The claims (and PreTokenGeneration, which may refuse) come before anything is written.
    // Without a trigger given: the OAuth endpoints (the ones asking for at_hash) are hosted sign-ins.
    const trigger = a.trigger ?? { source: a.atHash ? 'TokenGeneration_HostedAuth' : 'TokenGeneration_Authentication' };
    const claims = await this.claimsPair(a.pool, session, now, trigger);
    const [, jwts] = await Promise.all([
      store.tokens.insertSignIn(
        {
          id: session.familyId,
          pool_id: a.pool.id,
          client_id: a.client.id,
          user_id: a.user.id,
          event_id: session.eventId,
          auth_time: session.authTime,
          device_key: a.deviceKey ?? null,
          scopes: session.scopes.join(' '),
          created_at: now,
          expires_at: expiresAt,
          revoked_at: null,
        },
        {
          token_hash: refreshTokenHash(refreshToken),
          family_id: session.familyId,
          parent_hash: null,
          created_at: now,
          expires_at: expiresAt,
        },
      ),
      this.signPair(a.pool.id, session, claims, a.atHash),
    ]);
    // A token session, when the pool tracks sessions (nothing is read or written otherwise).
    if (tracksSessions(a.pool)) await this.sessions.onSignIn(a.pool, a.user.id, session.familyId, a.context);
    return { ...jwts, RefreshToken: refreshToken };
  }

  /**
   * New ID and access tokens from a refresh token of `client`. They keep the sign-in's auth_time,
   * origin_jti and event_id; attributes and groups are read afresh. With `rotate`, the result
   * carries a new RefreshToken and the presented one stays usable for the client's
   * RefreshTokenRotation.RetryGracePeriodSeconds, then is refused with RefreshTokenReuseException
   * (and its family revoked). Without `rotate` (a client that does not rotate, whose tokens were
   * rotated while it did) a rotated-out token is refused with NotAuthorizedException.
   * Cost: one indexed read (the token, its family, user and groups), at most one insert, two
   * signatures.
   *
   * Throws NotAuthorizedException 'Invalid Refresh Token' (unknown, revoked, another client's,
   * user deleted or disabled) or 'Refresh Token has expired'.
   */
  async refresh(a: {
    client: AppClient;
    refreshToken: string;
    rotate: boolean;
    /** ClientMetadata for PreTokenGeneration (GetTokensFromRefreshToken). */
    clientMetadata?: Record<string, string>;
    /** Where the refresh comes from, for session tracking. */
    context?: SessionContext;
  }): Promise<{ result: AuthenticationResultType; user: User; pool: UserPool }> {
    const now = this.deps.clock.now();
    const hash = refreshTokenHash(a.refreshToken);
    // The lookup brings the user's groups too (one statement instead of two).
    const found = await this.deps.store.tokens.findRefreshToken(hash, { withGroups: this.hasGroupSource() });
    checkRefreshToken(found, a.client, now);
    if (isReusedAfterGrace(found, a.client, now)) {
      await this.deps.store.tokens.revokeFamily(found.family.id, now);
      throw reuseError(a.rotate ? 'reuse-exception' : 'not-authorized');
    }
    const family = found.family;
    const pool = await this.deps.pools.get(family.pool_id);
    const user = userFromRow(found.user, this.deps.sealer);
    const session: TokenSession = {
      issuer: this.issuer(pool.id),
      client: a.client,
      user,
      familyId: family.id,
      eventId: family.event_id,
      authTime: family.auth_time,
      scopes: family.scopes.split(' ').filter(Boolean),
      groups: found.groups ? sortGroups(found.groups) : await this.groupsOf(pool.id, user.id),
      // The device bound at sign-in, only: a refresh token alone must not put a key of the caller's
      // choosing in an access token (ConfirmDevice would then remember it), and binding a device
      // at refresh would race ForgetDevice. A sign-in without a device refreshes without one.
      deviceKey: family.device_key ?? undefined,
    };
    const claims = await this.claimsPair(pool, session, now, { source: 'TokenGeneration_RefreshTokens', clientMetadata: a.clientMetadata });
    let refreshToken: string | undefined;
    let write: Promise<void> = Promise.resolve();
    if (a.rotate) {
      refreshToken = newRefreshToken();
      write = this.deps.store.tokens.insertRefreshToken({
        token_hash: refreshTokenHash(refreshToken),
        family_id: family.id,
        parent_hash: hash,
        created_at: now,
        expires_at: now + tokenLifetimes(a.client).refreshSeconds * 1000,
      });
    }
    const [, jwts] = await Promise.all([write, this.signPair(pool.id, session, claims)]);
    if (tracksSessions(pool)) await this.sessions.onRefresh(pool, family.id, a.context);
    return { result: refreshToken ? { ...jwts, RefreshToken: refreshToken } : jwts, user, pool };
  }

  /**
   * Checks an access token of any pool (the pool comes from the `iss` path): signature by the
   * pool's access-token key, expiry, token_use, the scope when asked, that its family is not
   * revoked and that the user still exists and is enabled.
   *
   * Throws NotAuthorizedException: 'Invalid Access Token' (malformed, tampered, unsigned, foreign,
   * an ID token), 'Access Token has expired', 'Access Token has been revoked', 'Access Token does
   * not have required scopes', 'User is disabled.'; UserNotFoundException 'User does not exist.'.
   *
   * @example
   *   const { user, pool } = await app.tokens.verifyAccessToken(input.AccessToken, { requireScope: ADMIN_SCOPE });
   */
  async verifyAccessToken(token: string, opts: { requireScope?: string } = {}): Promise<VerifiedAccess> {
    const { pool, claims } = await this.verifySignature(token, 'access');
    if (claims.token_use !== 'access' || typeof claims.sub !== 'string' || typeof claims.origin_jti !== 'string') {
      throw new NotAuthorizedException(INVALID_ACCESS_TOKEN);
    }
    if (opts.requireScope && !String(claims.scope ?? '').split(' ').includes(opts.requireScope)) {
      throw new NotAuthorizedException('Access Token does not have required scopes');
    }
    const found = await this.deps.store.tokens.userForAccess(pool.id, claims.sub, claims.origin_jti);
    if (!found) throw new UserNotFoundException('User does not exist.');
    const user = userFromRow(found.user, this.deps.sealer);
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    if (found.familyRevoked) throw new NotAuthorizedException('Access Token has been revoked');
    return { pool, user, clientId: String(claims.client_id), claims };
  }

  /** Revokes every sign-in family of the user: all its refresh and access tokens are refused. */
  async signOutUser(poolId: string, userId: string): Promise<void> {
    await this.deps.store.tokens.revokeUser(poolId, userId, this.deps.clock.now());
  }

  /**
   * RevokeToken: revokes the family of a refresh token of `client` (its refresh tokens and the
   * access tokens derived from them). An unknown token is not an error (RFC 7009 §2.2).
   * Throws UnsupportedOperationException when the client has EnableTokenRevocation false,
   * UnsupportedTokenTypeException for an ID or access token, UnauthorizedException for a token
   * of another client.
   */
  async revokeRefreshToken(client: AppClient, token: string): Promise<void> {
    if (client.settings.EnableTokenRevocation === false) {
      throw new UnsupportedOperationException('Token revocation is not enabled for this app client.');
    }
    if (isJwt(token)) throw new UnsupportedTokenTypeException('Only refresh tokens can be revoked.');
    const found = await this.deps.store.tokens.findRefreshToken(refreshTokenHash(token));
    if (!found) return;
    if (found.family.client_id !== client.id) throw new UnauthorizedException('The token was not issued to this client.');
    await this.deps.store.tokens.revokeFamily(found.family.id, this.deps.clock.now());
  }

  /**
   * Deletes the sign-ins whose refresh tokens all expired more than a day ago (so their last
   * access tokens have expired too); returns how many. For a periodic job: nothing calls it yet.
   */
  purgeExpired(): Promise<number> {
    return this.deps.store.tokens.purgeExpired(this.deps.clock.now() - MAX_JWT_LIFETIME_MS - PURGE_MARGIN_MS);
  }

  /** Makes new signing keys current for the pool; the previous ones stay published until their tokens expire. */
  rotateKeys(poolId: string): Promise<void> {
    return this.keys.rotate(poolId);
  }

  /** The pool's JWKS document (ResourceNotFoundException for an unknown pool). */
  async jwks(poolId: string): Promise<{ keys: PublicJwk[] }> {
    await this.deps.pools.get(poolId);
    return { keys: await this.keys.publicKeys(poolId) };
  }

  /** The ID and access token claims, after the claims hook (PreTokenGeneration). */
  private async claimsPair(pool: UserPool, s: TokenSession, now: number, trigger: TokenTrigger): Promise<{ id: JWTPayload; access: JWTPayload }> {
    const life = tokenLifetimes(s.client);
    const iat = Math.floor(now / 1000);
    const id = idTokenPayload(s, { iat, exp: iat + life.idSeconds, jti: newUuid() });
    const access = accessTokenPayload(s, { iat, exp: iat + life.accessSeconds, jti: newUuid() });
    if (!this.deps.customizeClaims) return { id, access };
    const c = await this.deps.customizeClaims({ pool, session: s, clientId: s.client.id, ...trigger, scopes: s.scopes, id, access });
    return { id: c.id ?? id, access: c.access };
  }

  private async signPair(poolId: string, s: TokenSession, claims: { id: JWTPayload; access: JWTPayload }, withAtHash = false) {
    const life = tokenLifetimes(s.client);
    if (withAtHash) {
      const AccessToken = await this.sign(poolId, 'access', claims.access);
      const at_hash = createHash('sha256').update(AccessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
      const IdToken = await this.sign(poolId, 'id', { ...claims.id, at_hash });
      return { AccessToken, ExpiresIn: life.accessSeconds, TokenType: 'Bearer', IdToken };
    }
    const [IdToken, AccessToken] = await this.keys.signAll(poolId, [
      { use: 'id', payload: claims.id },
      { use: 'access', payload: claims.access },
    ]);
    return { AccessToken, ExpiresIn: life.accessSeconds, TokenType: 'Bearer', IdToken };
  }

  private sign(poolId: string, use: TokenUse, payload: JWTPayload): Promise<string> {
    return this.keys.sign(poolId, use, payload);
  }

  /** Signature, issuer and expiry of a token of `use`; the pool is the `iss` path under publicUrl. */
  private async verifySignature(token: string, use: TokenUse): Promise<{ pool: UserPool; claims: JWTPayload }> {
    const invalid = () => new NotAuthorizedException(INVALID_ACCESS_TOKEN);
    let kid: unknown;
    let iss: unknown;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== SIGNING_ALG) throw invalid();
      kid = header.kid;
      iss = decodeJwt(token).iss;
    } catch {
      throw invalid();
    }
    const prefix = `${this.deps.config.publicUrl}/`;
    if (typeof kid !== 'string' || typeof iss !== 'string' || !iss.startsWith(prefix)) throw invalid();
    const poolId = iss.slice(prefix.length);
    if (!POOL_ID.test(poolId)) throw invalid();
    const pool = await this.deps.pools.get(poolId).catch((e: unknown) => {
      throw e instanceof ResourceNotFoundException ? invalid() : e;
    });
    const key = await this.keys.verificationKey(pool.id, kid);
    if (!key || key.use !== use) throw invalid();
    try {
      const { payload } = await jwtVerify(token, key.key, {
        issuer: iss,
        algorithms: [SIGNING_ALG],
        currentDate: new Date(this.deps.clock.now()),
      });
      return { pool, claims: payload };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new NotAuthorizedException('Access Token has expired');
      throw invalid();
    }
  }

  /** Whether group claims are fed at all (app.groups has groupsOfUser). */
  private hasGroupSource(): boolean {
    return typeof (this.deps.groups as { groupsOfUser?: unknown }).groupsOfUser === 'function';
  }

  private async groupsOf(poolId: string, userId: string): Promise<GroupRef[]> {
    const source = this.deps.groups as { groupsOfUser?: (poolId: string, userId: string) => Promise<GroupRef[]> };
    if (typeof source.groupsOfUser !== 'function') return [];
    return source.groupsOfUser(poolId, userId);
  }
}
