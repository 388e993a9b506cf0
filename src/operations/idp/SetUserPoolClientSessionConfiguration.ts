// Sets how long an app client reuses an SSO session silently, from the last fresh sign-in
// (0: never). Only for a pool that tracks sessions; UpdateUserPoolClient keeps it.
import { OperationNotEnabledException } from '../../errors.js';
import { SSO_VALIDITY_MINUTES, tracksSessions } from '../../sessions/sessions.js';
import { defineOperation } from '../operation.js';
import { CLIENT_ID, POOL_ID, intIn, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'SetUserPoolClientSessionConfiguration', async (input, { app }) => {
  const poolId = str(input, 'UserPoolId', { pattern: POOL_ID, max: 55 });
  const clientId = str(input, 'ClientId', { pattern: CLIENT_ID, max: 128 });
  const MaxValidityMinutes = intIn(input, 'SSOSession', 'MaxValidityMinutes', SSO_VALIDITY_MINUTES);
  const pool = await app.pools.get(poolId);
  await app.pools.getClient(poolId, clientId);
  if (!tracksSessions(pool)) throw new OperationNotEnabledException(`Session tracking is not enabled for user pool ${pool.id}.`);
  const client = await app.pools.changeClientSettings(poolId, clientId, (s) => ({ ...s, SSOSession: { MaxValidityMinutes } }));
  return { UserPoolId: poolId, ClientId: client.id, SSOSession: { MaxValidityMinutes } };
});
