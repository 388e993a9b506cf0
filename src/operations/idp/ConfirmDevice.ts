// ConfirmDevice (AccessToken): remembers the device a sign-in was given (NewDeviceMetadata) with
// the SRP verifier the client made for it (srp.md §6; src/auth/devices.ts). The DeviceKey must be
// the one the access token was issued with.
import { decodeJwt } from 'jose';
import { confirmDevice } from '../../auth/devices.js';
import type { ConfirmDeviceRequest, ConfirmDeviceResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<ConfirmDeviceRequest, ConfirmDeviceResponse>('idp', 'ConfirmDevice', async (input, { app }) => {
  const { pool, user } = await authorizeCaller(app, input.AccessToken);
  // Verified just above; read here only for its device_key claim.
  const tokenDevice = decodeJwt(input.AccessToken).device_key;
  const necessary = await confirmDevice(app, pool, user, typeof tokenDevice === 'string' ? tokenDevice : undefined, input);
  return { UserConfirmationNecessary: necessary };
});
