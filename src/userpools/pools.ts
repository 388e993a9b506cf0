// User pools and their app clients: creation with Cognito's defaults, reads through a short-lived
// cache (a login reads its pool and client on every request), full-replacement updates.
//
// A pool's settings are kept as one document in Cognito's own shape (UserPoolType's members):
// they are Cognito's data model, returned by DescribeUserPool as stored.
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import {
  InvalidParameterException,
  LimitExceededException,
  ResourceNotFoundException,
  type CognitoException,
} from '../errors.js';
import { safeEqual } from '../crypto/compare.js';
import { newClientId, newClientSecret, newUserPoolId, userPoolArn } from '../ids.js';
import type {
  CreateUserPoolClientRequest,
  CreateUserPoolRequest,
  LogConfigurationType,
  SchemaAttributeType,
  UpdateUserPoolClientRequest,
  UpdateUserPoolRequest,
  UserPoolClientType,
  UserPoolType,
} from '../models/idp-types.js';
import type { AppClientRow, UserPoolRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { clientSettings, type ClientSettingsInput } from './client-settings.js';
import { appendCustomAttributes } from './custom-attributes.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { createPoolSettings, replacePoolSettings } from './pool-settings.js';
import { checkNewTags } from './pool-tags.js';
import type { MfaOnlySettings } from './mfa-config.js';
import type { PoolSessionConfig } from '../sessions/sessions.js';
import { customScopeExists } from '../oauth/resource-servers.js';
import { identityProviderExists } from '../store/federation.js';

/**
 * The settings document of a pool: UserPoolType less what is computed on read, plus the MFA
 * members only SetUserPoolMfaConfig writes (mfa-config.ts).
 */
export type PoolSettings = Omit<UserPoolType, 'Id' | 'Arn' | 'CreationDate' | 'LastModifiedDate' | 'EstimatedNumberOfUsers' | 'UserPoolTags'> &
  MfaOnlySettings & {
    /** SetUserPoolSessionConfiguration's (src/sessions/sessions.ts); not a UserPoolType member. */
    SessionConfiguration?: PoolSessionConfig;
    /** SetLogDeliveryConfiguration's (src/log-delivery/log-delivery.ts); not a UserPoolType member. */
    LogDeliveryConfiguration?: LogConfigurationType[];
  };

export interface UserPool {
  id: string;
  name: string;
  arn: string;
  /** The part of the id after `_`: what clients put into SRP as the "pool name". */
  srpName: string;
  settings: PoolSettings;
  createdAt: number;
  updatedAt: number;
}

/** Client settings: UserPoolClientType less identity, secret and dates. */
export type ClientSettings = Omit<UserPoolClientType, 'UserPoolId' | 'ClientId' | 'ClientSecret' | 'CreationDate' | 'LastModifiedDate' | 'ClientName'> & {
  /** SetUserPoolClientSessionConfiguration's; not a UserPoolClientType member, kept by UpdateUserPoolClient. */
  SSOSession?: { MaxValidityMinutes: number };
};

export interface AppClient {
  id: string;
  poolId: string;
  name: string;
  /** Plain secret (opened from its sealed form; the oldest active one), or undefined for a public client. */
  secret?: string;
  /** Every active secret, oldest first (at most MAX_CLIENT_SECRETS); empty for a public client. */
  secrets: ClientSecret[];
  settings: ClientSettings;
  createdAt: number;
  updatedAt: number;
}

/** One secret of a confidential client (AddUserPoolClientSecret rotates them). */
export interface ClientSecret {
  /** `<client id>--<creation time, epoch ms>` */
  id: string;
  value: string;
  createdAt: number;
}

/** Active secrets a client may hold at once (Cognito's limit, for rotation without downtime). */
export const MAX_CLIENT_SECRETS = 2;

/** Whether `given` is one of the client's active secrets, compared in constant time with each. */
export function clientSecretMatches(client: AppClient, given: string | undefined): boolean {
  if (typeof given !== 'string') return false;
  let ok = false;
  for (const s of client.secrets) ok = safeEqual(s.value, given) || ok;
  return ok;
}

const CACHE_MS = 2000;
const CLIENT_SECRET_PURPOSE = 'client-secret';

interface StoredSecret {
  id: string;
  secret: string;
  created_at: number;
}

export interface Page<T> {
  items: T[];
  /** Present only when more items follow. */
  nextToken?: string;
}

export class UserPools {
  private readonly poolCache = new Map<string, { at: number; pool: UserPool }>();
  private readonly clientCache = new Map<string, { at: number; client: AppClient }>();

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly sealer: Sealer,
    readonly config: Config,
  ) {}

  arnOf(poolId: string): string {
    return userPoolArn(poolId.split('_')[0] || this.config.region, this.config.accountId, poolId);
  }

  /** The pool, or ResourceNotFoundException. Served from a 2-second cache. */
  async get(poolId: string, store: Store = this.store): Promise<UserPool> {
    const hit = this.poolCache.get(poolId);
    const now = this.clock.now();
    if (hit && now - hit.at < CACHE_MS && store === this.store) return hit.pool;
    const row = await store.pools.get(poolId);
    if (!row) throw poolNotFound(poolId);
    const pool = this.toPool(row);
    if (store === this.store) this.poolCache.set(poolId, { at: now, pool });
    return pool;
  }

  /** Forgets cached copies after a write in this process. */
  invalidate(poolId: string, clientId?: string): void {
    this.poolCache.delete(poolId);
    if (clientId) this.clientCache.delete(clientId);
  }

  /** The app client of a pool, or ResourceNotFoundException. */
  async getClient(poolId: string | undefined, clientId: string): Promise<AppClient> {
    const now = this.clock.now();
    const hit = this.clientCache.get(clientId);
    let client = hit && now - hit.at < CACHE_MS ? hit.client : undefined;
    if (!client) {
      const row = await this.store.clients.get(clientId);
      if (!row) throw clientNotFound(clientId);
      client = this.toClient(row);
      this.clientCache.set(clientId, { at: now, client });
    }
    if (poolId !== undefined && client.poolId !== poolId) throw clientNotFound(clientId);
    return client;
  }

  // ---- pools ---------------------------------------------------------------------------------

  /** CreateUserPool: settings with Cognito's defaults, and UserPoolTags as tags of its ARN, in one transaction. */
  async create(input: CreateUserPoolRequest): Promise<UserPool> {
    const settings = createPoolSettings(input);
    const tags = input.UserPoolTags ?? {};
    checkNewTags({}, tags);
    const id = newUserPoolId(this.config.region);
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      await tx.pools.insert({ id, name: input.PoolName, config: JSON.stringify(settings), created_at: now, updated_at: now });
      await tx.tags.put(this.arnOf(id), tags);
    });
    return this.get(id);
  }

  /**
   * UpdateUserPool: a full replacement of the mutable settings (see pool-settings.ts). PoolName and
   * UserPoolTags change only when given; given tags replace the pool's whole tag set.
   */
  async replace(input: UpdateUserPoolRequest): Promise<void> {
    const { UserPoolId: poolId, UserPoolTags: tags } = input;
    if (tags) checkNewTags({}, tags);
    await this.rewrite(poolId, (s) => replacePoolSettings(s, input), { name: input.PoolName, tags });
  }

  /** AddCustomAttributes: appends `custom:` attributes to the schema (names never reused). */
  async addCustomAttributes(poolId: string, attributes: SchemaAttributeType[]): Promise<void> {
    await this.rewrite(poolId, (s) => ({ ...s, SchemaAttributes: appendCustomAttributes(s.SchemaAttributes ?? [], attributes) }));
  }

  /**
   * A change of some settings members computed from the current ones (SetUserPoolMfaConfig), with
   * the same compare-and-set as UpdateUserPool. Returns the pool as written.
   */
  async changeSettings(poolId: string, change: (settings: PoolSettings) => PoolSettings): Promise<UserPool> {
    await this.rewrite(poolId, change);
    return this.get(poolId);
  }

  /** DeleteUserPool: refused under deletion protection; users, clients, groups... follow by cascade. */
  async delete(poolId: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const pool = await this.get(poolId, tx);
      if (pool.settings.DeletionProtection === 'ACTIVE') {
        throw new InvalidParameterException(
          'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
        );
      }
      if (!(await tx.pools.delete(poolId))) throw poolNotFound(poolId);
      await tx.tags.removeAll(pool.arn);
    });
    this.forget(poolId);
  }

  /** ListUserPools: pools in id order, `maxResults` at a time. */
  async list(maxResults: number, nextToken?: string): Promise<Page<UserPool>> {
    const scope = 'ListUserPools';
    const after = decodePageToken<string>(this.sealer, scope, nextToken);
    const rows = await this.store.pools.list(maxResults + 1, after);
    return this.page(rows.map((r) => this.toPool(r)), maxResults, scope);
  }

  // ---- app clients ---------------------------------------------------------------------------

  /** CreateUserPoolClient: a secret when asked for (sealed at rest), settings with Cognito's defaults. */
  async createClient(input: CreateUserPoolClientRequest): Promise<AppClient> {
    const pool = await this.get(input.UserPoolId);
    if (input.ClientSecret !== undefined && input.GenerateSecret === false) {
      throw new InvalidParameterException('ClientSecret cannot be given when GenerateSecret is false.');
    }
    const secret = input.ClientSecret ?? (input.GenerateSecret ? newClientSecret() : undefined);
    const settings = await clientSettings(settingsInput(input), this.clientContext(pool, secret !== undefined));
    const id = newClientId();
    const now = this.clock.now();
    await this.store.clients.insert({
      id,
      pool_id: pool.id,
      name: input.ClientName,
      secret: secret === undefined ? null : this.sealer.seal(CLIENT_SECRET_PURPOSE, secret),
      config: JSON.stringify(settings),
      created_at: now,
      updated_at: now,
    });
    return this.getClient(pool.id, id);
  }

  /** UpdateUserPoolClient: full replacement of the settings; the name changes when given; the secret stays. */
  async replaceClient(input: UpdateUserPoolClientRequest): Promise<AppClient> {
    const pool = await this.get(input.UserPoolId);
    this.clientCache.delete(input.ClientId);
    const client = await this.getClient(pool.id, input.ClientId);
    const settings: ClientSettings = await clientSettings(settingsInput(input), this.clientContext(pool, client.secret !== undefined));
    await this.store.transaction(async (tx) => {
      const row = await tx.clients.getForChange(client.id);
      if (!row) throw clientNotFound(client.id);
      // UpdateUserPoolClient has no member for it: SetUserPoolClientSessionConfiguration's stays
      // (read under the row's lock, so a concurrent change of it is not undone).
      const sso = (JSON.parse(row.config) as ClientSettings).SSOSession;
      if (sso) settings.SSOSession = sso;
      await tx.clients.update(client.id, { name: input.ClientName ?? client.name, config: JSON.stringify(settings), updated_at: this.clock.now() });
    });
    this.invalidate(pool.id, client.id);
    return this.getClient(pool.id, client.id);
  }

  /**
   * AddUserPoolClientSecret: a second secret for a confidential client, `given` or generated (the
   * value is returned only when generated, as Cognito does).
   */
  async addClientSecret(poolId: string, clientId: string, given?: string): Promise<{ secret: ClientSecret; generated: boolean }> {
    const value = given ?? newClientSecret();
    const added = await this.changeSecrets(poolId, clientId, (secrets, now) => {
      if (!secrets.length) throw new InvalidParameterException(`Client ${clientId} has no secret: secrets can only be added to a client created with one.`);
      if (secrets.length >= MAX_CLIENT_SECRETS) {
        throw new LimitExceededException(`Client ${clientId} already has ${MAX_CLIENT_SECRETS} secrets; delete one before adding another.`);
      }
      // Ids carry the creation time; two in the same millisecond get the next one.
      const createdAt = Math.max(now, ...secrets.map((x) => x.createdAt + 1));
      const secret = { id: `${clientId}--${createdAt}`, value, createdAt };
      return { secrets: [...secrets, secret], result: secret };
    });
    return { secret: added, generated: given === undefined };
  }

  /** DeleteUserPoolClientSecret: never the last one. */
  async deleteClientSecret(poolId: string, clientId: string, secretId: string): Promise<void> {
    await this.changeSecrets(poolId, clientId, (secrets) => {
      if (!secrets.some((x) => x.id === secretId)) throw new ResourceNotFoundException(`Client secret ${secretId} does not exist.`);
      if (secrets.length === 1) throw new InvalidParameterException('The last secret of an app client cannot be deleted.');
      return { secrets: secrets.filter((x) => x.id !== secretId), result: undefined };
    });
  }

  /** ListUserPoolClientSecrets: the active secrets, oldest first. */
  async listClientSecrets(poolId: string, clientId: string): Promise<ClientSecret[]> {
    await this.get(poolId);
    this.clientCache.delete(clientId);
    return (await this.getClient(poolId, clientId)).secrets;
  }

  /** Read-modify-write of a client's secrets under its row lock; `secret` follows the oldest. */
  private async changeSecrets<T>(poolId: string, clientId: string, change: (secrets: ClientSecret[], now: number) => { secrets: ClientSecret[]; result: T }): Promise<T> {
    await this.get(poolId);
    const result = await this.store.transaction(async (tx) => {
      const row = await tx.clients.getForChange(clientId);
      if (!row || row.pool_id !== poolId) throw clientNotFound(clientId);
      const now = this.clock.now();
      const out = change(this.secretsOf(row), now);
      const stored: StoredSecret[] = out.secrets.map((x) => ({ id: x.id, secret: this.sealer.seal(CLIENT_SECRET_PURPOSE, x.value), created_at: x.createdAt }));
      await tx.clients.update(clientId, { secret: stored[0]?.secret ?? null, secrets: JSON.stringify(stored), updated_at: now });
      return out.result;
    });
    this.invalidate(poolId, clientId);
    return result;
  }

  /** A change of one client's settings computed from the current ones, under its row lock. */
  async changeClientSettings(poolId: string, clientId: string, change: (settings: ClientSettings) => ClientSettings): Promise<AppClient> {
    await this.get(poolId);
    await this.store.transaction(async (tx) => {
      const row = await tx.clients.getForChange(clientId);
      if (!row || row.pool_id !== poolId) throw clientNotFound(clientId);
      await tx.clients.update(clientId, { config: JSON.stringify(change(JSON.parse(row.config) as ClientSettings)), updated_at: this.clock.now() });
    });
    this.invalidate(poolId, clientId);
    return this.getClient(poolId, clientId);
  }

  async deleteClient(poolId: string, clientId: string): Promise<void> {
    await this.get(poolId);
    this.clientCache.delete(clientId);
    await this.getClient(poolId, clientId);
    if (!(await this.store.clients.delete(clientId))) throw clientNotFound(clientId);
    // Its own threat protection settings go with it (terms documents follow by cascade).
    await this.store.risk.delete(poolId, clientId);
    this.invalidate(poolId, clientId);
  }

  /** ListUserPoolClients: the pool's clients in id order. */
  async listClients(poolId: string, maxResults: number, nextToken?: string): Promise<Page<AppClient>> {
    await this.get(poolId);
    const scope = `ListUserPoolClients|${poolId}`;
    const after = decodePageToken<string>(this.sealer, scope, nextToken);
    const rows = await this.store.clients.list(poolId, maxResults + 1, after);
    return this.page(rows.map((r) => this.toClient(r)), maxResults, scope);
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * Read-modify-write of a pool's settings with compare-and-set on the stored document, so
   * concurrent changes (an update and an added attribute) never silently undo each other.
   */
  private async rewrite(
    poolId: string,
    change: (settings: PoolSettings) => PoolSettings,
    opts: { name?: string; tags?: Record<string, string> } = {},
  ): Promise<void> {
    // Read, change and write under the row's lock, so concurrent changes of one pool queue up
    // instead of losing each other's work (or failing after a few optimistic retries).
    await this.store.transaction(async (tx) => {
      const row = await tx.pools.getForChange(poolId);
      if (!row) throw poolNotFound(poolId);
      const config = JSON.stringify(change(JSON.parse(row.config)));
      await tx.pools.update(poolId, { name: opts.name ?? row.name, config, updated_at: this.clock.now() });
      if (opts.tags) {
        await tx.tags.removeAll(this.arnOf(poolId));
        await tx.tags.put(this.arnOf(poolId), opts.tags);
      }
    });
    this.invalidate(poolId);
  }

  /** Where a client's settings are checked against its pool. */
  private clientContext(pool: UserPool, hasSecret: boolean) {
    return {
      poolId: pool.id,
      schema: pool.settings.SchemaAttributes ?? [],
      hasSecret,
      customScopeExists: (scope: string) => customScopeExists(this.store, pool.id, scope),
      providerExists: (name: string) => identityProviderExists(this.store, pool.id, name),
    };
  }

  /** One page out of `limit + 1` fetched items: the extra one only tells that more follow. */
  private page<T extends { id: string }>(items: T[], limit: number, scope: string): Page<T> {
    if (items.length <= limit) return { items };
    const shown = items.slice(0, limit);
    return { items: shown, nextToken: encodePageToken(this.sealer, scope, shown[shown.length - 1]!.id) };
  }

  /** Drops the pool and every cached client of it. */
  private forget(poolId: string): void {
    this.poolCache.delete(poolId);
    for (const [id, hit] of this.clientCache) if (hit.client.poolId === poolId) this.clientCache.delete(id);
  }

  private toPool(row: UserPoolRow): UserPool {
    return {
      id: row.id,
      name: row.name,
      arn: this.arnOf(row.id),
      srpName: row.id.slice(row.id.indexOf('_') + 1),
      settings: JSON.parse(row.config),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private toClient(row: AppClientRow): AppClient {
    return {
      id: row.id,
      poolId: row.pool_id,
      name: row.name,
      ...this.secretFields(row),
      settings: JSON.parse(row.config),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private secretFields(row: AppClientRow): Pick<AppClient, 'secret' | 'secrets'> {
    const secrets = this.secretsOf(row);
    return { secret: secrets[0]?.value, secrets };
  }

  /** The client's secrets opened: the `secrets` list, or the one `secret` of a client never rotated. */
  private secretsOf(row: AppClientRow): ClientSecret[] {
    if (row.secrets) {
      return (JSON.parse(row.secrets) as StoredSecret[]).map((x) => ({ id: x.id, value: this.openSecret(row.id, x.secret), createdAt: x.created_at }));
    }
    if (row.secret === null) return [];
    return [{ id: `${row.id}--${row.created_at}`, value: this.openSecret(row.id, row.secret), createdAt: row.created_at }];
  }

  /** A sealed secret that does not open (another master key, a damaged row) is a fault, never a public client. */
  private openSecret(clientId: string, sealed: string): string {
    const plain = this.sealer.open(CLIENT_SECRET_PURPOSE, sealed);
    if (!plain) throw new Error(`the secret of app client ${clientId} cannot be opened with this master key`);
    return plain.toString('utf8');
  }
}

/** The request members that are settings (identity, name and secret are handled apart). */
function settingsInput(input: CreateUserPoolClientRequest | UpdateUserPoolClientRequest): ClientSettingsInput {
  const { UserPoolId: _p, ClientName: _n, ...rest } = input as CreateUserPoolClientRequest & { ClientId?: string };
  const { GenerateSecret: _g, ClientSecret: _s, ClientId: _c, ...settings } = rest as typeof rest & { ClientId?: string };
  return settings;
}

export function poolNotFound(poolId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
}

export function clientNotFound(clientId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
}
