// DEVICE_KEY in AuthParameters / ChallengeResponses. Remembered devices are not implemented yet
// (issue: devices), so Tessera never hands out a device key and any key a client sends is unknown.
// Both client libraries recognise exactly ResourceNotFoundException "Device does not exist.",
// forget their cached device and retry without it (srp.md §6), so that is the answer.
import { ResourceNotFoundException } from '../errors.js';

export const DEVICE_DOES_NOT_EXIST = 'Device does not exist.';

export function refuseUnknownDevice(params: Record<string, string>): void {
  if (params.DEVICE_KEY) throw new ResourceNotFoundException(DEVICE_DOES_NOT_EXIST);
}
