// UpdateDeviceStatus (AccessToken): marks one of the caller's devices remembered or not.
import { setDeviceStatus } from '../../auth/devices.js';
import type { UpdateDeviceStatusRequest, UpdateDeviceStatusResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<UpdateDeviceStatusRequest, UpdateDeviceStatusResponse>('idp', 'UpdateDeviceStatus', async (input, { app }) => {
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  await setDeviceStatus(app, pool, user, input.DeviceKey, input.DeviceRememberedStatus);
  return {};
});
