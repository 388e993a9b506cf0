// Revokes one of the caller's other sessions (never the one of this access token); LINKED also
// the SSO session a token session came through, or the token sessions of an SSO session.
import { ADMIN_SCOPE } from '../../tokens/claims.js';
import { defineOperation } from '../operation.js';
import { ACCESS_TOKEN, oneOf, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'RevokeUserSession', async (input, { app }) => {
  const token = str(input, 'AccessToken', { pattern: ACCESS_TOKEN });
  const sessionId = str(input, 'SessionId', { max: 28 });
  const linked = oneOf(input, 'RevokeAssociatedSessions', ['NONE', 'LINKED'] as const, { optional: true }) === 'LINKED';
  const { pool, user, claims } = await app.tokens.verifyAccessToken(token, { requireScope: ADMIN_SCOPE });
  await app.tokens.sessions.revoke(pool, user.id, sessionId, linked, String(claims.origin_jti));
  return {};
});
