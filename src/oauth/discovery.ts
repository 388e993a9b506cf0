// The OIDC discovery document of a pool, served under its issuer (tokens/routes.ts;
// hosted-ui-oauth.md §8). The OAuth endpoints are named with absolute URLs on the pool's domain
// (`${publicUrl}/_domain/<prefix>/...`, else `https://<custom domain>/...`). A pool without a
// domain keeps the earlier document (endpoints under the public URL, code only), which
// test/api/tokens pins; spec §8 would rather leave them out, since nothing answers there.
import type { App } from '../app.js';
import { SIGNING_ALG } from '../tokens/keys.js';

export async function discoveryDocument(app: App, poolId: string): Promise<Record<string, unknown>> {
  const issuer = app.tokens.issuer(poolId);
  const domainBase = await app.oauth.domains.baseUrlOf(poolId);
  const base = domainBase ?? app.config.publicUrl;
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userInfo`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    end_session_endpoint: `${base}/logout`,
    response_types_supported: domainBase ? ['code', 'token'] : ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'implicit'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: ['sub', 'username', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'name', 'given_name', 'family_name'],
  };
}
