// ListDevices (AccessToken): the caller's remembered devices, Limit (default 60) a page.
import { listDevices, toDeviceType } from '../../auth/devices.js';
import type { ListDevicesRequest, ListDevicesResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<ListDevicesRequest, ListDevicesResponse>('idp', 'ListDevices', async (input, { app }) => {
  const { user } = await authorizeCaller(app, input.AccessToken);
  const page = await listDevices(app, user, input.Limit, input.PaginationToken);
  return { Devices: page.devices.map(toDeviceType), ...(page.next ? { PaginationToken: page.next } : {}) };
});
