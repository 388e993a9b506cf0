// PreTokenGeneration (shared/spec/triggers.md §3, tokens.md §6): the function sees the claims'
// sources and may change the tokens just before they are signed, on every path that issues them.
//   sources   TokenGeneration_Authentication, _NewPasswordChallenge, _RefreshTokens, _HostedAuth,
//             _AuthenticateDevice; V3 also _ClientCredentials (no user: no userName, empty
//             userAttributes, no ID token)
//   V1 "1"    request { userAttributes, groupConfiguration, clientMetadata }
//             response.claimsOverrideDetails { claimsToAddOrOverride (strings), claimsToSuppress,
//             groupOverrideDetails }: claims apply to the ID token only
//   V2/V3     request adds scopes; response.claimsAndScopeOverrideDetails { idTokenGeneration,
//             accessTokenGeneration { ..., scopesToAdd, scopesToSuppress }, groupOverrideDetails };
//             claim values may be any JSON
// groupOverrideDetails, when present, replaces cognito:groups (both tokens), cognito:roles and
// cognito:preferred_role (ID token); present but empty removes them. Suppression wins over
// addition. Protected claims are never changed: such changes are dropped and logged.
import type { JWTPayload } from 'jose';
import type { Logger } from 'pino';
import { groupClaims, type TokenSession } from '../tokens/claims.js';
import type { UserPool } from '../userpools/pools.js';
import { envelope, optObject, optString, optStringArray, responseOf, unrecognizable, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';
import { triggerTarget } from './target.js';

const PROTECTED = new Set(['acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'cognito:username', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf', 'nonce', 'origin_jti', 'sub', 'token_use']);
const ACCESS_PROTECTED = new Set([...PROTECTED, 'client_id', 'scope', 'username', 'version', 'device_key', 'event_id']);

export interface TokenClaimsInput {
  pool: UserPool;
  /** Undefined for client credentials. */
  session?: TokenSession;
  clientId: string;
  /** `TokenGeneration_<source>`. */
  source: string;
  clientMetadata?: Record<string, string>;
  /** false: a sign-in without PostAuthentication (a federated user's first). */
  postAuthentication?: false;
  /** PostAuthentication's newDeviceUsed. */
  newDeviceUsed?: true;
  scopes: string[];
  id?: JWTPayload;
  access: JWTPayload;
}

export interface TokenClaims {
  id?: JWTPayload;
  access: JWTPayload;
}

type Claims = Record<string, unknown>;

export async function customizeTokenClaims(runner: TriggerRunner, log: Logger, a: TokenClaimsInput): Promise<TokenClaims> {
  const target = triggerTarget(a.pool, 'PreTokenGeneration');
  if (!target) return { id: a.id, access: a.access };
  const version = target.version === 'V3_0' ? '3' : target.version === 'V2_0' ? '2' : '1';
  if (!a.session && version !== '3') return { id: a.id, access: a.access };
  const g = groupClaims(a.session?.groups ?? []);
  const event = envelope({
    pool: a.pool,
    triggerSource: a.source,
    userName: a.session?.user.username,
    clientId: a.clientId,
    version,
    request: {
      userAttributes: a.session ? userAttributes(a.pool, a.session.user) : {},
      groupConfiguration: { groupsToOverride: g.groups ?? [], iamRolesToOverride: g.roles ?? [], preferredRole: g.preferredRole ?? null },
      ...(version !== '1' ? { scopes: a.scopes } : {}),
      clientMetadata: a.clientMetadata,
    },
    response: version === '1' ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  });
  const r = responseOf(await runner.invoke(a.pool, 'PreTokenGeneration', event));
  const id = a.id ? { ...a.id } : undefined;
  const access = { ...a.access };
  const warn = (claim: string) => log.warn({ poolId: a.pool.id, claim }, 'PreTokenGeneration may not change a protected claim; ignored');
  if (version === '1') {
    const d = optObject(r.claimsOverrideDetails);
    if (!d) return { id, access };
    if (id) changeClaims(id, d, PROTECTED, warn, true);
    overrideGroups(d, id, access);
    return { id, access };
  }
  const d = optObject(r.claimsAndScopeOverrideDetails);
  if (!d) return { id, access };
  const idGen = optObject(d.idTokenGeneration);
  const accessGen = optObject(d.accessTokenGeneration);
  if (id && idGen) changeClaims(id, idGen, PROTECTED, warn, false);
  if (accessGen) {
    changeClaims(access, accessGen, ACCESS_PROTECTED, warn, false);
    changeScopes(access, accessGen);
  }
  overrideGroups(d, id, access);
  return { id, access };
}

/** claimsToAddOrOverride then claimsToSuppress (so suppression wins), protected claims skipped. */
function changeClaims(claims: Claims, d: Claims, protectedClaims: Set<string>, warn: (c: string) => void, stringsOnly: boolean): void {
  const add = optObject(d.claimsToAddOrOverride) ?? {};
  for (const [name, value] of Object.entries(add)) {
    if (stringsOnly && typeof value !== 'string') throw unrecognizable();
    if (protectedClaims.has(name)) warn(name);
    else if (value !== undefined) claims[name] = value;
  }
  for (const name of optStringArray(d.claimsToSuppress) ?? []) {
    if (protectedClaims.has(name)) warn(name);
    else delete claims[name];
  }
}

/** scopesToAdd then scopesToSuppress on the access token's space-separated `scope`. */
function changeScopes(access: Claims, d: Claims): void {
  const add = optStringArray(d.scopesToAdd) ?? [];
  const suppress = new Set(optStringArray(d.scopesToSuppress) ?? []);
  if (!add.length && !suppress.size) return;
  const scopes = String(access.scope ?? '').split(' ').filter(Boolean);
  for (const s of add) if (!scopes.includes(s)) scopes.push(s);
  access.scope = scopes.filter((s) => !suppress.has(s)).join(' ');
}

/** groupOverrideDetails, when the member is present (see the file comment). */
function overrideGroups(d: Claims, id: Claims | undefined, access: Claims): void {
  if (!('groupOverrideDetails' in d)) return;
  const g = optObject(d.groupOverrideDetails) ?? {};
  const groups = optStringArray(g.groupsToOverride);
  const roles = optStringArray(g.iamRolesToOverride);
  const preferred = optString(g.preferredRole);
  const put = (claims: Claims | undefined, name: string, value: unknown) => {
    if (!claims) return;
    if (value === undefined || (Array.isArray(value) && !value.length)) delete claims[name];
    else claims[name] = value;
  };
  put(id, 'cognito:groups', groups);
  put(access, 'cognito:groups', groups);
  put(id, 'cognito:roles', roles);
  put(id, 'cognito:preferred_role', preferred);
}
