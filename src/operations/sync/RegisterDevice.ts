import type { RegisterDeviceRequest, RegisterDeviceResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';

export default defineOperation<RegisterDeviceRequest, RegisterDeviceResponse>('sync', 'RegisterDevice', async (input, { app, principal }) => {
  requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
  const deviceId = await app.sync.push.register(input.IdentityPoolId, input.IdentityId, input.Platform, input.Token);
  return { DeviceId: deviceId };
});
