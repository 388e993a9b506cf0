// A pool's hosted-UI domains (CreateUserPoolDomain & co.): at most one prefix domain, served as
// `<prefix>.auth.<region>.localhost` and `/_domain/<prefix>/` (hosted-ui-oauth.md §11), and at
// most one custom domain (a host name, e.g. auth.example.com). Both are ACTIVE at once.
//
// Rules, with Cognito's refusals (InvalidParameterException unless noted):
// - the pool exists (ResourceNotFoundException);
// - a prefix is lower-case letters, digits and inner hyphens, without the reserved words aws,
//   amazon or cognito; a custom domain is a dotted host name and comes with CustomDomainConfig;
// - a pool has one domain of each kind; a name belongs to one pool (the store's constraints);
// - Update and Delete name a domain of that very pool.
// Lookups by name are cached for two seconds (every hosted-UI request resolves its domain).
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import { InvalidParameterException } from '../errors.js';
import type { CreateUserPoolDomainRequest, DomainDescriptionType, UpdateUserPoolDomainRequest } from '../models/idp-types.js';
import { UniqueViolation } from '../store/connect.js';
import type { UserPoolDomainRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { UserPools } from '../userpools/pools.js';

export type DomainKind = 'prefix' | 'custom';

export interface PoolDomain {
  domain: string;
  poolId: string;
  kind: DomainKind;
  managedLoginVersion: number;
  customDomainConfig?: { CertificateArn: string; SecurityPolicy?: string };
  createdAt: number;
}

const PREFIX_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST_RE = new RegExp(`^(?=.{4,253}$)${LABEL}(?:\\.${LABEL})+$`);
const RESERVED = ['aws', 'amazon', 'cognito'];
const CACHE_MS = 2000;

export class Domains {
  private readonly cache = new Map<string, { at: number; domain: PoolDomain | undefined }>();

  constructor(private readonly deps: { store: Store; clock: Clock; config: Config; pools: UserPools }) {}

  /** CreateUserPoolDomain. Returns the CloudFrontDomain to report for a custom domain. */
  async create(input: CreateUserPoolDomainRequest): Promise<{ domain: PoolDomain; cloudFrontDomain?: string }> {
    const pool = await this.deps.pools.get(input.UserPoolId);
    const kind: DomainKind = input.CustomDomainConfig ? 'custom' : 'prefix';
    const name = input.Domain.toLowerCase();
    checkName(kind, name);
    const existing = await this.deps.store.oauth.domainsOfPool(pool.id);
    if (existing.some((d) => d.kind === kind)) {
      throw new InvalidParameterException(`User pool ${pool.id} already has a ${kind === 'custom' ? 'custom ' : ''}domain configured.`);
    }
    const now = this.deps.clock.now();
    const row: UserPoolDomainRow = {
      domain: name,
      pool_id: pool.id,
      kind,
      config: JSON.stringify({ ManagedLoginVersion: input.ManagedLoginVersion ?? 1, CustomDomainConfig: input.CustomDomainConfig }),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.store.oauth.insertDomain(row);
    } catch (e) {
      if (e instanceof UniqueViolation) throw new InvalidParameterException('Domain already associated with another user pool.');
      throw e;
    }
    this.cache.delete(name);
    return { domain: toDomain(row), cloudFrontDomain: kind === 'custom' ? this.ownHostName() : undefined };
  }

  /** DescribeUserPoolDomain: an unknown name describes as `{}`, as Cognito answers. */
  async describe(name: string): Promise<DomainDescriptionType> {
    const d = await this.find(name, { fresh: true });
    if (!d) return {};
    return {
      UserPoolId: d.poolId,
      AWSAccountId: this.deps.config.accountId,
      Domain: d.domain,
      CloudFrontDistribution: this.ownHostName(),
      Version: String(Math.floor(d.createdAt / 1000)),
      Status: 'ACTIVE',
      ...(d.customDomainConfig ? { CustomDomainConfig: d.customDomainConfig as DomainDescriptionType['CustomDomainConfig'] } : {}),
      ManagedLoginVersion: d.managedLoginVersion,
    };
  }

  /** UpdateUserPoolDomain: the managed-login version and the custom domain's certificate. */
  async update(input: UpdateUserPoolDomainRequest): Promise<{ domain: PoolDomain; cloudFrontDomain?: string }> {
    await this.deps.pools.get(input.UserPoolId);
    const d = await this.ofPool(input.UserPoolId, input.Domain);
    const config = {
      ManagedLoginVersion: input.ManagedLoginVersion ?? d.managedLoginVersion,
      CustomDomainConfig: d.kind === 'custom' ? (input.CustomDomainConfig ?? d.customDomainConfig) : undefined,
    };
    await this.deps.store.oauth.updateDomain(d.domain, { config: JSON.stringify(config), updated_at: this.deps.clock.now() });
    this.cache.delete(d.domain);
    const updated = (await this.find(d.domain, { fresh: true }))!;
    return { domain: updated, cloudFrontDomain: d.kind === 'custom' ? this.ownHostName() : undefined };
  }

  /** DeleteUserPoolDomain. */
  async delete(poolId: string, name: string): Promise<void> {
    await this.deps.pools.get(poolId);
    const d = await this.ofPool(poolId, name);
    await this.deps.store.oauth.deleteDomain(d.domain, poolId);
    this.cache.delete(d.domain);
  }

  /** The domain of that name (cached for two seconds unless `fresh`). */
  async find(name: string, opts: { fresh?: boolean } = {}): Promise<PoolDomain | undefined> {
    const key = name.toLowerCase();
    const now = this.deps.clock.now();
    const hit = this.cache.get(key);
    if (!opts.fresh && hit && now - hit.at < CACHE_MS) return hit.domain;
    const row = await this.deps.store.oauth.getDomain(key);
    const domain = row ? toDomain(row) : undefined;
    this.cache.set(key, { at: now, domain });
    return domain;
  }

  /** The pool's domains: what DescribeUserPool reports as Domain and CustomDomain. */
  async ofPoolAll(poolId: string): Promise<{ prefix?: PoolDomain; custom?: PoolDomain }> {
    const rows = await this.deps.store.oauth.domainsOfPool(poolId);
    const all = rows.map(toDomain);
    return { prefix: all.find((d) => d.kind === 'prefix'), custom: all.find((d) => d.kind === 'custom') };
  }

  /**
   * The absolute base URL of the pool's hosted UI, or undefined when it has no domain: the
   * path form of its prefix domain (works for every client), else https://<custom domain>.
   */
  async baseUrlOf(poolId: string): Promise<string | undefined> {
    const { prefix, custom } = await this.ofPoolAll(poolId);
    if (prefix) return `${this.deps.config.publicUrl}/_domain/${prefix.domain}`;
    if (custom) return `https://${custom.domain}`;
    return undefined;
  }

  private async ofPool(poolId: string, name: string): Promise<PoolDomain> {
    const d = await this.find(name, { fresh: true });
    if (!d || d.poolId !== poolId) throw new InvalidParameterException(`Domain ${name} is not associated with user pool ${poolId}.`);
    return d;
  }

  /** Tessera's own host name, reported where AWS names its CloudFront distribution. */
  private ownHostName(): string {
    return new URL(this.deps.config.publicUrl).hostname;
  }
}

function checkName(kind: DomainKind, name: string): void {
  if (kind === 'prefix') {
    if (!PREFIX_RE.test(name)) {
      throw new InvalidParameterException('A domain prefix may contain only lower-case letters, numbers and hyphens, and may not start or end with a hyphen.');
    }
    const reserved = RESERVED.find((w) => name.includes(w));
    if (reserved) throw new InvalidParameterException(`Domain cannot contain reserved word: ${reserved}`);
    return;
  }
  if (!HOST_RE.test(name)) throw new InvalidParameterException(`The custom domain ${name} is not a valid host name.`);
}

function toDomain(row: UserPoolDomainRow): PoolDomain {
  const config = JSON.parse(row.config) as { ManagedLoginVersion?: number; CustomDomainConfig?: PoolDomain['customDomainConfig'] };
  return {
    domain: row.domain,
    poolId: row.pool_id,
    kind: row.kind,
    managedLoginVersion: config.ManagedLoginVersion ?? 1,
    customDomainConfig: config.CustomDomainConfig,
    createdAt: row.created_at,
  };
}

