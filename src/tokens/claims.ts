// The claims of user pool ID and access tokens (tokens.md §2, §3), and their lifetimes (§5).
// Pure functions: what goes into a token is decided here, signing happens in tokens.ts.
import type { JWTPayload } from 'jose';
import type { AppClient } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';

/** The scope of every token from an API sign-in (InitiateAuth & co.). */
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** A group as the token needs it (app.groups.groupsOfUser rows). */
export interface GroupRef {
  name: string;
  role_arn?: string | null;
  precedence?: number | null;
}

/** What one sign-in fixes for every token derived from it, plus who and where. */
export interface TokenSession {
  issuer: string;
  client: AppClient;
  user: User;
  /** origin_jti: the sign-in family. */
  familyId: string;
  eventId: string;
  /** Time of the sign-in, epoch ms. */
  authTime: number;
  scopes: string[];
  groups: GroupRef[];
  deviceKey?: string;
  nonce?: string;
}

/** Issue and expiry of one token, epoch seconds, and its jti. */
export interface TokenTimes {
  iat: number;
  exp: number;
  jti: string;
}

const UNIT_SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;
type Unit = keyof typeof UNIT_SECONDS;

/**
 * Lifetimes in seconds from the client's AccessTokenValidity / IdTokenValidity /
 * RefreshTokenValidity and TokenValidityUnits. A value without a unit is in hours (access, ID)
 * or days (refresh); an absent (or 0) value is 60 minutes / 60 minutes / 30 days.
 * Stored settings were range-checked when the client was written; nothing is refused here.
 */
export function tokenLifetimes(client: AppClient): { accessSeconds: number; idSeconds: number; refreshSeconds: number } {
  const s = client.settings;
  const units = s.TokenValidityUnits ?? {};
  const seconds = (value: number | undefined, unit: Unit | undefined, implied: Unit, fallback: number) =>
    value ? value * UNIT_SECONDS[unit ?? implied] : fallback;
  return {
    accessSeconds: seconds(s.AccessTokenValidity, units.AccessToken, 'hours', 3600),
    idSeconds: seconds(s.IdTokenValidity, units.IdToken, 'hours', 3600),
    refreshSeconds: seconds(s.RefreshTokenValidity, units.RefreshToken, 'days', 30 * 86400),
  };
}

/**
 * cognito:groups, cognito:roles and cognito:preferred_role. Groups are ordered by precedence
 * (unset last), then name. The preferred role is the role of the group with the lowest
 * precedence; when several such groups carry different roles there is no single best and it is
 * left out (Cognito's rule).
 */
export function groupClaims(groups: GroupRef[]): { groups?: string[]; roles?: string[]; preferredRole?: string } {
  if (!groups.length) return {};
  const rank = (g: GroupRef) => (g.precedence ?? Number.POSITIVE_INFINITY);
  const sorted = [...groups].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const withRole = sorted.filter((g) => g.role_arn);
  const roles = [...new Set(withRole.map((g) => g.role_arn!))];
  let preferredRole: string | undefined;
  if (withRole.length) {
    const best = rank(withRole[0]);
    const candidates = new Set(withRole.filter((g) => rank(g) === best).map((g) => g.role_arn!));
    if (candidates.size === 1) preferredRole = [...candidates][0];
  }
  return { groups: sorted.map((g) => g.name), roles: roles.length ? roles : undefined, preferredRole };
}

/**
 * User attributes as ID token claims: only those the client may read (ReadAttributes; all when
 * unset), never developer-only ones (`dev:`); `*_verified` as JSON booleans, `updated_at` as a
 * number, `address` as `{ formatted }`, `identities` as the parsed array, everything else (all
 * `custom:*` included) as the stored string.
 */
export function attributeClaims(user: User, client: AppClient): Record<string, unknown> {
  const readable = client.settings.ReadAttributes?.length ? new Set(client.settings.ReadAttributes) : undefined;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name.startsWith('dev:') || (readable && !readable.has(name))) continue;
    out[name] = attributeClaim(name, value);
  }
  return out;
}

function attributeClaim(name: string, value: string): unknown {
  switch (name) {
    case 'email_verified':
    case 'phone_number_verified':
      return value === 'true';
    case 'updated_at': {
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
    case 'address':
      return { formatted: value };
    case 'identities':
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    default:
      return value;
  }
}

/** The ID token payload. Protected claims are written after the attributes, so they always win. */
export function idTokenPayload(s: TokenSession, t: TokenTimes): JWTPayload {
  const g = groupClaims(s.groups);
  return {
    ...attributeClaims(s.user, s.client),
    sub: s.user.id,
    ...(g.groups ? { 'cognito:groups': g.groups } : {}),
    ...(g.roles ? { 'cognito:roles': g.roles } : {}),
    ...(g.preferredRole ? { 'cognito:preferred_role': g.preferredRole } : {}),
    iss: s.issuer,
    'cognito:username': s.user.username,
    ...(s.nonce !== undefined ? { nonce: s.nonce } : {}),
    origin_jti: s.familyId,
    aud: s.client.id,
    event_id: s.eventId,
    token_use: 'id',
    auth_time: Math.floor(s.authTime / 1000),
    exp: t.exp,
    iat: t.iat,
    jti: t.jti,
  };
}

/** The access token payload: no `aud`, `client_id` instead; groups but no roles. */
export function accessTokenPayload(s: TokenSession, t: TokenTimes): JWTPayload {
  const g = groupClaims(s.groups);
  return {
    sub: s.user.id,
    ...(g.groups ? { 'cognito:groups': g.groups } : {}),
    ...(s.deviceKey ? { device_key: s.deviceKey } : {}),
    iss: s.issuer,
    version: 2,
    client_id: s.client.id,
    origin_jti: s.familyId,
    event_id: s.eventId,
    token_use: 'access',
    scope: s.scopes.join(' '),
    auth_time: Math.floor(s.authTime / 1000),
    exp: t.exp,
    iat: t.iat,
    jti: t.jti,
    username: s.user.username,
  };
}
