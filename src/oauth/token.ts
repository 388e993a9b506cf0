// POST /oauth2/token (hosted-ui-oauth.md §2). In order:
//   form body, no parameter twice              invalid_request
//   client authentication                      invalid_client (401)
//     Basic base64(urlenc(id):urlenc(secret)) or client_id [+ client_secret] in the body, not
//     both; the client belongs to this domain's pool; a client with a secret must send it
//     (compared in constant time), a public client must not send one
//   grant_type known                           invalid_request / unsupported_grant_type
//   the grant's own rules                      grants/<grant>.ts
// Answers carry Cache-Control: no-store and Pragma: no-cache (RFC 6749 §5.1).
import type { App } from '../app.js';
import { recordHosted, tokenUser } from '../audit/hosted.js';
import { clientSecretMatches, type AppClient } from '../userpools/pools.js';
import { OAuthError, invalidClient, invalidRequest } from './errors.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { clientCredentialsGrant } from './grants/client-credentials.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import type { Grant } from './grants/types.js';
import { formOf, sendJson, sendOAuthError, type Hosted } from './http.js';

const grants: Record<string, Grant> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
};

/** The audit event type of each grant (src/audit/hosted.ts). */
const AUDIT_TYPES: Record<string, string> = { authorization_code: 'TokenExchange', refresh_token: 'Refresh', client_credentials: 'SignIn' };

export async function token(h: Hosted) {
  let clientId: string | undefined;
  let grantType: string | null = null;
  try {
    const params = formOf(h);
    const twice = [...new Set(params.keys())].find((k) => params.getAll(k).length > 1);
    if (twice) throw invalidRequest(`The parameter ${twice} was given more than once.`);
    const client = await authenticateClient(h.app, h.domain.poolId, h.req.headers.authorization, params);
    clientId = client.id;
    grantType = params.get('grant_type');
    if (!grantType) throw invalidRequest('grant_type is required.');
    const grant = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined;
    if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported.`);
    const pool = await h.app.pools.get(h.domain.poolId);
    const answer = await grant({ app: h.app, pool, client, params, context: { ip: h.req.ip, userAgent: h.req.headers['user-agent'] } });
    await auditGrant(h, grantType, clientId, 'Pass', grantType === 'client_credentials' ? {} : tokenUser(answer.access_token));
    return sendJson(h, answer);
  } catch (e) {
    if (e instanceof OAuthError) {
      // Failures of a known grant by an authenticated client; others are noise without a subject.
      if (clientId && grantType && Object.hasOwn(AUDIT_TYPES, grantType)) await auditGrant(h, grantType, clientId, 'Fail', { reason: e.error });
      return sendOAuthError(h, e);
    }
    throw e;
  }
}

function auditGrant(h: Hosted, grantType: string, clientId: string, outcome: 'Pass' | 'Fail', o: { userId?: string; username?: string; reason?: string }) {
  return recordHosted(h.app, h.req, {
    poolId: h.domain.poolId,
    clientId,
    userId: o.userId,
    username: o.username,
    type: AUDIT_TYPES[grantType]!,
    outcome,
    detail: { op: 'OAuthToken', flow: grantType, reason: o.reason },
  });
}

/**
 * The app client a token, revoke or similar request authenticates as (see the file comment).
 * @example const client = await authenticateClient(app, poolId, req.headers.authorization, form)
 */
export async function authenticateClient(app: App, poolId: string, authorization: string | undefined, params: URLSearchParams): Promise<AppClient> {
  let id = params.get('client_id') ?? undefined;
  let secret = params.get('client_secret') ?? undefined;
  if (authorization !== undefined) {
    const basic = parseBasic(authorization);
    if (!basic) throw invalidClient('The Authorization header is not valid Basic client authentication.');
    if (secret !== undefined) throw invalidRequest('Use one client authentication method, not Basic and client_secret together.');
    if (id !== undefined && id !== basic.id) throw invalidClient('client_id differs from the Basic credentials.');
    id = basic.id;
    secret = basic.secret;
  }
  if (!id) throw invalidClient('client_id is required.');
  const client = await app.pools.getClient(poolId, id).catch(() => undefined);
  if (!client) throw invalidClient();
  if (client.secret === undefined) {
    if (secret) throw invalidClient();
    return client;
  }
  if (!clientSecretMatches(client, secret)) throw invalidClient();
  return client;
}

function parseBasic(header: string): { id: string; secret: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    const un = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: un(decoded.slice(0, colon)), secret: un(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
