// The envelope every trigger event shares (shared/spec/triggers.md §2), the flat attribute map
// functions read, and the readers of a returned `response` that refuse a wrong shape with
// InvalidLambdaResponseException "Unrecognizable lambda output".
import { InvalidLambdaResponseException } from '../errors.js';
import { aliasAttributes } from '../userpools/attributes.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { UNRECOGNIZABLE, type TriggerEvent } from './invoke.js';

/** callerContext.clientId of operations that have no app client (AdminCreateUser, ...). */
export const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';

export interface Envelope {
  pool: UserPool;
  triggerSource: string;
  /** Absent for client-credentials token generation (no user). */
  userName?: string;
  clientId?: string;
  /** "1", except pre token generation V2 ("2") and V3 ("3"). */
  version?: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/** The event: version, triggerSource, region, userPoolId, userName, callerContext, request, response. */
export function envelope(e: Envelope): TriggerEvent {
  return {
    version: e.version ?? '1',
    triggerSource: e.triggerSource,
    region: e.pool.id.split('_')[0],
    userPoolId: e.pool.id,
    ...(e.userName !== undefined ? { userName: e.userName } : {}),
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: e.clientId ?? NO_CLIENT },
    request: withoutUndefined(e.request),
    response: e.response,
  };
}

/**
 * `request.userAttributes`: every attribute as a string, `sub`, and with `status` the
 * `cognito:user_status`; `cognito:email_alias` / `cognito:phone_number_alias` when that value is
 * a sign-in alias of the pool (an AliasAttributes pool, verified).
 */
export function userAttributes(pool: UserPool, user: Pick<User, 'id' | 'attributes' | 'status'>, opts: { status?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = { sub: user.id, ...user.attributes };
  if (opts.status !== false) out['cognito:user_status'] = user.status;
  const aliases = new Set<string>(aliasAttributes(pool));
  for (const a of ['email', 'phone_number'] as const) {
    if (aliases.has(a) && user.attributes[a] && user.attributes[`${a}_verified`] === 'true') out[`cognito:${a}_alias`] = user.attributes[a];
  }
  return out;
}

/** `{Name, Value}` pairs (SignUp ValidationData) as the map functions see. */
export function nameValueMap(list: { Name?: string; Value?: string }[] | undefined): Record<string, string> | undefined {
  if (!list?.length) return undefined;
  return Object.fromEntries(list.filter((a) => a.Name).map((a) => [a.Name!, a.Value ?? '']));
}

// ---- reading what came back -------------------------------------------------------------

export const unrecognizable = () => new InvalidLambdaResponseException(UNRECOGNIZABLE);

/** The returned event's `response` object ({} when null/absent). */
export function responseOf(out: Record<string, unknown>): Record<string, unknown> {
  const r = out.response;
  if (r === undefined || r === null) return {};
  if (typeof r !== 'object' || Array.isArray(r)) throw unrecognizable();
  return r as Record<string, unknown>;
}

export function optBool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw unrecognizable();
  return v;
}

export function optString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw unrecognizable();
  return v;
}

export function optStringArray(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw unrecognizable();
  return v as string[];
}

export function optObject(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw unrecognizable();
  return v as Record<string, unknown>;
}

/** A map whose values must be strings (attribute maps, public challenge parameters). */
export function optStringMap(v: unknown): Record<string, string> | undefined {
  const o = optObject(v);
  if (o && Object.values(o).some((x) => typeof x !== 'string')) throw unrecognizable();
  return o as Record<string, string> | undefined;
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
