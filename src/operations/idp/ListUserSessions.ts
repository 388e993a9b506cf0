// The caller's live sessions, token and SSO, with IsCurrentSession on the one of this access token.
import { ADMIN_SCOPE } from '../../tokens/claims.js';
import { defineOperation } from '../operation.js';
import { ACCESS_TOKEN, noNextToken, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'ListUserSessions', async (input, { app }) => {
  const token = str(input, 'AccessToken', { pattern: ACCESS_TOKEN });
  noNextToken(input);
  const { pool, user, claims } = await app.tokens.verifyAccessToken(token, { requireScope: ADMIN_SCOPE });
  return { Sessions: await app.tokens.sessions.list(pool, user.id, String(claims.origin_jti)) };
});
