// Where the hosted UI and the OAuth endpoints are mounted on the one Fastify server
// (hosted-ui-oauth.md §11):
//   path form   /_domain/<prefix>/<page>            any Host; what Node tests and Amplify's
//                                                   `domain: "host:port/_domain/<prefix>"` use
//   host form   Host <prefix>.auth.<region>.localhost, or a custom domain, + /<page>
//               (rewriteHostedUrl turns it into /_host/<host>/<page> before routing)
//   assets      /_ui/<poolId>/<clientId>/<logo | branding asset>   on any host (ImageUrl)
// <page> is looked up in `hostedRoutes`, a table federation extends with /oauth2/idpresponse and
// /saml2/*. An unknown domain or page is a 404 page; an unexpected failure is logged and answered
// as server_error (JSON endpoints) or the error page, never with internals.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { authorize } from './authorize.js';
import type { PoolDomain } from './domains.js';
import { hostName, hostedContext, sendJson, type Hosted } from './http.js';
import { logout } from './logout.js';
import { revoke } from './revoke.js';
import { token } from './token.js';
import { userInfo } from './userinfo.js';
import { showForgot, submitForgot, submitReset } from './ui/forgot.js';
import { showError } from './ui/render.js';
import { submitMfa } from './ui/mfa.js';
import { submitNewPassword } from './ui/new-password.js';
import { showLogin, submitLogin } from './ui/sign-in.js';
import { confirmUserLink, showSignUp, submitConfirm, submitSignUp } from './ui/sign-up.js';

export type HostedHandler = (h: Hosted) => Promise<unknown>;

/** Page path (no leading slash) -> handler per method. */
export const hostedRoutes: Record<string, { GET?: HostedHandler; POST?: HostedHandler }> = {
  'oauth2/authorize': { GET: authorize },
  'oauth2/token': { POST: token },
  'oauth2/userInfo': { GET: userInfo, POST: userInfo },
  'oauth2/revoke': { POST: revoke },
  logout: { GET: logout },
  login: { GET: showLogin, POST: submitLogin },
  newPassword: { POST: submitNewPassword },
  mfa: { POST: submitMfa },
  signup: { GET: showSignUp, POST: submitSignUp },
  confirm: { POST: submitConfirm },
  confirmUser: { GET: confirmUserLink },
  forgotPassword: { GET: showForgot, POST: submitForgot },
  confirmForgotPassword: { POST: submitReset },
  error: { GET: (h) => showError(h, 'error.internal') },
};

/** Endpoints that answer JSON, so their failures do too. */
const JSON_ENDPOINTS = new Set(['oauth2/token', 'oauth2/userInfo', 'oauth2/revoke']);
const HOSTED_PATH = /^\/(oauth2\/|saml2\/|login$|logout$|signup$|confirm$|confirmUser$|forgotPassword$|confirmForgotPassword$|newPassword$|mfa$|error$)/;
const PREFIX_HOST = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.auth\.([a-z0-9-]+)\.localhost$/;


/**
 * Fastify's rewriteUrl: a hosted page asked for on another host than the API's (not an IP, not
 * `localhost`, not the public URL's host) becomes /_host/<host>/<page>. AWS JSON requests
 * (X-Amz-Target) are never rewritten.
 */
export function rewriteHostedUrl(app: App, raw: IncomingMessage): string {
  const url = raw.url ?? '/';
  if (raw.headers['x-amz-target']) return url;
  const host = hostName(raw.headers.host);
  if (!host || host === 'localhost' || isIP(host.replace(/^\[|\]$/g, '')) || host === new URL(app.config.publicUrl).hostname) return url;
  if (!HOSTED_PATH.test(url.split('?')[0])) return url;
  return `/_host/${encodeURIComponent(host)}${url}`;
}

export function registerOAuthRoutes(fastify: FastifyInstance, app: App): void {
  const regions = () => new Set([app.config.region, ...app.config.extraRegions]);

  fastify.route<{ Params: { prefix: string; '*': string } }>({
    method: ['GET', 'POST'],
    url: '/_domain/:prefix/*',
    handler: async (req, reply) => {
      const d = await app.oauth.domains.find(req.params.prefix);
      return dispatch(app, req, reply, d?.kind === 'prefix' ? d : undefined, `/_domain/${req.params.prefix}`, req.params['*']);
    },
  });

  fastify.route<{ Params: { host: string; '*': string } }>({
    method: ['GET', 'POST'],
    url: '/_host/:host/*',
    handler: async (req, reply) => {
      // Only reachable through rewriteHostedUrl: a client cannot name another host's domain here.
      if (!(req.originalUrl ?? '').startsWith('/') || req.originalUrl.startsWith('/_host/')) return reply.code(404).send();
      const host = req.params.host;
      const m = PREFIX_HOST.exec(host);
      let d: PoolDomain | undefined;
      if (m && regions().has(m[2])) {
        const found = await app.oauth.domains.find(m[1]);
        d = found?.kind === 'prefix' ? found : undefined;
      } else {
        const found = await app.oauth.domains.find(host);
        d = found?.kind === 'custom' ? found : undefined;
      }
      return dispatch(app, req, reply, d, '', req.params['*']);
    },
  });

  fastify.get<{ Params: { poolId: string; clientId: string; asset: string } }>('/_ui/:poolId/:clientId/:asset', async (req, reply) => {
    const { poolId, clientId, asset } = req.params;
    const found =
      asset === 'logo' ? await app.oauth.ui.logo(poolId, clientId) : /^[a-z_]{3,40}$/.test(asset) ? await app.oauth.branding.asset(poolId, clientId, asset.toUpperCase()) : undefined;
    if (!found) return reply.code(404).header('content-type', 'text/plain').send('Not found');
    return reply
      .header('content-type', found.type)
      .header('cache-control', 'public, max-age=300')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .header('x-content-type-options', 'nosniff')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(found.bytes);
  });
}

async function dispatch(app: App, req: FastifyRequest, reply: FastifyReply, domain: PoolDomain | undefined, base: string, page: string) {
  const path = page.replace(/\/+$/, '');
  req.op = `hosted:${path}`;
  if (!domain) return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('No such domain.');
  const h = hostedContext(app, req, reply, domain, base);
  const route = Object.hasOwn(hostedRoutes, path) ? hostedRoutes[path] : undefined;
  const handler = route?.[req.method as 'GET' | 'POST'];
  if (!handler) return showError(h, 'error.notFound', { status: route ? 405 : 404 });
  try {
    return await handler(h);
  } catch (e) {
    app.log.error({ err: e, requestId: req.id, page: path }, 'hosted UI failure');
    if (reply.sent) return;
    if (JSON_ENDPOINTS.has(path)) return sendJson(h, { error: 'server_error', error_description: `An internal error occurred. Correlation id: ${req.id}` }, 500);
    return showError(h, 'error.internal', { status: 500, detail: `Correlation id: ${req.id}` });
  }
}
