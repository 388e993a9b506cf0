// The hosted-UI session: what lets a second app client of the same domain (or prompt=none) get
// a code without the password again. A sealed cookie (`cognito`, as Cognito names it) holding
// the pool, the user's sub, the time of authentication and an id; it lasts one hour and is
// scoped to the domain (its host, or its /_domain/<prefix>/ path). /logout clears it and records
// its id as ended, so a copy of the cookie taken before the sign-out is refused too.
import { newUuid } from '../ids.js';
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
}

/** The request's valid session for this domain's pool, if any. */
export async function readSession(h: Hosted): Promise<HostedSession | undefined> {
  const sealed = h.cookies[COOKIE];
  if (!sealed) return undefined;
  const s = h.app.sealer.openJson<HostedSession>(PURPOSE, sealed);
  if (!s || s.poolId !== h.domain.poolId || h.app.clock.now() >= s.expiresAt) return undefined;
  if (await h.app.store.oauth.isSessionEnded(s.sid)) return undefined;
  return s;
}

/** Starts a session for `user`, authenticated at `authTime` (ms). */
export function startSession(h: Hosted, user: User, authTime: number): HostedSession {
  const s: HostedSession = {
    sid: newUuid(),
    poolId: h.domain.poolId,
    sub: user.id,
    authTime,
    expiresAt: h.app.clock.now() + SESSION_SECONDS * 1000,
  };
  setCookie(h, COOKIE, h.app.sealer.sealJson(PURPOSE, s), SESSION_SECONDS);
  return s;
}

/** Ends the request's session, if it has one, and clears the cookie either way; returns the session ended. */
export async function endSession(h: Hosted): Promise<HostedSession | undefined> {
  const sealed = h.cookies[COOKIE];
  const s = sealed ? h.app.sealer.openJson<HostedSession>(PURPOSE, sealed) : undefined;
  const now = h.app.clock.now();
  if (s && s.expiresAt > now) await h.app.store.oauth.endSession({ sid: s.sid, expires_at: s.expiresAt });
  if (now - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = now;
    await h.app.store.oauth.pruneEndedSessions(now);
  }
  clearCookie(h, COOKIE);
  return s && s.expiresAt > now && s.poolId === h.domain.poolId ? s : undefined;
}
