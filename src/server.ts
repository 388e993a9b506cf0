// Mounts the front ends on one Fastify app: AWS JSON at POST / (any path, by X-Amz-Target),
// health, the dev outbox. Nothing else lives here.
import Fastify, { type FastifyInstance } from 'fastify';
import type { App } from './app.js';
import { CognitoException } from './errors.js';
import { newRequestId } from './ids.js';
import { handleAwsJson, isAwsJsonRequest, sendError } from './protocol/awsjson.js';
import type { Registry } from './operations/registry.js';
import { registerDevRoutes } from './messaging/outbox-routes.js';

const CORS_ALLOW_HEADERS =
  'content-type, x-amz-target, x-amz-user-agent, cache-control, authorization, x-amz-date, x-amz-security-token, ' +
  'x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, x-amz-client-context';
const CORS_EXPOSE_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date';

export async function buildServer(app: App, registry: Registry): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: false,
    bodyLimit: app.config.bodyLimitBytes,
    trustProxy: process.env.TESSERA_TRUST_PROXY === 'true',
    return503OnClosing: true,
  });

  // Bodies arrive raw: SigV4 hashes the exact bytes, and each front end decodes its own format.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  fastify.addHook('onRequest', async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', CORS_EXPOSE_HEADERS);
    if (req.method === 'OPTIONS') {
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS')
        .header('access-control-allow-headers', CORS_ALLOW_HEADERS)
        .header('access-control-max-age', '86400')
        .send();
    }
  });

  fastify.setErrorHandler((error: Error & { code?: string; statusCode?: number }, _req, reply) => {
    const requestId = newRequestId();
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(
        reply,
        new CognitoException('RequestEntityTooLargeException', `The request body exceeds the limit of ${app.config.bodyLimitBytes} bytes.`),
        requestId,
        413,
      );
    }
    if (error.statusCode && error.statusCode < 500) {
      return sendError(reply, new CognitoException('SerializationException', error.message), requestId, error.statusCode);
    }
    app.log.error({ err: error, requestId }, 'unexpected error');
    return sendError(reply, new CognitoException('InternalErrorException', `An internal error occurred. Correlation id: ${requestId}`), requestId, 500);
  });

  fastify.get('/health', async () => {
    await app.store.settings.get('health');
    return { status: 'ok' };
  });

  registerDevRoutes(fastify, app);

  // AWS JSON 1.1 goes to any path (the SDKs append `/` to a configured endpoint's own path).
  fastify.post('/*', async (req, reply) => {
    if (isAwsJsonRequest(req)) return handleAwsJson(app, registry, req, reply);
    return sendError(reply, new CognitoException('UnknownOperationException', 'Missing X-Amz-Target header'), newRequestId());
  });

  return fastify;
}
