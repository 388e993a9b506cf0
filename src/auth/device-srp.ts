// DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER (srp.md §6, steps 4-8): a remembered device proves
// its own SRP secret instead of MFA. The arithmetic is the password's (srp-server.ts) with the
// device group key in the place of the pool name and the device key in the place of the user.
//
//   DEVICE_SRP_AUTH challenge: empty parameters (USERNAME, DEVICE_KEY for the reader) and a Session
//   answer DEVICE_SRP_AUTH { USERNAME, DEVICE_KEY, SRP_A }:
//     the Session's device and user; DEVICE_KEY the same     else ResourceNotFoundException "Device does not exist."
//     SRP_A hex and not 0 mod N                              else InvalidParameterException
//     -> DEVICE_PASSWORD_VERIFIER { SRP_B, SALT, SECRET_BLOCK, USERNAME, DEVICE_KEY } and a Session
//        whose state holds A, b, B (sealed with it)
//   answer DEVICE_PASSWORD_VERIFIER { PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE }:
//     SECRET_BLOCK is the one sent; TIMESTAMP ±5 min         NotAuthorized / InvalidParameter
//     the Session used once                                  NotAuthorizedException
//     the claim, constant-time                               NotAuthorizedException "Incorrect username or password."
//     -> tokens bound to the device
import { randomBytes } from 'node:crypto';
import { N, fromHex, parseSrpTimestamp } from '../crypto/srp.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../errors.js';
import type { User } from '../userpools/user.js';
import { INVALID_SESSION, newSession, sealSession } from './challenge-session.js';
import { DEVICE_DOES_NOT_EXIST, finishSignIn, knownDevice, type Device } from './devices.js';
import { openChallenge, type FirstFactor } from './mfa.js';
import { requireParam } from './params.js';
import { serverEphemeral, verifyClaim } from './srp-server.js';
import { INCORRECT_CREDENTIALS } from './user-existence.js';
import type { AuthStep, FlowContext } from './types.js';

const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
const HEX = /^[0-9a-fA-F]{1,1024}$/;

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
  const secretBlock = randomBytes(64).toString('base64');
  const next = newSession(ctx, {
    userId: user.id,
    username: user.username,
    typed: s.typed,
    challenge: 'DEVICE_PASSWORD_VERIFIER',
    deviceKey: device.key,
    state: { A: srpA, b, B, secretBlock },
  });
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
  const state = s.state!;
  if (Buffer.from(block, 'base64').toString('base64') !== state.secretBlock) throw new NotAuthorizedException(INVALID_SESSION);
  const at = parseSrpTimestamp(timestamp);
  if (at === undefined) throw new InvalidParameterException('TIMESTAMP is not in the expected format.');
  if (Math.abs(at - ctx.app.clock.now()) > TIMESTAMP_TOLERANCE_MS) throw new InvalidParameterException('TIMESTAMP is not within 5 minutes of the server time.');
  const device = (await knownDevice(ctx, user, s.deviceKey))!;
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  const claim = { poolName: device.groupKey, userId: device.key, verifier: device.verifier, A: state.A!, b: state.b!, B: state.B!, secretBlock: state.secretBlock!, timestamp };
  if (!(await verifyClaim(ctx.app.auth.modPow, claim, signature))) throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
  return finishSignIn(ctx, user, device);
}
