// Remembered devices (srp.md §6): a device is a second SRP secret the client keeps, which can
// stand in for MFA on later sign-ins.
//
// - Tracking is on when the pool has a DeviceConfiguration. A sign-in that ends without a known
//   DEVICE_KEY then gets NewDeviceMetadata { DeviceKey `<region>_<uuid>`, DeviceGroupKey } and
//   its access token carries that key as `device_key`. Nothing is written yet: ConfirmDevice,
//   with that access token, stores the device (the key must be the token's own).
// - ConfirmDevice keeps the device's salt and verifier (sent as base64 bytes, kept as hex, sealed)
//   and its name; it is remembered at once unless DeviceOnlyRememberedOnUserPrompt, when the
//   answer is UserConfirmationNecessary and UpdateDeviceStatus 'remembered' must follow.
// - A DEVICE_KEY this pool does not know, or another user's, is ResourceNotFoundException
//   "Device does not exist." exactly: both client libraries forget their device on it and retry.
// - A remembered device stands in for MFA when the pool's ChallengeRequiredOnNewDevice is true
//   (Cognito: "a remembered device can sign in with device authentication instead of SMS and
//   TOTP"): DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER (device-srp.ts).
import { createHash } from 'node:crypto';
import type { App } from '../app.js';
import { N, fromHex, padHex } from '../crypto/srp.js';
import { DeviceKeyExistsException, InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import { newUuid } from '../ids.js';
import type { ConfirmDeviceRequest, DeviceType } from '../models/idp-types.js';
import { UniqueViolation } from '../store/connect.js';
import type { DeviceRow } from '../store/schema.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import type { AuthStep, FlowContext } from './types.js';

export const DEVICE_DOES_NOT_EXIST = 'Device does not exist.';
const VERIFIER_PURPOSE = 'device-verifier';
const DEFAULT_PAGE = 60;

export interface Device {
  key: string;
  poolId: string;
  userId: string;
  groupKey: string;
  name?: string;
  remembered: boolean;
  /** hex, as SRP hashes it (padHex of the bytes the client sent). */
  salt: string;
  verifier: string;
  createdAt: number;
  updatedAt: number;
  lastAuthenticatedAt?: number;
  lastIp?: string;
}

export const isTracking = (pool: UserPool): boolean => !!pool.settings.DeviceConfiguration;

/** Whether a remembered `device` replaces MFA in this pool. */
export function standsInForMfa(pool: UserPool, device: Device): boolean {
  return device.remembered && pool.settings.DeviceConfiguration?.ChallengeRequiredOnNewDevice === true;
}

/** The user's device group: one per user, derived from the sub (it is public, like a pool name). */
export function groupKeyOf(user: User): string {
  return '-' + createHash('sha256').update(`device-group\u0000${user.id}`).digest('base64url').slice(0, 9);
}

/** The device `key` of this pool, or undefined. */
export async function findDevice(app: App, pool: UserPool, key: string): Promise<Device | undefined> {
  const row = await app.store.devices.get(key);
  return row && row.pool_id === pool.id ? toDevice(app, row) : undefined;
}

/** The user's device named by `key` (none named: undefined), or ResourceNotFoundException. */
export async function knownDevice(ctx: FlowContext, user: User, key: string | undefined): Promise<Device | undefined> {
  if (!key) return undefined;
  const device = await findDevice(ctx.app, ctx.pool, key);
  if (!device || device.userId !== user.id) throw new ResourceNotFoundException(DEVICE_DOES_NOT_EXIST);
  return device;
}

/**
 * The end of every sign-in: tokens bound to the known device, or with a new device's metadata
 * when the pool tracks devices (for the hosted UI: the proven user).
 */
export async function finishSignIn(ctx: FlowContext, user: User, device: Device | undefined, opts: { byDevice?: boolean } = {}): Promise<AuthStep> {
  // The hosted UI's sign-in is proven here; its tokens come from the authorization code.
  if (ctx.hosted) return { kind: 'proven', user };
  // RespondToAuthChallenge's ClientMetadata goes on to PostAuthentication and PreTokenGeneration;
  // a device's own SRP proof is PreTokenGeneration's TokenGeneration_AuthenticateDevice (srp.md §6).
  const source = opts.byDevice ? 'TokenGeneration_AuthenticateDevice' : (ctx.tokenSource ?? 'TokenGeneration_Authentication');
  const trigger = { source, clientMetadata: ctx.clientMetadata };
  const groups = ctx.groupsOf?.userId === user.id ? ctx.groupsOf.groups : undefined;
  const base = { pool: ctx.pool, client: ctx.client, user, trigger, groups, context: { ip: ctx.sourceIp, userAgent: ctx.userAgent } };
  if (device) {
    await ctx.app.store.devices.update(device.key, { last_authenticated_at: ctx.app.clock.now(), last_ip: ctx.sourceIp });
    return { kind: 'tokens', result: await ctx.app.tokens.issueForSignIn({ ...base, deviceKey: device.key }) };
  }
  if (!isTracking(ctx.pool)) return { kind: 'tokens', result: await ctx.app.tokens.issueForSignIn(base) };
  const DeviceKey = `${ctx.pool.id.split('_')[0]}_${newUuid()}`;
  const result = await ctx.app.tokens.issueForSignIn({ ...base, deviceKey: DeviceKey, trigger: { ...trigger, newDeviceUsed: true } });
  return { kind: 'tokens', result: { ...result, NewDeviceMetadata: { DeviceKey, DeviceGroupKey: groupKeyOf(user) } } };
}

/**
 * ConfirmDevice for the device key the access token was issued with. Returns
 * UserConfirmationNecessary.
 */
export async function confirmDevice(app: App, pool: UserPool, user: User, tokenDeviceKey: string | undefined, input: ConfirmDeviceRequest): Promise<boolean> {
  if (!tokenDeviceKey || tokenDeviceKey !== input.DeviceKey) throw new ResourceNotFoundException(DEVICE_DOES_NOT_EXIST);
  const config = input.DeviceSecretVerifierConfig;
  if (!config?.PasswordVerifier || !config.Salt) {
    throw new InvalidParameterException('DeviceSecretVerifierConfig with PasswordVerifier and Salt is required.');
  }
  const verifier = hexOfBase64(config.PasswordVerifier);
  const salt = hexOfBase64(config.Salt);
  if (!verifier || !salt || fromHex(verifier) % N === 0n) throw new InvalidParameterException('Invalid DeviceSecretVerifierConfig.');
  const onPrompt = pool.settings.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
  const now = app.clock.now();
  try {
    await app.store.devices.insert({
      key: input.DeviceKey,
      pool_id: pool.id,
      user_id: user.id,
      group_key: groupKeyOf(user),
      name: input.DeviceName ?? null,
      remembered: onPrompt ? 0 : 1,
      verifier: app.sealer.sealJson(VERIFIER_PURPOSE, { salt, verifier }),
      created_at: now,
      updated_at: now,
      last_authenticated_at: now,
      last_ip: null,
    });
  } catch (e) {
    if (e instanceof UniqueViolation) throw new DeviceKeyExistsException('Device key already exists.');
    throw e;
  }
  return onPrompt;
}

/** The user's device `key`, or ResourceNotFoundException. */
export async function getUserDevice(app: App, pool: UserPool, user: User, key: string): Promise<Device> {
  const device = await findDevice(app, pool, key);
  if (!device || device.userId !== user.id) throw new ResourceNotFoundException(DEVICE_DOES_NOT_EXIST);
  return device;
}

export async function setDeviceStatus(app: App, pool: UserPool, user: User, key: string, status: string | undefined): Promise<void> {
  if (status !== 'remembered' && status !== 'not_remembered') throw new InvalidParameterException('DeviceRememberedStatus must be remembered or not_remembered.');
  await getUserDevice(app, pool, user, key);
  await app.store.devices.update(key, { remembered: status === 'remembered' ? 1 : 0, updated_at: app.clock.now() });
}

export async function forgetDevice(app: App, pool: UserPool, user: User, key: string): Promise<void> {
  await getUserDevice(app, pool, user, key);
  // The sign-ins made on the device end with it: their refresh (and access) tokens are revoked.
  await app.store.transaction(async (tx) => {
    if (!(await tx.devices.delete(key))) throw new ResourceNotFoundException(DEVICE_DOES_NOT_EXIST);
    await tx.tokens.revokeDevice(pool.id, user.id, key, app.clock.now());
  });
}

/** ListDevices / AdminListDevices: the user's devices in key order, `limit` (default 60) a page. */
export async function listDevices(app: App, user: User, limit: number | undefined, token: string | undefined): Promise<{ devices: Device[]; next?: string }> {
  const size = limit || DEFAULT_PAGE;
  const scope = `ListDevices|${user.id}`;
  const after = decodePageToken<string>(app.sealer, scope, token);
  const rows = await app.store.devices.list(user.id, size + 1, after);
  const devices = rows.slice(0, size).map((r) => toDevice(app, r));
  return { devices, next: rows.length > size ? encodePageToken(app.sealer, scope, devices[devices.length - 1]!.key) : undefined };
}

/** DeviceType as GetDevice / ListDevices return it. */
export function toDeviceType(d: Device): DeviceType {
  const attrs: [string, string | undefined][] = [
    ['device_status', 'valid'],
    ['device_name', d.name],
    ['dev:device_remembered_status', d.remembered ? 'remembered' : 'not_remembered'],
    ['last_ip_used', d.lastIp],
  ];
  return {
    DeviceKey: d.key,
    DeviceAttributes: attrs.filter((a): a is [string, string] => a[1] !== undefined).map(([Name, Value]) => ({ Name, Value })),
    DeviceCreateDate: d.createdAt / 1000,
    DeviceLastModifiedDate: d.updatedAt / 1000,
    ...(d.lastAuthenticatedAt ? { DeviceLastAuthenticatedDate: d.lastAuthenticatedAt / 1000 } : {}),
  };
}

/** padHex of base64 bytes (what SRP hashes), or undefined for nothing or not base64. */
function hexOfBase64(b64: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  if (!bytes.length || bytes.length > 512) return undefined;
  return padHex(fromHex(bytes.toString('hex')));
}

function toDevice(app: App, row: DeviceRow): Device {
  const secret = app.sealer.openJson<{ salt: string; verifier: string }>(VERIFIER_PURPOSE, row.verifier);
  if (!secret) throw new Error(`the verifier of device ${row.key} cannot be opened with this master key`);
  return {
    key: row.key,
    poolId: row.pool_id,
    userId: row.user_id,
    groupKey: row.group_key,
    name: row.name ?? undefined,
    remembered: row.remembered === 1,
    salt: secret.salt,
    verifier: secret.verifier,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastAuthenticatedAt: row.last_authenticated_at ?? undefined,
    lastIp: row.last_ip ?? undefined,
  };
}
