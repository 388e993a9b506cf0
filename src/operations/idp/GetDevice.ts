// GetDevice (AccessToken): one of the caller's devices.
import { getUserDevice, toDeviceType } from '../../auth/devices.js';
import { NotAuthorizedException } from '../../errors.js';
import type { GetDeviceRequest, GetDeviceResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<GetDeviceRequest, GetDeviceResponse>('idp', 'GetDevice', async (input, { app }) => {
  if (!input.AccessToken) throw new NotAuthorizedException('Missing Access Token');
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  return { Device: toDeviceType(await getUserDevice(app, pool, user, input.DeviceKey)) };
});
