// AdminUpdateDeviceStatus: marks a device of a user remembered or not.
import { setDeviceStatus } from '../../auth/devices.js';
import type { AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { adminDeviceUser } from './admin-device-user.js';

export default defineOperation<AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse>('idp', 'AdminUpdateDeviceStatus', async (input, { app }) => {
  const { pool, user } = await adminDeviceUser(app, input.UserPoolId, input.Username, { userNotFound: true });
  await setDeviceStatus(app, pool, user, input.DeviceKey, input.DeviceRememberedStatus);
  return {};
});
