// PreventUserExistenceErrors. With ENABLED on the app client, a sign-in must not tell an unknown
// username from a wrong password: the same error, and about the same time and shape on the wire.
//
// Two parts:
// - hideUserExistence: the named remap step every auth operation ends with; UserNotFoundException
//   becomes NotAuthorizedException "Incorrect username or password." With LEGACY it passes.
// - standIn: what an unknown username looks like, so the flows can do a real user's work on it.
//   Salt, verifier and (in pools where e-mail/phone are username attributes) the UUID-shaped
//   USER_ID_FOR_SRP are derived with HMAC under a server key from the pool and the name, so that
//   repeated tries see the same salt, as they would for a real user. B is computed from the
//   stand-in verifier with a fresh b each time, exactly as for a real user (a B that stayed the
//   same across tries would itself give the unknown name away).
import { createHmac } from 'node:crypto';
import { N, fromHex, padHex } from '../crypto/srp.js';
import { CognitoException, NotAuthorizedException, UserNotFoundException } from '../errors.js';
import { normalizeUsername } from '../userpools/indexes.js';
import type { AppClient } from '../userpools/pools.js';
import type { FlowContext } from './types.js';

export const INCORRECT_CREDENTIALS = 'Incorrect username or password.';
export const USER_DOES_NOT_EXIST = 'User does not exist.';

export function hidesUserExistence(client: AppClient): boolean {
  return client.settings.PreventUserExistenceErrors === 'ENABLED';
}

/** The remap step: returns the error the client may see. */
export function hideUserExistence(client: AppClient, e: unknown): unknown {
  if (e instanceof UserNotFoundException && hidesUserExistence(client)) return new NotAuthorizedException(INCORRECT_CREDENTIALS);
  return e;
}

/** The error for a name that designates no user: UserNotFoundException, or hidden. */
export function unknownUser(client: AppClient): CognitoException {
  return hideUserExistence(client, new UserNotFoundException(USER_DOES_NOT_EXIST)) as CognitoException;
}

export interface StandIn {
  /** USER_ID_FOR_SRP to answer with. */
  username: string;
  /** padHex of 16 bytes, like a real salt. */
  salt: string;
  /** padHex of a 3072-bit value below N, like a real verifier. */
  verifier: string;
}

/**
 * The stand-in for `typed` in this pool (deterministic under the server's key).
 * @example const ghost = await standIn(ctx, 'nobody@example.com')
 */
export async function standIn(ctx: FlowContext, typed: string): Promise<StandIn> {
  const key = await ctx.app.auth.standInKey();
  const norm = normalizeUsername(ctx.pool, typed);
  const mac = (label: string) => createHmac('sha256', key).update(`${label}\u0000${ctx.pool.id}\u0000${norm}`, 'utf8').digest();
  const salt = padHex(fromHex(mac('salt').subarray(0, 16).toString('hex')) || 1n);
  const wide = Buffer.concat(Array.from({ length: 12 }, (_, i) => mac(`verifier${i}`)));
  const verifier = padHex(fromHex(wide.toString('hex')) % N || 2n);
  const usesUuid = (ctx.pool.settings.UsernameAttributes ?? []).length > 0;
  return { username: usesUuid ? uuidShaped(mac('id')) : typed, salt, verifier };
}

/** A version-4-shaped UUID from 16 bytes. */
function uuidShaped(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
