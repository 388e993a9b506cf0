// Mounts the front ends on one Fastify app: AWS JSON at POST / (any path, by X-Amz-Target),
// health, the dev outbox. Nothing else lives here but what every request shares: its request id
// (x-amzn-RequestId on every response), CORS for browser clients (api-surface.md §1.1 rule 5),
// one log line per request, and the last-resort error handler.
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { App } from './app.js';
import { CognitoException, RequestEntityTooLargeException, SerializationException, httpStatusOf } from './errors.js';
import { newRequestId } from './ids.js';
import { handleAwsJson, isAwsJsonRequest, sendError } from './protocol/awsjson.js';
import { registerRestJson } from './protocol/restjson.js';
import type { Registry } from './operations/registry.js';
import { registerDevRoutes } from './messaging/outbox-routes.js';
import { registerIdentityRoutes } from './identity/routes.js';
import { registerTokenRoutes } from './tokens/routes.js';
import { registerOAuthRoutes, rewriteHostedUrl } from './oauth/routes.js';
import { registerFederation } from './federation/routes.js';
import { registerSaml } from './federation/saml-routes.js';
import { registerTriggerRoutes } from './triggers/routes.js';
import { registerImportRoutes } from './import/routes.js';
import { registerMetricsRoutes } from './metrics/routes.js';
import { registerAdminRoutes } from './admin/routes.js';
import { registerFrozenSettingsApi } from './admin/frozen-api.js';
import { registerFrozenSettingsScreen } from './admin/frozen-screen.js';
import { observeRequest } from './metrics/metrics.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's input is checked against an AWS model (the NUL check below leaves it alone). */
    modelChecked?: boolean;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The AWS operation this request named, for the request log. */
    op?: string;
    /** The exception name it was answered with, for the request log. */
    errorName?: string;
  }
}

