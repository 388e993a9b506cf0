// AdminGetDevice: one device of a user.
import { getUserDevice, toDeviceType } from '../../auth/devices.js';
import type { AdminGetDeviceRequest, AdminGetDeviceResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { adminDeviceUser } from './admin-device-user.js';

export default defineOperation<AdminGetDeviceRequest, AdminGetDeviceResponse>('idp', 'AdminGetDevice', async (input, { app }) => {
  const { pool, user } = await adminDeviceUser(app, input.UserPoolId, input.Username, { userNotFound: false });
  return { Device: toDeviceType(await getUserDevice(app, pool, user, input.DeviceKey)) };
});
