// Identity pools: their settings (which providers are trusted, guests or not), roles and role
// mappings, principal-tag maps and tags. Updates replace the whole settings document, as
// UpdateIdentityPool does (api-surface.md §6); tags are kept unless the update names them.
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import { newUuid } from '../ids.js';
import type { CognitoIdentityProvider, RoleMapping } from '../models/identity-types.js';
import type { IdentityPoolRow } from '../store/schema.js';
import { isTransientConflict } from '../store/connect.js';
import type { Store } from '../store/store.js';
import { oidcNameOf } from './external-logins.js';
import { userPoolIdOfProvider, userPoolProviderName, withoutScheme } from './provider-names.js';

/** The settings of a pool, in Cognito's member names. */
export interface IdentityPoolSettings {
  AllowUnauthenticatedIdentities: boolean;
  AllowClassicFlow?: boolean;
  SupportedLoginProviders?: Record<string, string>;
  DeveloperProviderName?: string;
  OpenIdConnectProviderARNs?: string[];
  CognitoIdentityProviders?: CognitoIdentityProvider[];
  SamlProviderARNs?: string[];
}

export interface PoolRoles {
  Roles: Record<string, string>;
  RoleMappings?: Record<string, RoleMapping>;
}

export interface PrincipalTagMap {
  UseDefaults: boolean;
  PrincipalTags?: Record<string, string>;
}

export interface IdentityPool {
  id: string;
  name: string;
  arn: string;
  settings: IdentityPoolSettings;
  roles: PoolRoles;
  principalTags: Record<string, PrincipalTagMap>;
  createdAt: number;
  updatedAt: number;
}

/** Rules per provider in a Rules role mapping (Cognito's limit). */
const MAX_RULES = 25;

export class IdentityPools {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  /** `arn:aws:cognito-identity:<region>:<account>:identitypool/<id>` */
  arnOf(id: string): string {
    const region = id.split(':')[0] || this.config.region;
    return `arn:aws:cognito-identity:${region}:${this.config.accountId}:identitypool/${id}`;
  }

  /** The pool id an identity pool ARN names, or InvalidParameterException. */
  idOfArn(arn: string): string {
    const m = /^arn:aws[\w-]*:cognito-identity:([\w-]+):(\d+):identitypool\/([\w-]+:[0-9a-f-]+)$/.exec(arn);
    if (!m) throw new InvalidParameterException(`Invalid identity pool ARN: ${arn}`);
    return m[3];
  }

  async create(name: string, settings: IdentityPoolSettings, tags?: Record<string, string>): Promise<IdentityPool> {
    const clean = checkSettings(settings);
    const now = this.clock.now();
    const row: IdentityPoolRow = {
      id: `${this.config.region}:${newUuid()}`,
      name,
      config: JSON.stringify(clean),
      roles: JSON.stringify({ Roles: {} }),
      principal_tags: '{}',
      created_at: now,
      updated_at: now,
    };
    await this.store.transaction(async (tx) => {
      await tx.identityPools.insert(row);
      if (tags && Object.keys(tags).length) await tx.tags.put(this.arnOf(row.id), tags);
    });
    return this.fromRow(row);
  }

  /** The pool, or ResourceNotFoundException. */
  async get(id: string, store: Store = this.store): Promise<IdentityPool> {
    const row = await store.identityPools.get(id);
    if (!row) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
    return this.fromRow(row);
  }

  async tagsOf(pool: IdentityPool): Promise<Record<string, string>> {
    return this.store.tags.list(pool.arn);
  }

  /** Replaces the settings (and the tags when given). The developer provider, once set, stays. */
  async update(id: string, name: string, settings: IdentityPoolSettings, tags?: Record<string, string>): Promise<IdentityPool> {
    const clean = checkSettings(settings);
    return this.store.transaction(async (tx) => {
      const pool = await this.get(id, tx);
      const dev = pool.settings.DeveloperProviderName;
      if (dev !== undefined) {
        if (clean.DeveloperProviderName !== undefined && clean.DeveloperProviderName !== dev) {
          throw new InvalidParameterException('The developer provider name of an identity pool cannot be changed once set.');
        }
        clean.DeveloperProviderName = dev;
      }
      await tx.identityPools.update(id, { name, config: JSON.stringify(clean), updated_at: this.clock.now() });
      if (tags) {
        await tx.tags.removeAll(pool.arn);
        await tx.tags.put(pool.arn, tags);
      }
      return { ...pool, name, settings: clean };
    });
  }

