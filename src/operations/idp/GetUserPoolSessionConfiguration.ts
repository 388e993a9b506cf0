// Session tracking of a pool (src/sessions/sessions.ts): DISABLED and 20 token sessions per user
// until SetUserPoolSessionConfiguration says otherwise.
import { poolSessionConfig } from '../../sessions/sessions.js';
import { defineOperation } from '../operation.js';
import { POOL_ID, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'GetUserPoolSessionConfiguration', async (input, { app }) => {
  const pool = await app.pools.get(str(input, 'UserPoolId', { pattern: POOL_ID, max: 55 }));
  const c = poolSessionConfig(pool);
  return { UserPoolId: pool.id, UserSessionTracking: c.UserSessionTracking, TokenSession: c.TokenSession };
});
