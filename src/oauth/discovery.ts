// The OIDC discovery document of a pool, served under its issuer (tokens/routes.ts;
// hosted-ui-oauth.md §8). The OAuth endpoints are named with absolute URLs on the pool's domain
// (`${publicUrl}/_domain/<prefix>/...`, else `https://<custom domain>/...`).
//
// A pool without a domain has no OAuth endpoints at all: /oauth2/* and /logout answer only on a
// domain (oauth/routes.ts). Cognito then still lists authorization_endpoint, token_endpoint and
// userinfo_endpoint, as empty strings or as the issuer, which no client can use; this document
// names only what works: the issuer, its JWKS and the token facts a verifier needs.
import type { App } from '../app.js';
import { SIGNING_ALG } from '../tokens/keys.js';

export async function discoveryDocument(app: App, poolId: string): Promise<Record<string, unknown>> {
  const issuer = app.tokens.issuer(poolId);
  const base = await app.oauth.domains.baseUrlOf(poolId);
  const endpoints = base
    ? {
        authorization_endpoint: `${base}/oauth2/authorize`,
        token_endpoint: `${base}/oauth2/token`,
        userinfo_endpoint: `${base}/oauth2/userInfo`,
        revocation_endpoint: `${base}/oauth2/revoke`,
        end_session_endpoint: `${base}/logout`,
      }
    : {};
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    ...endpoints,
    // OIDC Discovery requires response_types_supported; with no authorize endpoint it is moot.
    response_types_supported: base ? ['code', 'token'] : ['code'],
    ...(base
      ? {
          grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'implicit'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          code_challenge_methods_supported: ['S256'],
        }
      : {}),
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    claims_supported: ['sub', 'username', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'name', 'given_name', 'family_name'],
  };
}
