// The console's session: a cookie sealed under the master key (purpose 'admin-session') holding the
// access key id that signed in, a CSRF token and an expiry. HttpOnly, SameSite=Strict, Path=/admin,
// Secure when the public URL is https. Nothing is stored server-side, so any process can serve it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { safeEqual } from '../crypto/compare.js';
import { randomToken } from '../ids.js';

export const SESSION_COOKIE = 'tessera_admin';
const PURPOSE = 'admin-session';
const TTL_MS = 8 * 60 * 60_000;

export interface AdminSession {
  accessKeyId: string;
  csrf: string;
  exp: number;
}

export function readSession(app: App, req: FastifyRequest): AdminSession | undefined {
  const raw = cookieOf(req.headers.cookie, SESSION_COOKIE);
  const s = raw ? app.sealer.openJson<AdminSession>(PURPOSE, raw) : undefined;
  return s && typeof s.csrf === 'string' && s.exp > app.clock.now() ? s : undefined;
}

export function startSession(app: App, reply: FastifyReply, accessKeyId: string): void {
  const s: AdminSession = { accessKeyId, csrf: randomToken(24), exp: app.clock.now() + TTL_MS };
  reply.header('set-cookie', cookie(app, app.sealer.sealJson(PURPOSE, s), TTL_MS / 1000));
}

export function endSession(app: App, reply: FastifyReply): void {
  reply.header('set-cookie', cookie(app, '', 0));
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
