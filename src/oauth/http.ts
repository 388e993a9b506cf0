// What every hosted-UI and OAuth request shares: the domain it came to and the base URL it is
// served under (path form `/_domain/<prefix>` or host form), its query, form body and cookies,
// the page language, CSRF tokens, and the ways of answering (page, JSON, redirect, OAuth error).
//
// Cookies are HttpOnly and SameSite=Lax, Secure when the request came over TLS (or, with
// TESSERA_TRUST_PROXY, X-Forwarded-Proto https), and scoped to the domain's path in the path form
// so that two pools on one host never share them.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { safeEqual } from '../crypto/compare.js';
import type { PoolDomain } from './domains.js';
import { OAuthError } from './errors.js';
import { pickLanguage, type Lang } from './ui/messages.js';

export interface Hosted {
  app: App;
  req: FastifyRequest;
  reply: FastifyReply;
  domain: PoolDomain;
  /** Path prefix of the domain's pages: `/_domain/<prefix>` or `` (host form). */
  base: string;
  /** Absolute URL of the domain root as the browser sees it. */
  baseUrl: string;
  secure: boolean;
  query: URLSearchParams;
  cookies: Record<string, string>;
  lang: Lang;
}

const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_FIELD = '_csrf';

export class CsrfError extends Error {}

/** Host name of a Host header, lower case, without the port. */
export function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name.toLowerCase();
}

/** A Host header: a name or a bracketed IPv6 address, and an optional port; nothing else. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * The origin of the absolute URLs a hosted page gives out (the redirect_uri and ACS URL sent to
 * identity providers). It is the Host the browser used only when Tessera knows that Host answers
 * for it:
 * - a registered domain (the host form: rewriteHostedUrl let only those through);
 * - on the path form /_domain/<prefix>, the public URL's host, or a loopback address as in the
 *   README's http://127.0.0.1:9229/_domain/<prefix>.
 * Behind a proxy (TESSERA_TRUST_PROXY) the Host is the proxy's upstream address, so the path form
 * takes the public URL. Any other Host, malformed or forged, gets the public URL too.
 */
function originFor(app: App, host: string | undefined, base: string, secure: boolean): string {
  const publicOrigin = new URL(app.config.publicUrl).origin;
  if (!host || !HOST_HEADER.test(host)) return publicOrigin;
  const own = `${secure ? 'https' : 'http'}://${host}`;
  if (!base.startsWith('/_domain/')) return own;
  if (app.config.trustProxy) return publicOrigin;
  const name = hostName(host)!.replace(/^\[|\]$/g, '');
  const loopback = name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
  return loopback || name === new URL(app.config.publicUrl).hostname ? own : publicOrigin;
}

export function hostedContext(app: App, req: FastifyRequest, reply: FastifyReply, domain: PoolDomain, base: string): Hosted {
  const raw = req.raw.url ?? '/';
  const q = raw.indexOf('?');
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  // Cookies are Secure when the browser's connection is (directly, or as a trusted proxy says).
  const secure = req.protocol === 'https';
  const origin = originFor(app, req.headers.host, base, secure);
  return {
    app,
    req,
    reply,
    domain,
    base,
    baseUrl: `${origin}${base}`,
    secure,
    query,
    cookies: parseCookies(req.headers.cookie),
    lang: pickLanguage(query.get('lang'), req.headers['accept-language']),
  };
}

/** The urlencoded form of a POST (empty for any other body). */
export function formOf(h: Hosted): URLSearchParams {
  const type = String(h.req.headers['content-type'] ?? '');
  const body = h.req.body;
  // Media types are case-insensitive (RFC 9110 §8.3.1).
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type) || !Buffer.isBuffer(body)) return new URLSearchParams();
  return new URLSearchParams(body.toString('utf8'));
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !(name in out)) out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

export function setCookie(h: Hosted, name: string, value: string, maxAgeSeconds: number): void {
  const attrs = [`${name}=${value}`, `Path=${h.base}/`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (h.secure) attrs.push('Secure');
  const prev = h.reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev : prev ? [String(prev)] : [];
  h.reply.header('set-cookie', [...list, attrs.join('; ')]);
}

export function clearCookie(h: Hosted, name: string): void {
  setCookie(h, name, '', 0);
}

/** The form's CSRF token (double-submit): the cookie's, or a new one set now. */
export function csrfToken(h: Hosted): string {
  const have = h.cookies[CSRF_COOKIE];
  if (have && /^[A-Za-z0-9_-]{32,64}$/.test(have)) return have;
  const token = randomBytes(24).toString('base64url');
  setCookie(h, CSRF_COOKIE, token, 3600);
  h.cookies[CSRF_COOKIE] = token;
  return token;
}

/** Refuses a form whose `_csrf` field does not equal its CSRF cookie (constant-time). */
export function checkCsrf(h: Hosted, form: URLSearchParams): void {
  const cookie = h.cookies[CSRF_COOKIE];
  const field = form.get(CSRF_FIELD);
  if (!cookie || !field || !safeEqual(cookie, field)) throw new CsrfError('CSRF token missing or wrong');
}

/** Headers every hosted page carries, plus its Content-Security-Policy. */
export function sendHtml(h: Hosted, html: string, csp: string, status = 200) {
  return h.reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', csp)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(html);
}

export function redirect(h: Hosted, location: string) {
  return h.reply.code(302).header('location', location).header('cache-control', 'no-store').send();
}

/** JSON of the token endpoint family (RFC 6749 §5.1: never cached). */
export function sendJson(h: Hosted, body: unknown, status = 200) {
  return h.reply
    .code(status)
    .header('content-type', 'application/json;charset=UTF-8')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send(JSON.stringify(body));
}

/** `{ error, error_description }` (and Amplify's `error_message`), with its status. */
export function sendOAuthError(h: Hosted, e: OAuthError) {
  h.req.errorName = e.error;
  // RFC 6749 §5.2: a client that tried the Authorization header hears which scheme to use.
  if (e.error === 'invalid_client' && h.req.headers.authorization) {
    h.reply.header('www-authenticate', 'Basic realm="token"');
  }
  return sendJson(h, { error: e.error, error_description: e.description, error_message: e.description }, e.status);
}

/** Adds OAuth error parameters to a redirect URI (in the fragment for the implicit flow). */
export function errorRedirectUrl(redirectUri: string, e: OAuthError, state: string | null | undefined, fragment: boolean): string {
  const p = new URLSearchParams({ error: e.error, error_description: e.description });
  if (state != null) p.set('state', state);
  return appendParams(redirectUri, p, fragment);
}

export function appendParams(uri: string, p: URLSearchParams, fragment: boolean): string {
  if (fragment) return `${uri}#${p.toString()}`;
  return `${uri}${uri.includes('?') ? '&' : '?'}${p.toString()}`;
}
