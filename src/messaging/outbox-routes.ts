// GET /_tessera/outbox[?to=address]: the dev outbox, for reading codes when no SMTP is set up.
// Guarded by HTTP Basic with the admin access key id and secret.
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { safeEqual } from '../crypto/compare.js';

export function registerDevRoutes(fastify: FastifyInstance, app: App): void {
  fastify.get('/_tessera/outbox', async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    const [id, secret] = Buffer.from(auth.replace(/^Basic /i, ''), 'base64').toString('utf8').split(':');
    const cred = id ? await app.credentials(id) : undefined;
    if (!cred || cred.principal.kind !== 'admin' || !safeEqual(cred.secretAccessKey, secret ?? '')) {
      return reply.code(401).header('www-authenticate', 'Basic realm="tessera"').send({ message: 'admin credentials required' });
    }
    const to = typeof (req.query as Record<string, unknown>).to === 'string' ? (req.query as Record<string, string>).to : undefined;
    const rows = await app.store.outbox.list(to, 100);
    return rows.map((r) => ({
      channel: r.channel,
      poolId: r.pool_id,
      to: r.destination,
      subject: r.subject,
      body: r.body,
      at: new Date(r.created_at).toISOString(),
    }));
  });
}
