// The hosted-UI session: what lets a second app client of the same domain (or prompt=none) get
// a code without the password again. A sealed cookie (`cognito`, as Cognito names it) holding
// the pool, the user's sub, the time of authentication and an id; it lasts one hour and is
// scoped to the domain (its host, or its /_domain/<prefix>/ path). /logout clears it and records
// its id as ended, so a copy of the cookie taken before the sign-out is refused too.
//
// A session started by a SAML sign-in also names its SAML subject (a hash of pool, provider and
// NameID) and the IdP's SessionIndex (hashed). The IdP's LogoutRequest often arrives without any
// cookie (an HTTP-POST from the IdP's site: SameSite=Lax cookies are not sent), so single logout
// ends sessions server-side: it records `saml:<subject>:<time>:<session index hash or *>` among
// the ended sessions, and a session of that subject started before that time (of that session
// index, when the request named one) is no longer valid, in whichever browser it lives.
import { createHash } from 'node:crypto';
import type { App } from '../app.js';
import { newUuid } from '../ids.js';
import { DEFAULT_SSO_VALIDITY_MINUTES, SSO_VALIDITY_MINUTES, isSsoSessionId, tracksSessions, type SessionContext } from '../sessions/sessions.js';
import type { User } from '../userpools/user.js';
import { clearCookie, setCookie, type Hosted } from './http.js';

const COOKIE = 'cognito';
const PURPOSE = 'hosted-ui-session';
export const SESSION_SECONDS = 3600;
const PRUNE_EVERY_MS = 10 * 60_000;
let lastPrune = 0;

export interface HostedSession {
  sid: string;
  poolId: string;
  /** The user's sub. */
  sub: string;
  /** When the user proved who they are, epoch ms (auth_time). */
  authTime: number;
  expiresAt: number;
  /** SAML sign-ins: the subject (samlSubject) and the IdP's SessionIndex hashed, if it gave one. */
  saml?: { subject: string; index?: string };
}

/** The SAML subject of a NameID of `provider` in `poolId`: hex, so it is safe inside a LIKE prefix. */
export function samlSubject(poolId: string, provider: string, nameID: string): string {
  return createHash('sha256').update(JSON.stringify([poolId, provider, nameID])).digest('hex');
}

const samlIndex = (sessionIndex: string) => createHash('sha256').update(sessionIndex).digest('hex').slice(0, 32);
const SAML_ENDED = (subject: string) => `saml:${subject}:`;

/** The request's valid session for this domain's pool, if any. */
export async function readSession(h: Hosted): Promise<HostedSession | undefined> {
  const sealed = h.cookies[COOKIE];
  if (!sealed) return undefined;
  const s = h.app.sealer.openJson<HostedSession>(PURPOSE, sealed);
  if (!s || s.poolId !== h.domain.poolId || h.app.clock.now() >= s.expiresAt) return undefined;
  if (await h.app.store.oauth.isSessionEnded(s.sid)) return undefined;
  // A tracked SSO session (src/sessions/sessions.ts) lives as long as its record: revoked, it is gone.
  if (isSsoSessionId(s.sid) && !(await h.app.tokens.sessions.ssoLive(s.sid))) return undefined;
  if (s.saml && (await endedBySamlLogout(h.app, s))) return undefined;
  return s;
}

/** Whether an IdP's single logout since the session began covers it. */
async function endedBySamlLogout(app: App, s: HostedSession): Promise<boolean> {
  const startedAt = s.authTime;
  const prefix = SAML_ENDED(s.saml!.subject);
  for (const id of await app.store.oauth.endedSessionsStartingWith(prefix)) {
    const [at, index] = id.slice(prefix.length).split(':');
    if (Number(at) >= startedAt && (index === '*' || index === s.saml!.index)) return true;
  }
  return false;
}

/**
 * Ends, server-side, every hosted session of a SAML subject started until now: of the given
 * SessionIndex only, when the IdP named one. No cookie needed.
 */
