// SetLogDeliveryConfiguration: where the pool's logs go (a full replacement; an empty list stops
// the export). Checked beyond the model by log-delivery.ts; delivered from the next event on.
import { checkLogConfigurations } from '../../log-delivery/log-delivery.js';
import type { SetLogDeliveryConfigurationRequest, SetLogDeliveryConfigurationResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<SetLogDeliveryConfigurationRequest, SetLogDeliveryConfigurationResponse>('idp', 'SetLogDeliveryConfiguration', async (input, { app }) => {
  const configs = checkLogConfigurations(input.LogConfigurations);
  const pool = await app.pools.changeSettings(input.UserPoolId, (s) => ({ ...s, LogDeliveryConfiguration: configs }));
  return { LogDeliveryConfiguration: { UserPoolId: pool.id, LogConfigurations: configs } };
});
