// DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER (srp.md §6, steps 4-8): a remembered device proves
// its own SRP secret instead of MFA. The arithmetic is the password's (srp-server.ts) with the
// device group key in the place of the pool name and the device key in the place of the user.
//
//   DEVICE_SRP_AUTH challenge: empty parameters (USERNAME, DEVICE_KEY for the reader) and a Session
//   answer DEVICE_SRP_AUTH { USERNAME, DEVICE_KEY, SRP_A }:
//     the Session's device and user; DEVICE_KEY the same     else ResourceNotFoundException "Device does not exist."
//     SRP_A hex and not 0 mod N                              else InvalidParameterException
//     -> DEVICE_PASSWORD_VERIFIER { SRP_B, SALT, SECRET_BLOCK, USERNAME, DEVICE_KEY } and a Session;
//        SECRET_BLOCK is A, b, B and the Session's id, sealed (as srp.ts does for passwords)
//   answer DEVICE_PASSWORD_VERIFIER { PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE }:
//     SECRET_BLOCK opens and is this Session's; TIMESTAMP ±5 min   NotAuthorized / InvalidParameter
//     the Session used once                                  NotAuthorizedException
//     the claim, constant-time                               NotAuthorizedException "Incorrect username or password."
//     -> tokens bound to the device
import { N, fromHex, parseSrpTimestamp } from '../crypto/srp.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../errors.js';
import type { User } from '../userpools/user.js';
import { INVALID_SESSION, newSession, sealSession } from './challenge-session.js';
import { DEVICE_DOES_NOT_EXIST, finishSignIn, knownDevice, standsInForMfa, type Device } from './devices.js';
import { openChallenge, type FirstFactor } from './mfa.js';
import { requireParam } from './params.js';
import { serverEphemeral, verifyClaim } from './srp-server.js';
import { INCORRECT_CREDENTIALS } from './user-existence.js';
import type { AuthStep, FlowContext } from './types.js';

const BLOCK_PURPOSE = 'auth-device-secret-block';
const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
const HEX = /^[0-9a-fA-F]{1,1024}$/;

/** The server's half of the exchange, carried sealed in SECRET_BLOCK (too big for a Session). */
interface DeviceSrpState {
  jti: string;
  A: string;
  b: string;
  B: string;
}

function sealBlock(ctx: FlowContext, state: DeviceSrpState): string {
  return Buffer.from(ctx.app.sealer.sealJson(BLOCK_PURPOSE, state).slice('v1.'.length), 'base64url').toString('base64');
}

function openBlock(ctx: FlowContext, block: string): DeviceSrpState | undefined {
  return ctx.app.sealer.openJson<DeviceSrpState>(BLOCK_PURPOSE, 'v1.' + Buffer.from(block, 'base64').toString('base64url'));
}

/** The DEVICE_SRP_AUTH challenge for a remembered device. */
export function deviceSrpChallenge(ctx: FlowContext, user: User, by: FirstFactor, device: Device): AuthStep {
  const session = newSession(ctx, { userId: user.id, username: user.username, typed: by.typed, challenge: 'DEVICE_SRP_AUTH', deviceKey: device.key });
  return {
    kind: 'challenge',
    name: 'DEVICE_SRP_AUTH',
    session: sealSession(ctx, session),
    parameters: { USERNAME: user.username, DEVICE_KEY: device.key },
  };
}

/** RespondToAuthChallenge DEVICE_SRP_AUTH: B from the device's verifier. */
export async function answerDeviceSrpAuth(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'DEVICE_SRP_AUTH', responses, sealed);
  const srpA = requireParam(responses, 'SRP_A');
  if (responses.DEVICE_KEY && responses.DEVICE_KEY !== s.deviceKey) throw new ResourceNotFoundException(DEVICE_DOES_NOT_EXIST);
  const device = (await knownDevice(ctx, user, s.deviceKey))!;
  if (!HEX.test(srpA) || fromHex(srpA) % N === 0n) throw new InvalidParameterException('Invalid SRP_A.');
  const { b, B } = await serverEphemeral(ctx.app.auth.modPow, device.verifier);
  const next = newSession(ctx, { userId: user.id, username: user.username, typed: s.typed, challenge: 'DEVICE_PASSWORD_VERIFIER', deviceKey: device.key });
  const secretBlock = sealBlock(ctx, { jti: next.jti, A: srpA, b, B });
  return {
    kind: 'challenge',
    name: 'DEVICE_PASSWORD_VERIFIER',
    session: sealSession(ctx, next),
    parameters: { SRP_B: B, SALT: device.salt, SECRET_BLOCK: secretBlock, USERNAME: user.username, DEVICE_KEY: device.key },
  };
}

/** RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER: the device's claim, then tokens. */
export async function answerDevicePasswordVerifier(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'DEVICE_PASSWORD_VERIFIER', responses, sealed);
  const block = requireParam(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requireParam(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requireParam(responses, 'TIMESTAMP');
  const state = openBlock(ctx, block);
  if (!state || state.jti !== s.jti) throw new NotAuthorizedException(INVALID_SESSION);
  const at = parseSrpTimestamp(timestamp);
  if (at === undefined) throw new InvalidParameterException('TIMESTAMP is not in the expected format.');
  if (Math.abs(at - ctx.app.clock.now()) > TIMESTAMP_TOLERANCE_MS) throw new InvalidParameterException('TIMESTAMP is not within 5 minutes of the server time.');
  const device = (await knownDevice(ctx, user, s.deviceKey))!;
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  const claim = { poolName: device.groupKey, userId: device.key, verifier: device.verifier, A: state.A, b: state.b, B: state.B, secretBlock: block, timestamp };
  if (!(await verifyClaim(ctx.app.auth.modPow, claim, signature))) throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
  // The device stood in for MFA when the challenge was issued; if it no longer does (marked not
  // remembered, or the pool's device settings changed meanwhile) this sign-in ends here: client
  // libraries expect tokens after a device's proof, and the next sign-in asks for the second factor.
  if (!standsInForMfa(ctx.pool, device)) throw new NotAuthorizedException('The device is no longer remembered; sign in again.');
  return finishSignIn(ctx, user, device, { byDevice: true });
}
