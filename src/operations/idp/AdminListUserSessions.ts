// A user's live sessions, token and SSO, for an administrator (IsCurrentSession always false).
import { defineOperation } from '../operation.js';
import { POOL_ID, USERNAME, noNextToken, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'AdminListUserSessions', async (input, { app }) => {
  const pool = await app.pools.get(str(input, 'UserPoolId', { pattern: POOL_ID, max: 55 }));
  const username = str(input, 'Username', { pattern: USERNAME, max: 128 });
  noNextToken(input);
  const user = await app.users.get(pool, username);
  return { Sessions: await app.tokens.sessions.list(pool, user.id) };
});
