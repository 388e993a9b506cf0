// The admin console at /admin: sign in with the admin access key id and secret, then the screens
// of src/admin/screens/ (one module each). Server-rendered pages; every change is a POST form
// carrying the session's CSRF token, answered with 303 to the page that shows the result
// (post/redirect/get). Failures of the operations show their message on the page, with status 400.
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import type { Registry } from '../operations/registry.js';
import { form, input, page } from './html.js';
import { adminRouter, sendHtml, type AdminRouter } from './kit.js';
import { registerBrandingScreen } from './screens/branding.js';
import { registerEventsScreen } from './screens/events.js';
import { registerGroupsScreen } from './screens/groups.js';
import { registerIdentityPoolsScreen } from './screens/identity-pools.js';
import { registerIdpsScreen } from './screens/idps.js';
import { registerImportsScreen } from './screens/imports.js';
import { registerPoolsScreen } from './screens/pools.js';
import { registerTriggersScreen } from './screens/triggers.js';
import { registerUsersScreen } from './screens/users.js';
import { endSession, hasValidLoginToken, isAdminSecret, issueLoginToken, loginThrottled, recordLogin, startSession } from './session.js';

/** The screens, each registering its routes on the router. */
export const adminScreens: ((r: AdminRouter) => void)[] = [
  registerPoolsScreen,
  registerUsersScreen,
  registerGroupsScreen,
  registerBrandingScreen,
  registerIdpsScreen,
  registerTriggersScreen,
  registerEventsScreen,
  registerImportsScreen,
  registerIdentityPoolsScreen,
];

export function registerAdminRoutes(fastify: FastifyInstance, app: App, registry: Registry): void {
  fastify.get('/admin/login', async (_req, reply) => sendHtml(reply, loginPage(issueLoginToken(app, reply))));
  fastify.post('/admin/login', async (req, reply) => {
    const f = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    if (!hasValidLoginToken(req, f)) {
      return sendHtml(reply, loginPage(issueLoginToken(app, reply), 'The form expired: sign in again.'), 403);
    }
    const id = (f.get('accessKeyId') ?? '').slice(0, 128);
    const secret = f.get('secretAccessKey') ?? '';
    if (await loginThrottled(app, req, id)) {
      req.errorName = 'TooManyRequestsException';
      return sendHtml(reply, loginPage(issueLoginToken(app, reply), 'Too many wrong sign-ins: try again later.'), 429);
    }
    const ok = await isAdminSecret(app, id, secret);
    await recordLogin(app, req, id, ok);
    if (!ok) {
      req.errorName = 'NotAuthorized';
      return sendHtml(reply, loginPage(issueLoginToken(app, reply), 'The access key id or secret is not right.'), 401);
    }
    startSession(app, reply, id, secret);
    return reply.redirect('/admin', 303);
  });
  const r = adminRouter(fastify, app, registry);
  r.post('/admin/logout', async ({ req, reply }) => {
    await endSession(app, req, reply);
    return reply.redirect('/admin/login', 303);
  });
  for (const register of adminScreens) register(r);
}

function loginPage(csrf: string, error?: string): string {
  return page({
    title: 'Sign in',
    error,
    body: form('/admin/login', 'Admin credentials', csrf,
      input('accessKeyId', 'Access key id', { required: true }) + input('secretAccessKey', 'Secret access key', { type: 'password', required: true }), 'Sign in'),
  });
}
