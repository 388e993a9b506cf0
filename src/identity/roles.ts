// Which role an identity's credentials are for (identity-and-sync.md A.5), as a pure function of
// the pool's roles, its role mappings and the verified logins of the request.
//
//   guest                      -> Roles.unauthenticated
//   authenticated, no mapping  -> Roles.authenticated
//   mapping Type "Token"       -> CustomRoleArn if in cognito:roles, else cognito:preferred_role,
//                                 else AmbiguousRoleResolution
//   mapping Type "Rules"       -> the first rule whose claim matches (CustomRoleArn: a matching
//                                 rule with that role), else AmbiguousRoleResolution
//   AmbiguousRoleResolution    -> AuthenticatedRole: Roles.authenticated; Deny: refused
//   no mapping, roles offered by the provider (SAML's Role attribute)
//                              -> the one offered; of several, CustomRoleArn must name one
import type { JWTPayload } from 'jose';
import type { MappingRule, RoleMapping } from '../models/identity-types.js';
import type { PoolRoles } from './pools.js';

/** What a login contributes to role selection. */
export interface RoleLogin {
  /** Keys its mapping may be stored under (`<provider>:<clientId>` for user pools, or the provider). */
  mappingKeys: string[];
  claims: JWTPayload;
  /** Roles the provider itself offers (SAML). */
  offeredRoles?: string[];
}

export type RoleChoice =
  | { ok: true; roleArn: string }
  | { ok: false; reason: 'no-role' | 'denied' | 'custom-role-not-allowed' | 'choose-role' };

const NO_ROLE = { ok: false, reason: 'no-role' } as const;
const DENIED = { ok: false, reason: 'denied' } as const;
const CUSTOM_NOT_ALLOWED = { ok: false, reason: 'custom-role-not-allowed' } as const;

export function chooseRole(roles: PoolRoles, logins: RoleLogin[], guest: boolean, customRoleArn?: string): RoleChoice {
  if (guest) {
    const arn = roles.Roles.unauthenticated;
    if (!arn) return NO_ROLE;
    return customRoleArn && customRoleArn !== arn ? CUSTOM_NOT_ALLOWED : { ok: true, roleArn: arn };
  }
  const fallback = (): RoleChoice => {
    const arn = roles.Roles.authenticated;
    if (!arn) return NO_ROLE;
    return customRoleArn && customRoleArn !== arn ? CUSTOM_NOT_ALLOWED : { ok: true, roleArn: arn };
  };
  for (const login of logins) {
    const key = login.mappingKeys.find((k) => roles.RoleMappings?.[k]);
    if (!key) continue;
    const mapping = roles.RoleMappings![key];
    const chosen = mapping.Type === 'Token' ? byToken(login.claims, customRoleArn) : byRules(mapping, login.claims, customRoleArn);
    if (chosen) return chosen;
    return mapping.AmbiguousRoleResolution === 'AuthenticatedRole' ? fallback() : DENIED;
  }
  const offered = logins.find((l) => l.offeredRoles?.length)?.offeredRoles;
  if (offered) {
    if (customRoleArn) return offered.includes(customRoleArn) ? { ok: true, roleArn: customRoleArn } : CUSTOM_NOT_ALLOWED;
    return offered.length === 1 ? { ok: true, roleArn: offered[0] } : { ok: false, reason: 'choose-role' };
  }
  return fallback();
}

/** Token mapping: the roles the user pool put into the token. Undefined when ambiguous. */
function byToken(claims: JWTPayload, customRoleArn?: string): RoleChoice | undefined {
  const roles = stringList(claims['cognito:roles']);
  if (customRoleArn) return roles.includes(customRoleArn) ? { ok: true, roleArn: customRoleArn } : CUSTOM_NOT_ALLOWED;
  const preferred = claims['cognito:preferred_role'];
  if (typeof preferred === 'string' && preferred) return { ok: true, roleArn: preferred };
  return undefined;
}

function byRules(mapping: RoleMapping, claims: JWTPayload, customRoleArn?: string): RoleChoice | undefined {
  const matching = (mapping.RulesConfiguration?.Rules ?? []).filter((r) => ruleMatches(r, claims[r.Claim]));
  if (!matching.length) return undefined;
  if (customRoleArn) {
    return matching.some((r) => r.RoleARN === customRoleArn) ? { ok: true, roleArn: customRoleArn } : CUSTOM_NOT_ALLOWED;
  }
  return { ok: true, roleArn: matching[0].RoleARN };
}

/**
 * One rule against one claim. Array claims (cognito:groups) match when an element does; NotEqual
 * matches when no element equals. An absent claim matches nothing, NotEqual included.
 */
export function ruleMatches(rule: MappingRule, claim: unknown): boolean {
  if (claim === undefined || claim === null) return false;
  const values = Array.isArray(claim) ? claim.map(String) : [String(claim)];
  switch (rule.MatchType) {
    case 'Equals':
      return values.includes(rule.Value);
    case 'Contains':
      return Array.isArray(claim) ? values.includes(rule.Value) : values[0].includes(rule.Value);
    case 'StartsWith':
      return values.some((v) => v.startsWith(rule.Value));
    case 'NotEqual':
      return !values.includes(rule.Value);
    default:
      return false;
  }
}

function stringList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v ? [v] : [];
}