  async delete(id: string): Promise<void> {
    // Its identities go by cascade; PostgreSQL may end the delete to break a deadlock with a
    // merge or sync write under way in the pool: then it runs again.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deleteOnce(id);
      } catch (e) {
        if (!isTransientConflict(e) || attempt >= 2) throw e;
      }
    }
  }

  private async deleteOnce(id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.identityPools.delete(id))) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
      await tx.tags.removeAll(this.arnOf(id));
      // Cognito Sync's rows name the pool without a foreign key: they go with it here.
      await tx.sync.deletePoolData(id);
    });
  }

  async list(limit: number, afterId?: string): Promise<IdentityPool[]> {
    return (await this.store.identityPools.list(limit, afterId)).map((r) => this.fromRow(r));
  }

  /** SetIdentityPoolRoles: replaces the roles and role mappings. */
  async setRoles(id: string, roles: PoolRoles): Promise<void> {
    for (const [key, mapping] of Object.entries(roles.RoleMappings ?? {})) checkRoleMapping(key, mapping);
    const pool = await this.get(id);
    for (const key of Object.keys(roles.RoleMappings ?? {})) {
      if (!isConfiguredMappingKey(pool.settings, key, this.config.publicUrl)) throw new InvalidParameterException(`${key} is not a valid RoleMapping ProviderName or is not a configured provider.`);
    }
    await this.store.identityPools.update(id, { roles: JSON.stringify(roles), updated_at: this.clock.now() });
  }

  async setPrincipalTags(id: string, provider: string, map: PrincipalTagMap): Promise<void> {
    await this.store.transaction(async (tx) => {
      const pool = await this.get(id, tx);
      const all = { ...pool.principalTags, [provider]: map };
      await tx.identityPools.update(id, { principal_tags: JSON.stringify(all), updated_at: this.clock.now() });
    });
  }

  private fromRow(row: IdentityPoolRow): IdentityPool {
    return {
      id: row.id,
      name: row.name,
      arn: this.arnOf(row.id),
      settings: JSON.parse(row.config),
      roles: JSON.parse(row.roles),
      principalTags: JSON.parse(row.principal_tags),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

/**
 * Whether a RoleMappings key names a provider the pool trusts, in a form a login of it is looked
 * up under (src/identity/logins.ts mappingKeys): a social or OpenID Connect provider's name, a SAML
 * provider ARN, or `<user pool provider name>:<app client id>` of a configured user pool client
 * (the provider name in the AWS form or Tessera's issuer form).
 */
function isConfiguredMappingKey(s: IdentityPoolSettings, key: string, publicUrl: string): boolean {
  if (Object.prototype.hasOwnProperty.call(s.SupportedLoginProviders ?? {}, key)) return true;
  if ((s.SamlProviderARNs ?? []).includes(key)) return true;
  if ((s.OpenIdConnectProviderARNs ?? []).some((arn) => oidcNameOf(arn) === key)) return true;
  const colon = key.lastIndexOf(':');
  if (colon <= 0) return false;
  const [name, clientId] = [key.slice(0, colon), key.slice(colon + 1)];
  return (s.CognitoIdentityProviders ?? []).some((p) => {
    const poolId = userPoolIdOfProvider(p.ProviderName ?? '');
    if (!poolId || p.ClientId !== clientId) return false;
    // The names a login of that pool is looked up under: AWS's, the configured one, Tessera's issuer.
    return name === userPoolProviderName(poolId) || name === p.ProviderName || name === `${withoutScheme(publicUrl)}/${poolId}`;
  });
}

/** Checks what the model cannot: user pool provider names, duplicate providers. */
function checkSettings(s: IdentityPoolSettings): IdentityPoolSettings {
  const seen = new Set<string>();
  for (const p of s.CognitoIdentityProviders ?? []) {
    if (!p.ProviderName || !p.ClientId) {
      throw new InvalidParameterException('CognitoIdentityProviders entries need a ProviderName and a ClientId.');
    }
    const poolId = userPoolIdOfProvider(p.ProviderName);
    if (!poolId) throw new InvalidParameterException(`Invalid Cognito Identity Provider name: ${p.ProviderName}`);
    const key = `${poolId}/${p.ClientId}`;
    if (seen.has(key)) throw new InvalidParameterException(`Duplicate provider: ${p.ProviderName} with client ${p.ClientId}.`);
    seen.add(key);
  }
  return {
    AllowUnauthenticatedIdentities: s.AllowUnauthenticatedIdentities,
    AllowClassicFlow: s.AllowClassicFlow ?? false,
    SupportedLoginProviders: s.SupportedLoginProviders ?? {},
    ...(s.DeveloperProviderName !== undefined ? { DeveloperProviderName: s.DeveloperProviderName } : {}),
    OpenIdConnectProviderARNs: s.OpenIdConnectProviderARNs ?? [],
    CognitoIdentityProviders: (s.CognitoIdentityProviders ?? []).map((p) => ({
      ProviderName: p.ProviderName,
      ClientId: p.ClientId,
      ServerSideTokenCheck: p.ServerSideTokenCheck ?? false,
    })),
    SamlProviderARNs: s.SamlProviderARNs ?? [],
  };
}

function checkRoleMapping(key: string, m: RoleMapping): void {
  if (m.Type === 'Rules') {
    const rules = m.RulesConfiguration?.Rules ?? [];
    if (!rules.length) throw new InvalidParameterException(`RulesConfiguration is required for the Rules role mapping of ${key}.`);
    if (rules.length > MAX_RULES) throw new InvalidParameterException(`At most ${MAX_RULES} rules are allowed for ${key}.`);
  } else if (m.RulesConfiguration) {
    throw new InvalidParameterException(`RulesConfiguration is only allowed with the Rules role mapping type (${key}).`);
  }
  if (!m.AmbiguousRoleResolution) {
    throw new InvalidParameterException(`AmbiguousRoleResolution is required for the ${m.Type} role mapping of ${key}.`);
  }
}