/** Request headers browsers may send to the AWS JSON front end (and that pre-flights must allow). */
export const CORS_ALLOW_HEADERS = [
  'content-type',
  'x-amz-target',
  'x-amz-user-agent',
  'cache-control',
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'x-amz-client-context',
];
/** Response headers browser scripts may read. */
export const CORS_EXPOSE_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date';
const CORS_ALLOW_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const TOKEN_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export async function buildServer(app: App, registry: Registry): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: false,
    bodyLimit: app.config.bodyLimitBytes,
    // One hop: the reverse proxy in front. The client address is the last X-Forwarded-For entry,
    // the one that proxy appended; entries before it are the client's own word (lockout by address
    // and threat protection's blocked ranges must not be dodged with a forged header).
    trustProxy: app.config.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    return503OnClosing: true,
    // A request (headers and body) must arrive within a minute: slow senders cannot hold
    // connections open forever. Responses, such as the sync change stream, are not limited.
    requestTimeout: 60_000,
    // Our ids, not the caller's: a request id must not be chosen by the client.
    genReqId: () => newRequestId(),
    requestIdHeader: false,
    clientErrorHandler: answerClientError,
    // The host form of the pools' hosted-UI domains (src/oauth/routes.ts).
    rewriteUrl: (raw) => rewriteHostedUrl(app, raw),
  });

  // Bodies arrive raw: SigV4 hashes the exact bytes, and each front end decodes its own format.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  fastify.decorateRequest('op', undefined);
  fastify.decorateRequest('errorName', undefined);

  fastify.addHook('onRequest', async (req, reply) => {
    reply.header('x-amzn-requestid', req.id);
    // The server's own time, as AWS sends it: the SDKs correct their clock skew from it when a
    // signature is refused as expired (and a test's manual clock is the server's time).
    reply.header('date', new Date(app.clock.now()).toUTCString());
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', CORS_EXPOSE_HEADERS);
    if (req.method === 'OPTIONS') return preflight(req, reply);
  });

  // Hosted pages, OAuth endpoints, the console and the other non-API routes: a NUL in the URL or in
  // a form or JSON body is refused before any handler sees it. Nothing legitimate sends one, and
  // PostgreSQL can neither store nor compare it. The AWS API's routes (marked modelChecked) are
  // left to their models' checks, which answer in the API's own error format. The route decides,
  // not the request's headers, which a client chooses.
  fastify.addHook('preHandler', async (req, reply) => {
    if (req.routeOptions.config?.modelChecked) return;
    if (!carriesNul(req.raw.url ?? '', String(req.headers['content-type'] ?? ''), req.body)) return;
    req.errorName = 'InvalidRequest';
    return reply
      .code(400)
      .header('content-type', 'application/json')
      .send(JSON.stringify({ error: 'invalid_request', error_description: 'The request contains a NUL character.' }));
  });

  // One line per request. Only the path: query strings may carry codes and tokens.
  fastify.addHook('onResponse', async (req, reply) => {
    const path = (req.raw.url ?? '/').split('?')[0];
    app.log.info(
      {
        requestId: req.id,
        method: req.method,
        path: path.length > 200 ? path.slice(0, 200) + '…' : path,
        op: req.op,
        status: reply.statusCode,
        error: req.errorName,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    observeRequest(req.op ?? `${req.method} ${req.routeOptions.url ?? 'unrouted'}`, req.errorName, reply.elapsedTime / 1000);
  });

  fastify.setErrorHandler((error: Error & { code?: string; statusCode?: number }, req, reply) => {
    let err: CognitoException;
    let status: number;
    if (error instanceof CognitoException) {
      err = error;
      status = httpStatusOf(error);
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      err = new RequestEntityTooLargeException(`The request body exceeds the limit of ${app.config.bodyLimitBytes} bytes.`);
      status = 413;
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Framing problems found before a front end saw the request (bad Content-Length, ...).
      err = new SerializationException(error.message);
      status = error.statusCode;
    } else {
      app.log.error({ err: error, requestId: req.id }, 'unexpected error');
      err = new CognitoException('InternalErrorException', `An internal error occurred. Correlation id: ${req.id}`);
      status = 500;
    }
    req.errorName = err.name;
    return sendError(reply, err, req.id, status);
  });

  fastify.setNotFoundHandler((req, reply) => {
    req.errorName = 'NotFound';
    reply
      .code(404)
      .header('content-type', 'application/json')
      .send(JSON.stringify({ message: `No route for ${req.method} ${(req.raw.url ?? '/').split('?')[0]}` }));
  });

  fastify.get('/health', async () => {
    await app.store.settings.get('health');
    return { status: 'ok' };
  });

  registerDevRoutes(fastify, app);
  registerIdentityRoutes(fastify, app);
  // Cognito Sync (REST JSON under /identitypools) and its change stream (GET /sync/events).
  registerRestJson(fastify, app, registry);
  registerTokenRoutes(fastify, app);
  registerOAuthRoutes(fastify, app);
  registerFederation(app);
  registerSaml(app);
  registerTriggerRoutes(fastify, app);
  registerImportRoutes(fastify, app);
  registerMetricsRoutes(fastify, app);
  registerAdminRoutes(fastify, app, registry);
  registerFrozenSettingsApi(fastify, app);
  registerFrozenSettingsScreen(fastify, app);

  // AWS JSON 1.1 goes to any path (the SDKs append `/` to a configured endpoint's own path).
  fastify.post('/*', { config: { modelChecked: true } }, async (req, reply) => {
    if (isAwsJsonRequest(req)) return handleAwsJson(app, registry, req, reply);
    req.errorName = 'UnknownOperationException';
    return sendError(
      reply,
      new CognitoException('UnknownOperationException', 'Missing X-Amz-Target header: AWS JSON requests name their operation in it.'),
      req.id,
    );
  });

  return fastify;
}

/**
 * A NUL in the URL (raw or %00), or in a urlencoded or JSON body (raw, %00 or \u0000). Other
 * bodies (a multipart upload's images, a SAML message's XML) are left to their parsers.
 */
function carriesNul(url: string, contentType: string, body: unknown): boolean {
  if (url.includes('%00') || url.includes('\0')) return true;
  if (!Buffer.isBuffer(body)) return false;
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return body.includes(0) || body.includes('%00');
  if (/^application\/([\w.+-]*\+)?json/i.test(contentType)) return body.includes(0) || body.includes('\\u0000');
  return false;
}

/**
 * Requests Node's HTTP parser refuses before any route sees them (a malformed request line,
 * headers over the size limit, a request that did not arrive in time) get an AWS JSON error too.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, text, name, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'RequestTimeoutException', 'The request did not arrive in time.']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'SerializationException', 'The request headers are too large.']
        : [400, 'Bad Request', 'SerializationException', 'The request is not valid HTTP/1.1.'];
  if (socket.writable) {
    const body = JSON.stringify({ __type: name, message });
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: ${newRequestId()}\r\n` +
        `x-amzn-ErrorType: ${name}:\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * CORS pre-flight: 204 allowing our methods and the AWS headers, plus whatever well-formed
 * header names the browser asks for (clients add their own, e.g. x-amz-user-agent variants).
 */
function preflight(req: FastifyRequest, reply: FastifyReply) {
  const asked = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h && TOKEN_RE.test(h) && h.length <= 100);
  const allowed = [...new Set([...CORS_ALLOW_HEADERS, ...asked])].join(', ');
  return reply
    .code(204)
    .header('access-control-allow-methods', CORS_ALLOW_METHODS)
    .header('access-control-allow-headers', allowed)
    .header('access-control-max-age', '86400')
    .send();
}
