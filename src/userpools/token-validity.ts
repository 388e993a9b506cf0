// Token lifetimes of an app client. Each lifetime is a number in a unit (TokenValidityUnits); the
// ranges Cognito enforces are on the duration they make:
//   access and ID tokens  5 minutes .. 1 day       (default 60 minutes)
//   refresh tokens        60 minutes .. 10 years   (default 30 days; 0 means the default)
// and a refresh token must outlive the access and ID tokens it renews.
// A number given without its unit is in hours (access, ID) or days (refresh), as in Cognito.
import { InvalidParameterException } from '../errors.js';
import type { CreateUserPoolClientRequest, TokenValidityUnitsType } from '../models/idp-types.js';

type Unit = 'seconds' | 'minutes' | 'hours' | 'days';
type Kind = 'AccessToken' | 'IdToken' | 'RefreshToken';

const UNIT_SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
const MINUTE = 60;
const DAY = 86400;

interface Rule {
  member: 'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity';
  minSeconds: number;
  maxSeconds: number;
  range: string;
  /** The default, as stored when the request leaves the value out. */
  defaultValue: number;
  defaultUnit: Unit;
  /** The unit of a value given without one. */
  impliedUnit: Unit;
}

const RULES: Record<Kind, Rule> = {
  AccessToken: { member: 'AccessTokenValidity', minSeconds: 5 * MINUTE, maxSeconds: DAY, range: '5 minutes and 1 day', defaultValue: 60, defaultUnit: 'minutes', impliedUnit: 'hours' },
  IdToken: { member: 'IdTokenValidity', minSeconds: 5 * MINUTE, maxSeconds: DAY, range: '5 minutes and 1 day', defaultValue: 60, defaultUnit: 'minutes', impliedUnit: 'hours' },
  RefreshToken: { member: 'RefreshTokenValidity', minSeconds: 60 * MINUTE, maxSeconds: 3650 * DAY, range: '60 minutes and 10 years', defaultValue: 30, defaultUnit: 'days', impliedUnit: 'days' },
};

export interface TokenValidity {
  AccessTokenValidity: number;
  IdTokenValidity: number;
  RefreshTokenValidity: number;
  TokenValidityUnits: Required<TokenValidityUnitsType>;
}

type ValidityInput = Pick<CreateUserPoolClientRequest, 'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity' | 'TokenValidityUnits'>;

/** The three lifetimes with their units, defaults filled in; InvalidParameterException when out of range. */
export function checkTokenValidity(input: ValidityInput): TokenValidity {
  const units = input.TokenValidityUnits ?? {};
  const access = resolve('AccessToken', input.AccessTokenValidity, units.AccessToken);
  const id = resolve('IdToken', input.IdTokenValidity, units.IdToken);
  const refresh = resolve('RefreshToken', input.RefreshTokenValidity || undefined, units.RefreshToken);
  for (const [other, member] of [[access, 'AccessTokenValidity'], [id, 'IdTokenValidity']] as const) {
    if (refresh.seconds <= other.seconds) {
      throw new InvalidParameterException(`RefreshTokenValidity must be longer than ${member}.`);
    }
  }
  return {
    AccessTokenValidity: access.value,
    IdTokenValidity: id.value,
    RefreshTokenValidity: refresh.value,
    TokenValidityUnits: { AccessToken: access.unit, IdToken: id.unit, RefreshToken: refresh.unit },
  };
}

/** Lifetimes in seconds of a client's stored settings (for whoever issues tokens). */
export function tokenLifetimesSeconds(v: Partial<TokenValidity>): { access: number; id: number; refresh: number } {
  const seconds = (kind: Kind, value: number | undefined) =>
    resolve(kind, value || undefined, v.TokenValidityUnits?.[kind]).seconds;
  return {
    access: seconds('AccessToken', v.AccessTokenValidity),
    id: seconds('IdToken', v.IdTokenValidity),
    refresh: seconds('RefreshToken', v.RefreshTokenValidity),
  };
}

function resolve(kind: Kind, value: number | undefined, unit: Unit | undefined): { value: number; unit: Unit; seconds: number } {
  const rule = RULES[kind];
  if (value === undefined) {
    // The default duration, kept in the caller's unit when it divides evenly.
    const defaultSeconds = rule.defaultValue * UNIT_SECONDS[rule.defaultUnit];
    if (unit && defaultSeconds % UNIT_SECONDS[unit] === 0) {
      return { value: defaultSeconds / UNIT_SECONDS[unit], unit, seconds: defaultSeconds };
    }
    return { value: rule.defaultValue, unit: rule.defaultUnit, seconds: defaultSeconds };
  }
  const u = unit ?? rule.impliedUnit;
  const seconds = value * UNIT_SECONDS[u];
  if (seconds < rule.minSeconds || seconds > rule.maxSeconds) {
    throw new InvalidParameterException(`${rule.member} must be between ${rule.range}; ${value} ${u} is not.`);
  }
  return { value, unit: u, seconds };
}
