// Revokes one of a user's sessions for an administrator: a token session's refresh and access
// tokens, or an SSO session (its cookie no longer signs in); LINKED also the other side.
import { defineOperation } from '../operation.js';
import { POOL_ID, USERNAME, oneOf, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'AdminRevokeUserSession', async (input, { app }) => {
  const pool = await app.pools.get(str(input, 'UserPoolId', { pattern: POOL_ID, max: 55 }));
  const username = str(input, 'Username', { pattern: USERNAME, max: 128 });
  const sessionId = str(input, 'SessionId', { max: 28 });
  const linked = oneOf(input, 'RevokeAssociatedSessions', ['NONE', 'LINKED'] as const, { optional: true }) === 'LINKED';
  const user = await app.users.get(pool, username);
  await app.tokens.sessions.revoke(pool, user.id, sessionId, linked);
  return {};
});
