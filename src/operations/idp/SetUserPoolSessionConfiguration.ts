// Turns session tracking on or off and sets the token sessions a user may hold (a full
// replacement: every member required). Turning it off keeps the clients' settings, dormant.
import { MAX_PER_USER, type PoolSessionConfig } from '../../sessions/sessions.js';
import { defineOperation } from '../operation.js';
import { POOL_ID, intIn, oneOf, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'SetUserPoolSessionConfiguration', async (input, { app }) => {
  const poolId = str(input, 'UserPoolId', { pattern: POOL_ID, max: 55 });
  const config: PoolSessionConfig = {
    UserSessionTracking: oneOf(input, 'UserSessionTracking', ['ENABLED', 'DISABLED'] as const),
    TokenSession: { MaxPerUser: intIn(input, 'TokenSession', 'MaxPerUser', MAX_PER_USER) },
  };
  const pool = await app.pools.changeSettings(poolId, (s) => ({ ...s, SessionConfiguration: config }));
  return { UserPoolId: pool.id, ...config };
});
