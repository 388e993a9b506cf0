// GetLogDeliveryConfiguration: the pool's log export as SetLogDeliveryConfiguration left it (none:
// an empty list).
import type { GetLogDeliveryConfigurationRequest, GetLogDeliveryConfigurationResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetLogDeliveryConfigurationRequest, GetLogDeliveryConfigurationResponse>('idp', 'GetLogDeliveryConfiguration', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  return { LogDeliveryConfiguration: { UserPoolId: pool.id, LogConfigurations: pool.settings.LogDeliveryConfiguration ?? [] } };
});
