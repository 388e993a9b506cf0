// User session tracking, Cognito's session management: opt-in per pool
// (SetUserPoolSessionConfiguration UserSessionTracking ENABLED). While a pool tracks sessions:
//
//   token session  every sign-in of an app client (a token family, src/tokens/tokens.ts) is one;
//                  a refresh makes it active again (time, address, device); its id is `tkn` and
//                  the family's id written in base 36, so no lookup table is needed. When a user
//                  signs in with MaxPerUser live token sessions already, the least recently active
//                  one is revoked first.
//   SSO session    every managed-login (hosted UI) session is one, named by its cookie; a token
//                  session that came through it (the code flow) names it as its origin.
//
// Revoking a session revokes its tokens (the family) or ends the SSO session (the cookie is no
// longer accepted); LINKED also revokes the other side. Lists show live sessions only. Nothing is
// written while a pool does not track sessions, and tokens are the same either way.
import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import { InvalidParameterException, OperationNotEnabledException, ResourceNotFoundException } from '../errors.js';
import type { SsoSessionRow } from '../store/schema.js';
import type { TokenSessionView } from '../store/sessions.js';
import type { Store } from '../store/store.js';
import type { AppClient, UserPool } from '../userpools/pools.js';

export type SessionTracking = 'ENABLED' | 'DISABLED';

/** One session as ListUserSessions and AdminListUserSessions describe it (dates: epoch seconds). */
export interface SessionDescriptionType {
  SessionId: string;
  SessionType: 'TOKEN' | 'SSO';
  ClientId: string;
  CreateDate: number;
  LastActiveDate: number;
  DeviceType: string;
  LastIPAddress?: string;
  LastLocation?: { Country?: string; City?: string };
  OriginSessionId?: string;
  IsCurrentSession: boolean;
}

/** GetUserPoolSessionConfiguration's members, as the pool keeps them. */
export interface PoolSessionConfig {
  UserSessionTracking: SessionTracking;
  TokenSession: { MaxPerUser: number };
}

export const DEFAULT_POOL_SESSION_CONFIG: PoolSessionConfig = { UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 20 } };
export const DEFAULT_SSO_VALIDITY_MINUTES = 60;
export const MAX_PER_USER = { min: 1, max: 100 };
export const SSO_VALIDITY_MINUTES = { min: 0, max: 129_600 };

export function poolSessionConfig(pool: UserPool): PoolSessionConfig {
  return pool.settings.SessionConfiguration ?? DEFAULT_POOL_SESSION_CONFIG;
}

export const tracksSessions = (pool: UserPool): boolean => poolSessionConfig(pool).UserSessionTracking === 'ENABLED';

/** How long this client reuses an SSO session silently, from the last fresh authentication (ms). */
export function ssoReuseMs(client: AppClient): number {
  return (client.settings.SSOSession?.MaxValidityMinutes ?? DEFAULT_SSO_VALIDITY_MINUTES) * 60_000;
}

// ---- ids -------------------------------------------------------------------------------------

const ID_DIGITS = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `tkn` and the family's 128 bits in base 36 (25 digits: 36^25 > 2^128). */
export function tokenSessionId(familyId: string): string {
  if (!UUID.test(familyId)) throw new Error(`token family id ${familyId} is not a UUID`);
  return `tkn${BigInt(`0x${familyId.replace(/-/g, '')}`).toString(36).padStart(ID_DIGITS, '0')}`;
}

