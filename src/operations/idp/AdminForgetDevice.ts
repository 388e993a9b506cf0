// AdminForgetDevice: forgets a device of a user.
import { forgetDevice } from '../../auth/devices.js';
import type { AdminForgetDeviceRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { adminDeviceUser } from './admin-device-user.js';

export default defineOperation<AdminForgetDeviceRequest>('idp', 'AdminForgetDevice', async (input, { app }) => {
  const { pool, user } = await adminDeviceUser(app, input.UserPoolId, input.Username, { userNotFound: true });
  await forgetDevice(app, pool, user, input.DeviceKey);
  return {};
});
