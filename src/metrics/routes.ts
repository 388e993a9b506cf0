// GET /metrics: the Prometheus text exposition of this process. It names operations, pools'
// traffic and error rates, so it takes the admin credentials as HTTP Basic (access key id as user,
// secret access key as password), as the dev outbox does; Prometheus sends them with `basic_auth`.
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { safeEqual } from '../crypto/compare.js';
import { registry } from './metrics.js';

export function registerMetricsRoutes(fastify: FastifyInstance, app: App): void {
  fastify.get('/metrics', async (req, reply) => {
    if (!(await isAdminBasic(app, req.headers.authorization))) {
      return reply.code(401).header('www-authenticate', 'Basic realm="tessera"').send({ message: 'admin credentials required' });
    }
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

/** HTTP Basic carrying the admin access key id and secret. */
export async function isAdminBasic(app: App, header: string | undefined): Promise<boolean> {
  if (!header || !/^Basic /i.test(header)) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return false;
  const cred = await app.credentials(decoded.slice(0, colon)).catch(() => undefined);
  return !!cred && cred.principal.kind === 'admin' && safeEqual(cred.secretAccessKey, decoded.slice(colon + 1));
}
