// What every console screen uses: `guarded` routes (a session, and for a POST its CSRF token),
// the form of the request (urlencoded, or multipart with its files), the operation callers and
// the page answer. A failed operation shows its exception name and message on the page (400).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { CognitoException } from '../errors.js';
import type { Registry } from '../operations/registry.js';
import { CSP, esc, page, type Frame } from './html.js';
import { operationCaller, type CallOp } from './operations.js';
import { cookie, cookieOf, hasValidCsrf, readSession, type AdminSession } from './session.js';

export type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string> }>;

export interface Ctx {
  app: App;
  fastify: FastifyInstance;
  req: Req;
  reply: FastifyReply;
  s: AdminSession;
  /** cognito-idp operations. */
  call: CallOp;
  /** cognito-identity operations. */
  callIdentity: CallOp;
  form: URLSearchParams;
  /** Uploaded files of a multipart form, by field name (empty files left out). */
  files: Map<string, { name: string; type: string; bytes: Buffer }>;
  /** Answers the page (the session's CSRF token in its forms' sign-out). */
  show(f: Omit<Frame, 'csrf'>, status?: number): FastifyReply;
  /** 303 to `url` (post/redirect/get), with an optional notice shown by the next page (a sealed, short-lived cookie). */
  done(url: string, notice?: string): FastifyReply;
}

export type Handler = (ctx: Ctx) => Promise<unknown>;

export interface AdminRouter {
  app: App;
  fastify: FastifyInstance;
  get(path: string, h: Handler): void;
  /** `bodyLimit`: a larger request body than the server's default (file uploads). */
  post(path: string, h: Handler, opts?: { bodyLimit?: number }): void;
}

export function sendHtml(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin')
    .send(body);
}

const NOTICE_COOKIE = 'tessera_admin_notice';
const NOTICE_PURPOSE = 'admin-notice';
const NOTICE_SECONDS = 60;

export function adminRouter(fastify: FastifyInstance, app: App, registry: Registry): AdminRouter {
  const guarded = (h: Handler) => async (req: Req, reply: FastifyReply) => {
    const s = await readSession(app, req);
    if (!s) return reply.redirect('/admin/login', 303);
    const { form, files } = await formOf(req);
    if (req.method === 'POST' && !hasValidCsrf(s, form)) return sendHtml(reply, page({ title: 'Refused', body: '<p>The form expired: go back and try again.</p>' }), 403);
    // The server's root hook refuses a NUL in URLs and urlencoded forms; a multipart form's text
    // fields are only seen here. No handler gets one, whether or not an operation's model checks it.
    if ([...form].some(([k, v]) => k.includes('\0') || v.includes('\0'))) {
      req.errorName = 'InvalidParameterException';
      return sendHtml(reply, page({ title: 'Not done', csrf: s.csrf, error: 'InvalidParameterException: A form field contains a NUL character.', body: '<p><a href="/admin">Back</a></p>' }), 400);
    }
    const flash = cookieOf(req.headers.cookie, NOTICE_COOKIE);
    const flashed = flash ? app.sealer.openJson<{ n: string; exp: number }>(NOTICE_PURPOSE, flash) : undefined;
    const notice = flashed && typeof flashed.n === 'string' && flashed.exp > app.clock.now() ? flashed.n : undefined;
    const ctx: Ctx = {
      app,
      fastify,
      req,
      reply,
      s,
      call: operationCaller(app, registry, req, s),
      callIdentity: operationCaller(app, registry, req, s, 'identity'),
      form,
      files,
      show: (f, status) => {
        if (flash) reply.header('set-cookie', cookie(app, '', 0, NOTICE_COOKIE));
        return sendHtml(reply, page({ notice, ...f, csrf: s.csrf }), status);
      },
      done: (url, text) => {
        if (text) reply.header('set-cookie', cookie(app, app.sealer.sealJson(NOTICE_PURPOSE, { n: text, exp: app.clock.now() + NOTICE_SECONDS * 1000 }), NOTICE_SECONDS, NOTICE_COOKIE));
        return reply.redirect(url, 303);
      },
    };
    try {
      return await h(ctx);
    } catch (e) {
      if (!(e instanceof CognitoException)) throw e;
      req.errorName = e.name;
      const back = backLink(req.headers.referer, app.config.publicUrl);
      return sendHtml(reply, page({ title: 'Not done', csrf: s.csrf, error: `${e.name}: ${e.message}`, body: `<p><a href="${esc(back)}">Back</a></p>` }), 400);
    }
  };
  return {
    app,
    fastify,
    get: (path, h) => void fastify.get(path, guarded(h)),
    post: (path, h, opts) =>
      void fastify.post(
        path,
        opts?.bodyLimit
          ? {
              bodyLimit: Math.max(opts.bodyLimit, app.config.bodyLimitBytes),
              // A large body is read only for a signed-in console: the session is checked before.
              onRequest: async (req, reply) => {
                if (!(await readSession(app, req))) return reply.redirect('/admin/login', 303);
              },
            }
          : {},
        guarded(h),
      ),
  };
}

/**
 * Where an error page's Back link may point: the Referer when it is a page of this server (the
 * public URL's origin, and under its path when it has one), else the console's home. A prefix
 * compare of the strings would take https://id.example.com.evil.net/ for https://id.example.com.
 */
export function backLink(referer: string | undefined, publicUrl: string): string {
  if (!referer) return '/admin';
  try {
    const from = new URL(referer);
    const base = new URL(publicUrl);
    const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    if (from.origin !== base.origin || !`${from.pathname}/`.startsWith(prefix)) return '/admin';
    return from.href;
  } catch {
    return '/admin';
  }
}

async function formOf(req: Req): Promise<{ form: URLSearchParams; files: Ctx['files'] }> {
  const files: Ctx['files'] = new Map();
  const body = Buffer.isBuffer(req.body) ? req.body : undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (!body || req.method !== 'POST') return { form: new URLSearchParams(), files };
  if (!/^multipart\/form-data/i.test(type)) return { form: new URLSearchParams(body.toString('utf8')), files };
  const form = new URLSearchParams();
  let parsed: FormData;
  try {
    parsed = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
  } catch {
    return { form, files };
  }
  for (const [k, v] of parsed.entries()) {
    if (typeof v === 'string') form.append(k, v);
    else if (v.size > 0) files.set(k, { name: v.name, type: v.type, bytes: Buffer.from(await v.arrayBuffer()) });
  }
  return { form, files };
}

/** Non-blank lines, trimmed. */
export const linesOf = (text: string | null): string[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Lines of `a=b` (or `a: b`) as pairs; blank lines skipped. */
export function pairsOf(text: string): [string, string][] {
  return linesOf(text).map((l) => {
      const i = l.search(/[=:]/);
      return (i < 0 ? [l, ''] : [l.slice(0, i).trim(), l.slice(i + 1).trim()]) as [string, string];
    });
}

/** Comma- or line-separated values, trimmed, empty ones dropped. */
export const listOf = (text: string | null) => (text ?? '').split(/[,\n]/).map((v) => v.trim()).filter(Boolean);
