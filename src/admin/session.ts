// The console's session: a cookie sealed under the master key (purpose 'admin-session') holding a
// session id, the access key id that signed in, a fingerprint of its secret, a CSRF token and an
// expiry. HttpOnly, SameSite=Strict, Path=/admin, Secure when the public URL is https.
//
// The cookie is checked against the store on every request, so any process can serve it and:
// - signing out ends it everywhere: its id is recorded as ended (with the hosted UI's ended
//   sessions, until its expiry), so a copy taken before is refused too;
// - it lasts only while its key is still the admin's with the same secret: rotating the admin
//   credentials ends every console session signed in with the old ones.
// Wrong secrets are counted in the store per access key id and client address together, and per
// address (loginThrottled): five in a row for a key from one address lock that pair for a time
// that doubles (1 s ... 15 min); twenty within five minutes from one address refuse that address
// until the window passes. The key id is no secret (every SigV4 request names it), so no count of
// the key alone may lock it: someone else could keep the administrator out.
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { lockDurationMs } from '../auth/lockout.js';
import { safeEqual } from '../crypto/compare.js';
import { randomToken } from '../ids.js';

export const SESSION_COOKIE = 'tessera_admin';
const PURPOSE = 'admin-session';
const TTL_MS = 8 * 60 * 60_000;

export interface AdminSession {
  sid: string;
  accessKeyId: string;
  /** HMAC of the secret the session was opened with (secretFingerprint). */
  key: string;
  csrf: string;
  exp: number;
}

const secretFingerprint = (secret: string) => createHmac('sha256', secret).update('tessera admin console session').digest('base64url');

export async function readSession(app: App, req: FastifyRequest): Promise<AdminSession | undefined> {
  const raw = cookieOf(req.headers.cookie, SESSION_COOKIE);
  const s = raw ? app.sealer.openJson<AdminSession>(PURPOSE, raw) : undefined;
  if (!s || typeof s.csrf !== 'string' || typeof s.sid !== 'string' || typeof s.key !== 'string' || !(s.exp > app.clock.now())) return undefined;
  const cred = await app.credentials(s.accessKeyId).catch(() => undefined);
  if (!cred || cred.principal.kind !== 'admin' || !safeEqual(secretFingerprint(cred.secretAccessKey), s.key)) return undefined;
  if (await app.store.oauth.isSessionEnded(s.sid)) return undefined;
  return s;
}

export function startSession(app: App, reply: FastifyReply, accessKeyId: string, secret: string): void {
  const s: AdminSession = { sid: `admin:${randomToken(18)}`, accessKeyId, key: secretFingerprint(secret), csrf: randomToken(24), exp: app.clock.now() + TTL_MS };
  reply.header('set-cookie', cookie(app, app.sealer.sealJson(PURPOSE, s), TTL_MS / 1000));
}

/** Ends the request's session for good (when it has a valid one) and clears the cookie. */
export async function endSession(app: App, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const s = await readSession(app, req);
  if (s) await app.store.oauth.endSession({ sid: s.sid, expires_at: s.exp });
  reply.header('set-cookie', cookie(app, '', 0));
}

// Failures are counted under a name no user pool id can have (pool ids hold no '#').
const LOGIN_COUNTERS = '#admin-console';
const KEY_FAILURES_BEFORE_LOCK = 5;
const ADDRESS_FAILURES = 20;
const ADDRESS_WINDOW_MS = 5 * 60_000;
const KEY_WINDOW_MS = 60 * 60_000;

/** The counter of one key id tried from one address. */
const pairOf = (req: FastifyRequest, accessKeyId: string) => `key:${accessKeyId}|ip:${req.ip}`;

/** Whether sign-in attempts for `accessKeyId` from this address are refused for now. */
export async function loginThrottled(app: App, req: FastifyRequest, accessKeyId: string): Promise<boolean> {
  const [key, address] = await app.store.auth.failures(LOGIN_COUNTERS, pairOf(req, accessKeyId), `ip:${req.ip}`);
  const now = app.clock.now();
  if (address && address.failures >= ADDRESS_FAILURES && now - address.last_failed_at < ADDRESS_WINDOW_MS) return true;
  const lockMs = key ? lockDurationMs(key.failures, { ...app.auth.limits, failuresBeforeLock: KEY_FAILURES_BEFORE_LOCK }) : 0;
  return !!key && now < key.last_failed_at + lockMs;
}

/** Counts a wrong secret (or a success, which clears the count of the key from this address). */
export async function recordLogin(app: App, req: FastifyRequest, accessKeyId: string, ok: boolean): Promise<void> {
  if (ok) return app.store.auth.clearFailures(LOGIN_COUNTERS, pairOf(req, accessKeyId));
  const now = app.clock.now();
  await app.store.auth.countFailure(LOGIN_COUNTERS, pairOf(req, accessKeyId), now, KEY_WINDOW_MS);
  await app.store.auth.countFailure(LOGIN_COUNTERS, `ip:${req.ip}`, now, ADDRESS_WINDOW_MS);
}

/** The form's CSRF field matches the session's token (constant time). */
export function hasValidCsrf(s: AdminSession, form: URLSearchParams): boolean {
  return safeEqual(s.csrf, form.get('_csrf') ?? '');
}

/** The admin credentials typed into the sign-in form. */
export async function isAdminSecret(app: App, accessKeyId: string, secret: string): Promise<boolean> {
  const cred = accessKeyId ? await app.credentials(accessKeyId).catch(() => undefined) : undefined;
  return !!cred && cred.principal.kind === 'admin' && safeEqual(cred.secretAccessKey, secret);
}

/**
 * The sign-in form's CSRF token: a random value in a SameSite=Strict cookie that the form repeats
 * (double submit), so another site cannot sign a browser in under its own credentials.
 */
export function issueLoginToken(app: App, reply: FastifyReply): string {
  const token = randomToken(24);
  reply.header('set-cookie', cookie(app, token, 600, LOGIN_COOKIE));
  return token;
}

export function hasValidLoginToken(req: FastifyRequest, form: URLSearchParams): boolean {
  const cookieToken = cookieOf(req.headers.cookie, LOGIN_COOKIE);
  return !!cookieToken && safeEqual(cookieToken, form.get('_csrf') ?? '');
}

const LOGIN_COOKIE = 'tessera_admin_login';

export function cookie(app: App, value: string, maxAgeSeconds: number, name = SESSION_COOKIE): string {
  const secure = app.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  return `${name}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
