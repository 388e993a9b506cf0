// The operator's view of a pool's webhook secret (README "Triggers"), guarded by HTTP Basic with
// the admin access key id and secret, like the dev outbox:
//   GET  /_tessera/userpools/:poolId/webhook-secret          { "secret": "whsec_..." } (made on first use)
//   POST /_tessera/userpools/:poolId/webhook-secret/rotate   { "secret": <the new one> }
// An unknown pool answers 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { safeEqual } from '../crypto/compare.js';
import { ResourceNotFoundException } from '../errors.js';

export function registerTriggerRoutes(fastify: FastifyInstance, app: App): void {
  const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const auth = req.headers.authorization ?? '';
    const [id, secret] = Buffer.from(auth.replace(/^Basic /i, ''), 'base64').toString('utf8').split(':');
    const cred = id ? await app.credentials(id) : undefined;
    if (cred?.principal.kind === 'admin' && safeEqual(cred.secretAccessKey, secret ?? '')) return true;
    await reply.code(401).header('www-authenticate', 'Basic realm="tessera"').send({ message: 'admin credentials required' });
    return false;
  };
  const poolOr404 = async (poolId: string, reply: FastifyReply) => {
    try {
      return await app.pools.get(poolId);
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
      await reply.code(404).send({ message: e.message });
      return undefined;
    }
  };

  fastify.get<{ Params: { poolId: string } }>('/_tessera/userpools/:poolId/webhook-secret', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const pool = await poolOr404(req.params.poolId, reply);
    if (!pool) return reply;
    return { secret: await app.triggers.webhookSecrets.get(pool.id) };
  });

  fastify.post<{ Params: { poolId: string } }>('/_tessera/userpools/:poolId/webhook-secret/rotate', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const pool = await poolOr404(req.params.poolId, reply);
    if (!pool) return reply;
    return { secret: await app.triggers.webhookSecrets.rotate(pool.id) };
  });
}
