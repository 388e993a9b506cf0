// User pools and their app clients: creation with Cognito's defaults, reads through a short-lived
// cache (a login reads its pool and client on every request), full-replacement updates.
//
// A pool's settings are kept as one document in Cognito's own shape (UserPoolType's members):
// they are Cognito's data model, returned by DescribeUserPool as stored.
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import { ResourceNotFoundException } from '../errors.js';
import { userPoolArn } from '../ids.js';
import type { UserPoolClientType, UserPoolType } from '../models/idp-types.js';
import type { Store } from '../store/store.js';

/** The settings document of a pool: UserPoolType less what is computed on read. */
export type PoolSettings = Omit<UserPoolType, 'Id' | 'Arn' | 'CreationDate' | 'LastModifiedDate' | 'EstimatedNumberOfUsers' | 'UserPoolTags'>;

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
export type ClientSettings = Omit<UserPoolClientType, 'UserPoolId' | 'ClientId' | 'ClientSecret' | 'CreationDate' | 'LastModifiedDate' | 'ClientName'>;

export interface AppClient {
  id: string;
  poolId: string;
  name: string;
  /** Plain secret (opened from its sealed form), or undefined for a public client. */
  secret?: string;
  settings: ClientSettings;
  createdAt: number;
  updatedAt: number;
}

const CACHE_MS = 2000;

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
    if (!row) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
    const pool: UserPool = {
      id: row.id,
      name: row.name,
      arn: this.arnOf(row.id),
      srpName: row.id.slice(row.id.indexOf('_') + 1),
      settings: JSON.parse(row.config),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
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
      if (!row) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
      client = {
        id: row.id,
        poolId: row.pool_id,
        name: row.name,
        secret: row.secret ? this.sealer.open('client-secret', row.secret)?.toString('utf8') : undefined,
        settings: JSON.parse(row.config),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
      this.clientCache.set(clientId, { at: now, client });
    }
    if (poolId !== undefined && client.poolId !== poolId) {
      throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
    }
    return client;
  }
}
