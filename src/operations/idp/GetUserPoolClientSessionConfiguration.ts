// How long an app client reuses an SSO session silently (60 minutes unless set).
import { DEFAULT_SSO_VALIDITY_MINUTES } from '../../sessions/sessions.js';
import { defineOperation } from '../operation.js';
import { CLIENT_ID, POOL_ID, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'GetUserPoolClientSessionConfiguration', async (input, { app }) => {
  const poolId = str(input, 'UserPoolId', { pattern: POOL_ID, max: 55 });
  const client = await app.pools.getClient(poolId, str(input, 'ClientId', { pattern: CLIENT_ID, max: 128 }));
  return { UserPoolId: poolId, ClientId: client.id, SSOSession: { MaxValidityMinutes: client.settings.SSOSession?.MaxValidityMinutes ?? DEFAULT_SSO_VALIDITY_MINUTES } };
});
