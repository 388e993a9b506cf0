// ForgetDevice (AccessToken): forgets one of the caller's devices; its key is unknown from then on.
import { forgetDevice } from '../../auth/devices.js';
import { NotAuthorizedException } from '../../errors.js';
import type { ForgetDeviceRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<ForgetDeviceRequest>('idp', 'ForgetDevice', async (input, { app }) => {
  if (!input.AccessToken) throw new NotAuthorizedException('Missing Access Token');
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  await forgetDevice(app, pool, user, input.DeviceKey);
  return {};
});
