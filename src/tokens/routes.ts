// The issuer documents of each user pool, under its issuer `${publicUrl}/${poolId}` as Cognito
// serves them under cognito-idp.<region>.amazonaws.com/<poolId> (hosted-ui-oauth.md §8):
//   GET /:poolId/.well-known/jwks.json              the pool's public signing keys
//   GET /:poolId/.well-known/openid-configuration   OIDC discovery
// An unknown pool answers 404 with a JSON message.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { App } from '../app.js';
import { ResourceNotFoundException } from '../errors.js';
import { discoveryDocument } from '../oauth/discovery.js';

/** Verifiers may keep the key set a few minutes; a rotated-out key stays published far longer. */
const JWKS_MAX_AGE_SECONDS = 300;
const DISCOVERY_MAX_AGE_SECONDS = 300;

export function registerTokenRoutes(fastify: FastifyInstance, app: App): void {
  fastify.get<{ Params: { poolId: string } }>('/:poolId/.well-known/jwks.json', async (req, reply) => {
    try {
      const jwks = await app.tokens.jwks(req.params.poolId);
      return reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).send(jwks);
    } catch (e) {
      return notFound(reply, e);
    }
  });

  fastify.get<{ Params: { poolId: string } }>('/:poolId/.well-known/openid-configuration', async (req, reply) => {
    try {
      const pool = await app.pools.get(req.params.poolId);
      return reply.header('cache-control', `public, max-age=${DISCOVERY_MAX_AGE_SECONDS}`).send(await discoveryDocument(app, pool.id));
    } catch (e) {
      return notFound(reply, e);
    }
  });
}

function notFound(reply: FastifyReply, e: unknown) {
  if (e instanceof ResourceNotFoundException) return reply.code(404).send({ message: e.message });
  throw e;
}
