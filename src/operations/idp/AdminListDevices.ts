// AdminListDevices: a user's remembered devices, Limit (default 60) a page.
import { listDevices, toDeviceType } from '../../auth/devices.js';
import type { AdminListDevicesRequest, AdminListDevicesResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { adminDeviceUser } from './admin-device-user.js';

export default defineOperation<AdminListDevicesRequest, AdminListDevicesResponse>('idp', 'AdminListDevices', async (input, { app }) => {
  const { user } = await adminDeviceUser(app, input.UserPoolId, input.Username, { userNotFound: false });
  const page = await listDevices(app, user, input.Limit, input.PaginationToken);
  return { Devices: page.devices.map(toDeviceType), ...(page.next ? { PaginationToken: page.next } : {}) };
});
