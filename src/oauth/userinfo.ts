// GET or POST /oauth2/userInfo (hosted-ui-oauth.md §3; OIDC Core §5.3). A Bearer access token of
// a user of this domain's pool, not revoked, with the openid scope. The claims follow its scopes:
//   openid                         sub, username
//   email / phone                  email, email_verified / phone_number, phone_number_verified
//   profile                        the other readable standard attributes and custom:*
//   aws.cognito.signin.user.admin  every readable attribute
// always within what the client may read (ReadAttributes). Verification flags are the strings
// "true"/"false". Errors: 401 invalid_token, 400 invalid_request, in WWW-Authenticate (RFC 6750).
import { CognitoException } from '../errors.js';
import { formOf, sendJson, type Hosted } from './http.js';

const EMAIL = new Set(['email', 'email_verified']);
const PHONE = new Set(['phone_number', 'phone_number_verified']);

export async function userInfo(h: Hosted) {
  const header = h.req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? (h.req.method === 'POST' ? formOf(h).get('access_token') : null);
  if (!bearer) return refuse(h, 400, 'invalid_request', 'Access token is missing.');
  let verified;
  try {
    verified = await h.app.tokens.verifyAccessToken(bearer);
  } catch (e) {
    if (e instanceof CognitoException) return refuse(h, 401, 'invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.');
    throw e;
  }
  const { pool, user, claims, clientId } = verified;
  const scopes = new Set(String(claims.scope ?? '').split(' '));
  if (pool.id !== h.domain.poolId || !scopes.has('openid')) {
    return refuse(h, 401, 'invalid_token', 'Access token is not valid for this endpoint (it needs the openid scope).');
  }
  const client = await h.app.pools.getClient(pool.id, clientId).catch(() => undefined);
  const readable = client?.settings.ReadAttributes?.length ? new Set(client.settings.ReadAttributes) : undefined;
  const all = scopes.has('aws.cognito.signin.user.admin');
  const out: Record<string, string> = { sub: user.id };
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name.startsWith('dev:') || (readable && !readable.has(name))) continue;
    const fits = all || (EMAIL.has(name) ? scopes.has('email') : PHONE.has(name) ? scopes.has('phone') : scopes.has('profile'));
    if (fits) out[name] = value;
  }
  out.username = user.username;
  return sendJson(h, out);
}

function refuse(h: Hosted, status: number, error: string, description: string) {
  h.req.errorName = error;
  h.reply.header('www-authenticate', `Bearer error="${error}", error_description="${description}"`);
  return sendJson(h, { error, error_description: description }, status);
}