export async function endSamlSessions(app: App, who: { poolId: string; provider: string; nameID: string; sessionIndex?: string }): Promise<void> {
  const now = app.clock.now();
  const index = who.sessionIndex ? samlIndex(who.sessionIndex) : '*';
  const id = `${SAML_ENDED(samlSubject(who.poolId, who.provider, who.nameID))}${String(now).padStart(15, '0')}:${index}`;
  // Kept as long as a session started before now can live (a tracked one: up to 90 days).
  await app.store.oauth.endSession({ sid: id, expires_at: now + SSO_VALIDITY_MINUTES.max * 60_000 });
}

/**
 * Starts a session for `user`, authenticated at `authTime` (ms), through app client `clientId`;
 * `saml` for a SAML sign-in. A pool that tracks sessions keeps a record of it (an SSO session).
 */
export async function startSession(h: Hosted, user: User, authTime: number, clientId: string, saml?: { provider: string; nameID: string; sessionIndex?: string }): Promise<HostedSession> {
  const pool = await h.app.pools.get(h.domain.poolId);
  // A tracked session lives as long as the pool's most patient client reuses it (an hour at least).
  const seconds = tracksSessions(pool) ? Math.max(SESSION_SECONDS, (await ssoLifetimeMs(h.app, pool.id)) / 1000) : SESSION_SECONDS;
  const expiresAt = h.app.clock.now() + seconds * 1000;
  // The session this browser had (a fresh sign-in replaces it) ends: it no longer shows as live.
  const previous = h.cookies[COOKIE] ? h.app.sealer.openJson<HostedSession>(PURPOSE, h.cookies[COOKIE]) : undefined;
  if (previous && isSsoSessionId(previous.sid)) await h.app.tokens.sessions.endSso(previous.sid);
  const tracked = await h.app.tokens.sessions.startSso(pool, { userId: user.id, clientId, authTime, expiresAt }, requestContext(h));
  const s: HostedSession = {
    sid: tracked ?? newUuid(),
    poolId: h.domain.poolId,
    sub: user.id,
    authTime,
    expiresAt,
    ...(saml
      ? { saml: { subject: samlSubject(h.domain.poolId, saml.provider, saml.nameID), ...(saml.sessionIndex ? { index: samlIndex(saml.sessionIndex) } : {}) } }
      : {}),
  };
  setCookie(h, COOKIE, h.app.sealer.sealJson(PURPOSE, s), seconds);
  return s;
}

/** Ends the request's session, if it has one, and clears the cookie either way; returns the session ended. */
export async function endSession(h: Hosted): Promise<HostedSession | undefined> {
  const sealed = h.cookies[COOKIE];
  const s = sealed ? h.app.sealer.openJson<HostedSession>(PURPOSE, sealed) : undefined;
  const now = h.app.clock.now();
  if (s && s.expiresAt > now) await h.app.store.oauth.endSession({ sid: s.sid, expires_at: s.expiresAt });
  if (s && isSsoSessionId(s.sid)) await h.app.tokens.sessions.endSso(s.sid);
  if (now - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = now;
    await h.app.store.oauth.pruneEndedSessions(now);
  }
  clearCookie(h, COOKIE);
  return s && s.expiresAt > now && s.poolId === h.domain.poolId ? s : undefined;
}

/** The request's address and user agent, for session tracking. */
export function requestContext(h: Hosted): SessionContext {
  return { ip: h.req.ip, userAgent: h.req.headers['user-agent'] };
}

/** The longest SSOSession.MaxValidityMinutes of the pool's app clients, in ms. */
async function ssoLifetimeMs(app: App, poolId: string): Promise<number> {
  let minutes = DEFAULT_SSO_VALIDITY_MINUTES;
  for (let after: string | undefined; ; ) {
    const rows = await app.store.clients.list(poolId, 100, after);
    for (const r of rows) minutes = Math.max(minutes, (JSON.parse(r.config) as { SSOSession?: { MaxValidityMinutes?: number } }).SSOSession?.MaxValidityMinutes ?? 0);
    if (rows.length < 100) return minutes * 60_000;
    after = rows[rows.length - 1]!.id;
  }
}
