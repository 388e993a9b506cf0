// Which auth flows an app client allows (its ExplicitAuthFlows). Refusals use Cognito's wording:
// InvalidParameterException "USER_PASSWORD_AUTH flow not enabled for this client".
//
// Current values start with ALLOW_. The legacy values (ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH,
// CUSTOM_AUTH_FLOW_ONLY) come from before ALLOW_ existed, when SRP, custom auth and refresh were
// always on and the legacy values only added flows (CUSTOM_AUTH_FLOW_ONLY took SRP away). A client
// with no list at all gets Cognito's default: SRP, custom auth and refresh.
import { InvalidParameterException } from '../errors.js';
import type { AppClient } from '../userpools/pools.js';

export type AllowFlow =
  | 'ALLOW_USER_SRP_AUTH'
  | 'ALLOW_USER_PASSWORD_AUTH'
  | 'ALLOW_ADMIN_USER_PASSWORD_AUTH'
  | 'ALLOW_REFRESH_TOKEN_AUTH'
  | 'ALLOW_CUSTOM_AUTH'
  | 'ALLOW_USER_AUTH';

const DEFAULT_FLOWS: AllowFlow[] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const LEGACY: Record<string, AllowFlow> = {
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
};

/** The ALLOW_ flows a client has, its legacy values translated. */
export function enabledFlows(client: AppClient): Set<AllowFlow> {
  const listed = (client.settings.ExplicitAuthFlows ?? []) as string[];
  if (!listed.length) return new Set(DEFAULT_FLOWS);
  const out = new Set(listed.filter((f) => f.startsWith('ALLOW_')) as AllowFlow[]);
  const legacy = listed.filter((f) => !f.startsWith('ALLOW_'));
  if (legacy.length) {
    out.add('ALLOW_REFRESH_TOKEN_AUTH').add('ALLOW_CUSTOM_AUTH');
    if (!legacy.includes('CUSTOM_AUTH_FLOW_ONLY')) out.add('ALLOW_USER_SRP_AUTH');
    for (const f of legacy) if (LEGACY[f]) out.add(LEGACY[f]);
  }
  return out;
}

/** Refuses `authFlow` unless the client allows `needed`. */
export function requireFlowEnabled(client: AppClient, authFlow: string, needed: AllowFlow): void {
  if (!enabledFlows(client).has(needed)) {
    throw new InvalidParameterException(`${authFlow} flow not enabled for this client`);
  }
}
