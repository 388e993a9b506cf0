// The issuer documents of each user pool, under its issuer `${publicUrl}/${poolId}` as Cognito
// serves them under cognito-idp.<region>.amazonaws.com/<poolId> (hosted-ui-oauth.md §8):
//   GET /:poolId/.well-known/jwks.json              the pool's public signing keys
//   GET /:poolId/.well-known/openid-configuration   OIDC discovery
// An unknown pool answers 404 with a JSON message.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { App } from '../app.js';
import { ResourceNotFoundException } from '../errors.js';
import { SIGNING_ALG } from './keys.js';

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
      return reply.header('cache-control', `public, max-age=${DISCOVERY_MAX_AGE_SECONDS}`).send(discovery(app, pool.id));
    } catch (e) {
      return notFound(reply, e);
    }
  });
}

/**
 * The discovery document. The OAuth endpoints are where the hosted-UI front end will serve them
 * (on the public URL until pool domains exist).
 */
function discovery(app: App, poolId: string) {
  const base = app.config.publicUrl;
  const issuer = app.tokens.issuer(poolId);
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userInfo`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    end_session_endpoint: `${base}/logout`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}

function notFound(reply: FastifyReply, e: unknown) {
  if (e instanceof ResourceNotFoundException) return reply.code(404).send({ message: e.message });
  throw e;
}