/** The family a `tkn` session id names, or undefined for anything else. */
export function familyOfTokenSession(sessionId: string): string | undefined {
  if (!/^tkn[0-9a-z]{25}$/.test(sessionId)) return undefined;
  let n = 0n;
  for (const c of sessionId.slice(3)) n = n * 36n + BigInt(parseInt(c, 36));
  if (n >= 1n << 128n) return undefined;
  const hex = n.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newSsoSessionId(): string {
  let s = 'sso';
  for (let i = 0; i < ID_DIGITS; i++) s += randomInt(36).toString(36);
  return s;
}

export const isSsoSessionId = (id: string): boolean => /^sso[0-9a-z]{25}$/.test(id);

// ---- where a request comes from ---------------------------------------------------------------

/** Who acts: the address and user agent of the request (and, for the code flow, its SSO session). */
export interface SessionContext {
  ip?: string;
  userAgent?: string;
  ssoSessionId?: string;
}

/** The user agent as "<operating system> <browser or app>", or `unknown`. */
export function deviceTypeOf(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  const ua = userAgent.slice(0, 2048);
  const os =
    /Windows/.test(ua) ? 'Windows'
    : /iPhone|iPad|iOS/.test(ua) ? 'iOS'
    : /Android/.test(ua) ? 'Android'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS'
    : /CrOS/.test(ua) ? 'ChromeOS'
    : /Linux/.test(ua) ? 'Linux'
    : undefined;
  const app =
    /Edg\//.test(ua) ? 'Edge'
    : /OPR\//.test(ua) ? 'Opera'
    : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrome\/|Chromium\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari'
    : /aws-sdk-js|aws-amplify|amplify/i.test(ua) ? 'AWS SDK for JavaScript'
    : /aws-cli/.test(ua) ? 'AWS CLI'
    : /^[\w.-]+/.exec(ua)?.[0];
  const out = [os, app].filter(Boolean).join(' ');
  return out ? out.slice(0, 1024) : 'unknown';
}

// ---- the sessions ------------------------------------------------------------------------------

/** Expired SSO session records are dropped this often (at an SSO session's start). */
const PURGE_EVERY_MS = 10 * 60_000;

export class UserSessions {
  private lastPurge = 0;

  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  /**
   * A sign-in of a tracking pool made token family `familyId`: a token session, after the least
   * recently active ones beyond MaxPerUser - 1 are revoked.
   */
  async onSignIn(pool: UserPool, userId: string, familyId: string, ctx: SessionContext = {}): Promise<void> {
    if (!tracksSessions(pool)) return;
    const now = this.deps.clock.now();
    const max = poolSessionConfig(pool).TokenSession.MaxPerUser;
    // One user's sign-ins one at a time here, so that concurrent ones cannot all see room.
    await this.deps.store.transaction(async (tx) => {
      await tx.sessions.lockUser(userId);
      const live = await tx.sessions.liveTokens(pool.id, userId, now);
      // liveTokens is most recent first: the tail goes.
      for (const old of live.slice(Math.max(0, max - 1))) await revokeFamily(tx, old.family_id, now);
      await tx.sessions.insertToken({
        family_id: familyId,
        pool_id: pool.id,
        user_id: userId,
        sso_session_id: ctx.ssoSessionId ?? null,
        last_active_at: now,
        last_ip: ctx.ip ?? null,
        device_type: deviceTypeOf(ctx.userAgent),
      });
    });
  }

  /** A refresh of a tracking pool's token family: the session is active now, from here. */
  async onRefresh(pool: UserPool, familyId: string, ctx: SessionContext = {}): Promise<void> {
    if (!tracksSessions(pool)) return;
    await this.deps.store.sessions.touchToken(familyId, this.deps.clock.now(), ctx.ip ?? null, deviceTypeOf(ctx.userAgent));
  }

  /** A managed-login session of a tracking pool: its id (for the cookie), else undefined. */
  async startSso(pool: UserPool, a: { userId: string; clientId: string; authTime: number; expiresAt: number }, ctx: SessionContext = {}): Promise<string | undefined> {
    if (!tracksSessions(pool)) return undefined;
    const now = this.deps.clock.now();
    if (now - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now;
      await this.deps.store.sessions.purgeSso(now);
    }
    const id = newSsoSessionId();
    await this.deps.store.sessions.insertSso({
      id,
      pool_id: pool.id,
      user_id: a.userId,
      client_id: a.clientId,
      auth_time: a.authTime,
      created_at: now,
      last_active_at: now,
      last_ip: ctx.ip ?? null,
      device_type: deviceTypeOf(ctx.userAgent),
      expires_at: a.expiresAt,
      revoked_at: null,
    });
    return id;
  }

  /** Whether a tracked SSO session may still be used. */
  async ssoLive(id: string): Promise<boolean> {
    const row = await this.deps.store.sessions.getSso(id);
    return !!row && row.revoked_at === null && row.expires_at > this.deps.clock.now();
  }

  /** A tracked SSO session answered a request: it is active now, from here. */
  async touchSso(id: string, ctx: SessionContext = {}): Promise<void> {
    await this.deps.store.sessions.touchSso(id, this.deps.clock.now(), ctx.ip ?? null, deviceTypeOf(ctx.userAgent));
  }

  /** The sign-out of a tracked SSO session (/logout). */
  async endSso(id: string): Promise<void> {
    await this.deps.store.sessions.revokeSso(id, this.deps.clock.now());
  }

  /** ListUserSessions / AdminListUserSessions: the live sessions, token sessions first, each most recent first. */
  async list(pool: UserPool, userId: string, currentFamily?: string): Promise<SessionDescriptionType[]> {
    requireTracking(pool);
    const now = this.deps.clock.now();
    const tokens = await this.deps.store.sessions.liveTokens(pool.id, userId, now);
    const sso = await this.deps.store.sessions.liveSso(pool.id, userId, now);
    return [...tokens.map((t) => describeToken(t, currentFamily)), ...sso.map(describeSso)];
  }

  /**
   * RevokeUserSession / AdminRevokeUserSession. `linked`: a token session's SSO session too, or an
   * SSO session's token sessions. The caller's own session (`currentFamily`) is refused.
   */
  async revoke(pool: UserPool, userId: string, sessionId: string, linked: boolean, currentFamily?: string): Promise<void> {
    requireTracking(pool);
    const now = this.deps.clock.now();
    const notFound = () => new ResourceNotFoundException(`Session ${sessionId} does not exist.`);
    const family = familyOfTokenSession(sessionId);
    if (family) {
      const live = (await this.deps.store.sessions.liveTokens(pool.id, userId, now)).find((t) => t.family_id === family);
      if (!live) throw notFound();
      if (family === currentFamily) throw new InvalidParameterException('The session of the access token in the request cannot be revoked with it; use GlobalSignOut or RevokeToken.');
      await this.revokeFamily(family, now);
      if (linked && live.sso_session_id) await this.deps.store.sessions.revokeSso(live.sso_session_id, now);
      return;
    }
    if (!isSsoSessionId(sessionId)) throw notFound();
    const sso = await this.deps.store.sessions.getSso(sessionId);
    if (!sso || sso.user_id !== userId || sso.pool_id !== pool.id || sso.revoked_at !== null || sso.expires_at <= now) throw notFound();
    if (linked) {
      const families = await this.deps.store.sessions.familiesOfSso(sessionId);
      if (currentFamily && families.includes(currentFamily)) {
        throw new InvalidParameterException('The session of the access token in the request came through this SSO session: it cannot be revoked with it.');
      }
      for (const f of families) await this.revokeFamily(f, now);
    }
    await this.deps.store.sessions.revokeSso(sessionId, now);
  }

  private revokeFamily(familyId: string, now: number): Promise<void> {
    return revokeFamily(this.deps.store, familyId, now);
  }
}

/** A token session revoked: its family's tokens refused, its record gone. */
async function revokeFamily(store: Store, familyId: string, now: number): Promise<void> {
  await store.tokens.revokeFamily(familyId, now);
  await store.sessions.deleteToken(familyId);
}

function requireTracking(pool: UserPool): void {
  if (!tracksSessions(pool)) throw new OperationNotEnabledException(`Session tracking is not enabled for user pool ${pool.id}.`);
}

/** The fields both kinds of session share, from their common columns. */
function describe(
  id: string,
  type: SessionDescriptionType['SessionType'],
  r: { client_id: string; created_at: number; last_active_at: number; device_type: string | null; last_ip: string | null },
): SessionDescriptionType {
  return {
    SessionId: id,
    SessionType: type,
    ClientId: r.client_id,
    CreateDate: r.created_at / 1000,
    LastActiveDate: r.last_active_at / 1000,
    DeviceType: r.device_type ?? 'unknown',
    ...(r.last_ip ? { LastIPAddress: r.last_ip } : {}),
    LastLocation: { Country: 'unknown' },
    IsCurrentSession: false,
  };
}

function describeToken(t: TokenSessionView, currentFamily: string | undefined): SessionDescriptionType {
  return {
    ...describe(tokenSessionId(t.family_id), 'TOKEN', t),
    ...(t.sso_session_id ? { OriginSessionId: t.sso_session_id } : {}),
    IsCurrentSession: t.family_id === currentFamily,
  };
}

const describeSso = (s: SsoSessionRow): SessionDescriptionType => describe(s.id, 'SSO', s);
