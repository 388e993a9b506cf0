// DEVICE_KEY in AuthParameters / ChallengeResponses (pipeline step 5 of flows.ts): a key this pool
// does not know (never confirmed, or forgotten) is refused before anything else. Both client
// libraries recognise exactly ResourceNotFoundException "Device does not exist.", forget their
// cached device and retry without it (srp.md §6), so that is the answer. Whether the device is
// the signing-in user's own is checked once the user is known (devices.ts knownDevice).
import { ResourceNotFoundException } from '../errors.js';
import { DEVICE_DOES_NOT_EXIST, findDevice } from './devices.js';
import type { FlowContext } from './types.js';

export { DEVICE_DOES_NOT_EXIST };

/**
 * `flow`: the InitiateAuth of an SRP sign-in (USER_SRP_AUTH, or CUSTOM_AUTH with SRP_A first) lets
 * an unknown key through; its PASSWORD_VERIFIER answer (which carries the key again) is refused
 * instead, because that is where amazon-cognito-identity-js catches the error and retries without
 * the key (Amplify retries the whole sign-in either way).
 */
export async function refuseUnknownDevice(ctx: FlowContext, params: Record<string, string>, flow?: string): Promise<void> {
  if (flow === 'USER_SRP_AUTH' || (flow === 'CUSTOM_AUTH' && params.CHALLENGE_NAME === 'SRP_A')) return;
  const key = params.DEVICE_KEY;
  if (key && !(await findDevice(ctx.app, ctx.pool, key))) throw new ResourceNotFoundException(DEVICE_DOES_NOT_EXIST);
}
