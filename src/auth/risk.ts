// Threat protection (SetRiskConfiguration, DescribeRiskConfiguration), as far as Tessera goes: the
// settings are kept per pool and per app client (a client's own replace the pool's), and the
// IP-address exceptions act. With UserPoolAddOns.AdvancedSecurityMode ENFORCED, a sign-in from an
// address in BlockedIPRangeList is refused with Cognito's message, unless the address is also in
// SkippedIPRangeList; in AUDIT mode it goes through and the server log says it would have been
// blocked. Risk scoring, compromised-credentials detection and account-takeover notifications
// are not done: their settings are stored and returned as given.
import { BlockList, isIP } from 'node:net';
import { InvalidParameterException, NotAuthorizedException, UserPoolAddOnNotEnabledException } from '../errors.js';
import type { RiskConfigurationType, SetRiskConfigurationRequest } from '../models/idp-types.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../clock.js';
import type { UserPool, UserPools } from '../userpools/pools.js';
import type { FlowContext } from './types.js';

type Settings = Omit<SetRiskConfigurationRequest, 'UserPoolId' | 'ClientId'>;

/** Cognito's answer to a sign-in its threat protection blocks. */
export const BLOCKED_MESSAGE = 'Unable to login because of security reasons.';
const CACHE_MS = 2000;

const modeOf = (pool: UserPool) => pool.settings.UserPoolAddOns?.AdvancedSecurityMode ?? 'OFF';

export class RiskConfigurations {
  private readonly cache = new Map<string, { at: number; ranges?: { blocked: BlockList; skipped: BlockList } }>();

  constructor(private readonly deps: { store: Store; clock: Clock; pools: UserPools }) {}

  /** SetRiskConfiguration: the members given become the settings; none given resets them (a client's: back to the pool's). */
  async set(input: SetRiskConfigurationRequest): Promise<RiskConfigurationType> {
    const pool = await this.deps.pools.get(input.UserPoolId);
    if (input.ClientId !== undefined) await this.deps.pools.getClient(pool.id, input.ClientId);
    if (modeOf(pool) === 'OFF') {
      throw new UserPoolAddOnNotEnabledException('Threat protection is not enabled for this user pool: set UserPoolAddOns.AdvancedSecurityMode to AUDIT or ENFORCED.');
    }
    // The model's members only: anything else a request carries is not kept.
    const settings: Settings = {
      CompromisedCredentialsRiskConfiguration: input.CompromisedCredentialsRiskConfiguration,
      AccountTakeoverRiskConfiguration: input.AccountTakeoverRiskConfiguration,
      RiskExceptionConfiguration: input.RiskExceptionConfiguration,
    };
    for (const list of ['BlockedIPRangeList', 'SkippedIPRangeList'] as const) rangesOf(settings.RiskExceptionConfiguration?.[list] ?? [], list);
    const clientId = input.ClientId ?? '';
    const now = this.deps.clock.now();
    if (!Object.values(settings).some((v) => v !== undefined)) await this.deps.store.risk.delete(pool.id, clientId);
    else await this.deps.store.risk.put({ pool_id: pool.id, client_id: clientId, config: JSON.stringify(settings), updated_at: now });
    this.cache.clear();
    this.cache.clear();
    return this.describe(pool.id, input.ClientId);
  }

  /** DescribeRiskConfiguration: a client's own settings, else the pool's. */
  async describe(poolId: string, clientId?: string): Promise<RiskConfigurationType> {
    const pool = await this.deps.pools.get(poolId);
    if (clientId !== undefined) await this.deps.pools.getClient(pool.id, clientId);
    const row = (clientId !== undefined ? await this.deps.store.risk.get(pool.id, clientId) : undefined) ?? (await this.deps.store.risk.get(pool.id, ''));
    return {
      UserPoolId: pool.id,
      ...(clientId !== undefined ? { ClientId: clientId } : {}),
      ...(row ? { ...(JSON.parse(row.config) as Settings), LastModifiedDate: row.updated_at / 1000 } : {}),
    };
  }

  /**
   * Before a sign-in: refused when threat protection is ENFORCED and the address is in the blocked
   * ranges (and not in the skipped ones). Returns 'audit-blocked' in AUDIT mode for the audit trail.
   */
  async check(ctx: Pick<FlowContext, 'pool' | 'client' | 'sourceIp'>): Promise<'audit-blocked' | undefined> {
    const mode = modeOf(ctx.pool);
    if (mode === 'OFF') return undefined;
    const ranges = await this.rangesFor(ctx.pool.id, ctx.client.id);
    // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: its IPv4 address is what ranges name.
    const ip = /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ctx.sourceIp) ? ctx.sourceIp.slice(7) : ctx.sourceIp;
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (!ranges || !isIP(ip) || !ranges.blocked.check(ip, family) || ranges.skipped.check(ip, family)) return undefined;
    if (mode === 'ENFORCED') throw new NotAuthorizedException(BLOCKED_MESSAGE);
    return 'audit-blocked';
  }

  private async rangesFor(poolId: string, clientId: string) {
    const key = `${poolId} ${clientId}`;
    const hit = this.cache.get(key);
    if (hit && this.deps.clock.now() - hit.at < CACHE_MS) return hit.ranges;
    const row = (await this.deps.store.risk.get(poolId, clientId)) ?? (await this.deps.store.risk.get(poolId, ''));
    const exceptions = row ? (JSON.parse(row.config) as Settings).RiskExceptionConfiguration : undefined;
    const ranges = exceptions
      ? { blocked: rangesOf(exceptions.BlockedIPRangeList ?? [], 'BlockedIPRangeList'), skipped: rangesOf(exceptions.SkippedIPRangeList ?? [], 'SkippedIPRangeList') }
      : undefined;
    this.cache.set(key, { at: this.deps.clock.now(), ranges });
    return ranges;
  }
}

/** CIDR ranges (IPv4 or IPv6) as a BlockList; a malformed one is InvalidParameterException. */
function rangesOf(list: string[], member: string): BlockList {
  const out = new BlockList();
  for (const cidr of list) {
    const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(cidr);
    const family = m ? isIP(m[1]) : 0;
    const bits = m ? Number(m[2]) : -1;
    if (!m || !family || bits > (family === 4 ? 32 : 128)) throw new InvalidParameterException(`${member}: '${cidr}' is not an IP address range in CIDR notation.`);
    out.addSubnet(m[1], bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return out;
}
