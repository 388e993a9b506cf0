// The identity issuer's documents, under `${publicUrl}/identity` as AWS serves them under
// https://cognito-identity.amazonaws.com (identity-and-sync.md A.4):
//   GET /identity/.well-known/openid-configuration   discovery
//   GET /identity/.well-known/jwks_uri               the keys (AWS's file name)
//   GET /identity/.well-known/jwks.json              the same keys
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';

const MAX_AGE_SECONDS = 300;

export function registerIdentityRoutes(fastify: FastifyInstance, app: App): void {
  const jwks = async () => app.identity.tokens.jwks();
  fastify.get('/identity/.well-known/jwks_uri', async (_req, reply) => reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`).send(await jwks()));
  fastify.get('/identity/.well-known/jwks.json', async (_req, reply) => reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`).send(await jwks()));
  fastify.get('/identity/.well-known/openid-configuration', async (_req, reply) =>
    reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`).send(app.identity.tokens.discovery()),
  );
}
