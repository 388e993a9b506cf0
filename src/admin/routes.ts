// The admin console at /admin: sign in with the admin access key id and secret, then list and
// create user pools and app clients, list/search, create, disable and enable users, and read a
// user's audit events. Server-rendered pages; every change is a POST form carrying the session's
// CSRF token, answered with 303 to the page that shows the result (post/redirect/get). Failures of
// the operations show their message on the page, with status 400.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { CognitoException } from '../errors.js';
import type { Registry } from '../operations/registry.js';
import { CSP, esc, form, input, page, table } from './html.js';
import { operationCaller, type CallOp } from './operations.js';
import {
  endSession,
  hasValidCsrf,
  hasValidLoginToken,
  isAdminSecret,
  issueLoginToken,
  readSession,
  startSession,
  type AdminSession,
} from './session.js';

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string> }>;
type Handler = (ctx: { req: Req; reply: FastifyReply; s: AdminSession; call: CallOp; form: URLSearchParams }) => Promise<unknown>;

const enc = encodeURIComponent;
const poolUrl = (id: string) => `/admin/pools/${enc(id)}`;
const userUrl = (pool: string, user: string) => `${poolUrl(pool)}/users/${enc(user)}`;

export function registerAdminRoutes(fastify: FastifyInstance, app: App, registry: Registry): void {
  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).header('content-type', 'text/html; charset=utf-8').header('content-security-policy', CSP)
      .header('x-frame-options', 'DENY').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(body);

  /** A page or action that needs a session (and, for POST, its CSRF token). */
  const guarded = (h: Handler) => async (req: Req, reply: FastifyReply) => {
    const s = readSession(app, req);
    if (!s) return reply.redirect('/admin/login', 303);
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const f = new URLSearchParams(body);
    if (req.method === 'POST' && !hasValidCsrf(s, f)) return html(reply, page({ title: 'Refused', body: '<p>The form expired: go back and try again.</p>' }), 403);
    try {
      return await h({ req, reply, s, call: operationCaller(app, registry, req, s), form: f });
    } catch (e) {
      if (!(e instanceof CognitoException)) throw e;
      req.errorName = e.name;
      return html(reply, page({ title: 'Not done', csrf: s.csrf, error: `${e.name}: ${e.message}`, body: `<p><a href="${esc(req.headers.referer?.startsWith(app.config.publicUrl) ? req.headers.referer : '/admin')}">Back</a></p>` }), 400);
    }
  };

  fastify.get('/admin/login', async (_req, reply) => html(reply, loginPage(issueLoginToken(app, reply))));
  fastify.post('/admin/login', async (req, reply) => {
    const f = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    if (!hasValidLoginToken(req, f)) {
      return html(reply, loginPage(issueLoginToken(app, reply), 'The form expired: sign in again.'), 403);
    }
    const id = f.get('accessKeyId') ?? '';
    if (!(await isAdminSecret(app, id, f.get('secretAccessKey') ?? ''))) {
      req.errorName = 'NotAuthorized';
      return html(reply, loginPage(issueLoginToken(app, reply), 'The access key id or secret is not right.'), 401);
    }
    startSession(app, reply, id);
    return reply.redirect('/admin', 303);
  });
  fastify.post('/admin/logout', guarded(async ({ reply }) => {
    endSession(app, reply);
    return reply.redirect('/admin/login', 303);
  }));

  fastify.get('/admin', guarded(async ({ reply, s, call }) => {
    const r = await call('ListUserPools', { MaxResults: 60 });
    const rows = (r.UserPools ?? []).map((p: any) => [`<a href="${poolUrl(p.Id)}">${esc(p.Name)}</a>`, esc(p.Id)]);
    return html(reply, page({
      title: 'User pools',
      csrf: s.csrf,
      body: table('User pools', ['Name', 'Id'], rows) + form('/admin/pools', 'Create a user pool', s.csrf, input('name', 'Pool name', { required: true }), 'Create pool'),
    }));
  }));

  fastify.post('/admin/pools', guarded(async ({ reply, call, form: f }) => {
    const r = await call('CreateUserPool', { PoolName: f.get('name') ?? '' });
    return reply.redirect(poolUrl(r.UserPool.Id), 303);
  }));

  fastify.get('/admin/pools/:pool', guarded(async ({ req, reply, s, call }) => {
    const poolId = req.params.pool;
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const [pool, clients, users] = await Promise.all([
      call('DescribeUserPool', { UserPoolId: poolId }),
      call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 }),
      call('ListUsers', { UserPoolId: poolId, Limit: 60, ...(q ? { Filter: `username ^= "${q.replace(/["\\]/g, '')}"` } : {}) }),
    ]);
    const clientRows = (clients.UserPoolClients ?? []).map((c: any) => [esc(c.ClientName), `<code>${esc(c.ClientId)}</code>`]);
    const userRows = (users.Users ?? []).map((u: any) => [
      `<a href="${userUrl(poolId, u.Username)}">${esc(u.Username)}</a>`,
      esc(u.UserStatus),
      u.Enabled ? 'enabled' : 'disabled',
    ]);
    const search = `<form method="get" action="${poolUrl(poolId)}" role="search"><label for="f-q">Find users whose name starts with</label>
<input id="f-q" name="q" type="search" value="${esc(q)}"><button type="submit">Search</button></form>`;
    return html(reply, page({
      title: `Pool ${pool.UserPool.Name}`,
      csrf: s.csrf,
      body: `<p>Id <code>${esc(poolId)}</code></p><h2>App clients</h2>${table('App clients', ['Name', 'Client id'], clientRows)}
${form(`${poolUrl(poolId)}/clients`, 'Create an app client', s.csrf, input('name', 'Client name', { required: true }), 'Create client')}
<h2>Users</h2>${search}${table('Users', ['Username', 'Status', 'Enabled'], userRows)}
${form(`${poolUrl(poolId)}/users`, 'Create a user', s.csrf, input('username', 'Username', { required: true }) + input('email', 'E-mail (optional)', { type: 'email' }), 'Create user')}`,
    }));
  }));

  fastify.post('/admin/pools/:pool/clients', guarded(async ({ req, reply, call, form: f }) => {
    await call('CreateUserPoolClient', { UserPoolId: req.params.pool, ClientName: f.get('name') ?? '' });
    return reply.redirect(poolUrl(req.params.pool), 303);
  }));

  fastify.post('/admin/pools/:pool/users', guarded(async ({ req, reply, call, form: f }) => {
    const email = f.get('email');
    await call('AdminCreateUser', {
      UserPoolId: req.params.pool,
      Username: f.get('username') ?? '',
      MessageAction: 'SUPPRESS',
      ...(email ? { UserAttributes: [{ Name: 'email', Value: email }] } : {}),
    });
    return reply.redirect(userUrl(req.params.pool, f.get('username') ?? ''), 303);
  }));

  fastify.get('/admin/pools/:pool/users/:user', guarded(async ({ req, reply, s, call }) => {
    const { pool: poolId, user: username } = req.params;
    const u = await call('AdminGetUser', { UserPoolId: poolId, Username: username });
    const pool = await app.pools.get(poolId);
    const user = await app.users.get(pool, username);
    const events = await app.audit.list({ poolId, userId: user.id, limit: 50 });
    const rows = events.events.map((e) => [
      esc(new Date(e.createdAt).toISOString()),
      esc(e.type),
      esc(e.outcome),
      esc([e.detail?.op, e.detail?.flow, e.detail?.reason].filter(Boolean).join(' · ')),
      esc(e.sourceIp),
    ]);
    const attrs = (u.UserAttributes ?? []).map((a: any) => [esc(a.Name), esc(a.Value)]);
    const toggle = u.Enabled ? 'disable' : 'enable';
    return html(reply, page({
      title: `User ${u.Username}`,
      csrf: s.csrf,
      body: `<p><a href="${poolUrl(poolId)}">Back to the pool</a></p><p>Status ${esc(u.UserStatus)}, ${u.Enabled ? 'enabled' : 'disabled'}.</p>
${form(`${userUrl(poolId, username)}/${toggle}`, `${toggle === 'disable' ? 'Disable' : 'Enable'} this user`, s.csrf, '', toggle === 'disable' ? 'Disable user' : 'Enable user')}
${table('Attributes', ['Name', 'Value'], attrs)}<h2>Audit events</h2>${table('Audit events', ['When', 'Type', 'Outcome', 'Detail', 'Address'], rows)}`,
    }));
  }));

  for (const [action, op] of [['disable', 'AdminDisableUser'], ['enable', 'AdminEnableUser']] as const) {
    fastify.post(`/admin/pools/:pool/users/:user/${action}`, guarded(async ({ req, reply, call }) => {
      await call(op, { UserPoolId: req.params.pool, Username: req.params.user });
      return reply.redirect(userUrl(req.params.pool, req.params.user), 303);
    }));
  }
}

function loginPage(csrf: string, error?: string): string {
  return page({
    title: 'Sign in',
    error,
    body: form('/admin/login', 'Admin credentials', csrf,
      input('accessKeyId', 'Access key id', { required: true }) + input('secretAccessKey', 'Secret access key', { type: 'password', required: true }), 'Sign in'),
  });
}
