// Resource servers and their custom scopes (CreateResourceServer & co.). A custom scope is
// `<Identifier>/<ScopeName>`; identifiers may themselves contain `/` (often a URL), scope names
// never do, so a scope splits at its last `/`.
//
// Rules: the pool exists (ResourceNotFoundException); scope names are unique within a server
// (InvalidParameterException); one server per identifier per pool (the primary key); at most
// 100 scopes (the model) and 25 servers per pool (LimitExceededException, Cognito's quota).
// Update is a full replacement of name and scopes.
// Token requests check their scopes through `scopeExists`, which reads a server's scopes through
// a two-second cache (as pools and clients are cached) that this process's writes clear.
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import { InvalidParameterException, LimitExceededException, ResourceNotFoundException } from '../errors.js';
import type { ResourceServerScopeType, ResourceServerType } from '../models/idp-types.js';
import { UniqueViolation } from '../store/connect.js';
import type { ResourceServerRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import type { UserPools } from '../userpools/pools.js';

const MAX_SERVERS_PER_POOL = 25;
const CACHE_MS = 2000;
const MAX_CACHED = 10_000;

export interface ResourceServerInput {
  UserPoolId: string;
  Identifier: string;
  Name: string;
  Scopes?: ResourceServerScopeType[];
}

/** Splits `<identifier>/<scope name>`; undefined for a scope without `/`. */
export function splitCustomScope(scope: string): { identifier: string; name: string } | undefined {
  const i = scope.lastIndexOf('/');
  if (i <= 0 || i === scope.length - 1) return undefined;
  return { identifier: scope.slice(0, i), name: scope.slice(i + 1) };
}

/** Whether `<identifier>/<name>` is a scope of a resource server of the pool. */
export async function customScopeExists(store: Store, poolId: string, scope: string): Promise<boolean> {
  const parts = splitCustomScope(scope);
  if (!parts) return false;
  const row = await store.oauth.getResourceServer(poolId, parts.identifier);
  return !!row && scopesOf(row).some((s) => s.ScopeName === parts.name);
}

export class ResourceServers {
  /** `${poolId} ${identifier}` -> scope names of that server (undefined: no such server), read at `at`. */
  private readonly cache = new Map<string, { at: number; names: Set<string> | undefined }>();

  constructor(private readonly deps: { store: Store; clock: Clock; sealer: Sealer; pools: UserPools }) {}

  /**
   * Whether `<identifier>/<name>` is a scope of a resource server of the pool, as customScopeExists,
   * served from a two-second cache (a client_credentials token request checks every scope it asks).
   */
  async scopeExists(poolId: string, scope: string): Promise<boolean> {
    const parts = splitCustomScope(scope);
    if (!parts) return false;
    const key = `${poolId} ${parts.identifier}`;
    const now = this.deps.clock.now();
    let hit = this.cache.get(key);
    if (!hit || now - hit.at >= CACHE_MS) {
      const row = await this.deps.store.oauth.getResourceServer(poolId, parts.identifier);
      hit = { at: now, names: row ? new Set(scopesOf(row).map((s) => s.ScopeName)) : undefined };
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, hit);
    }
    return !!hit.names?.has(parts.name);
  }

  /** Forgets the cached scopes of a server after a write in this process. */
  private forget(poolId: string, identifier: string): void {
    this.cache.delete(`${poolId} ${identifier}`);
  }

  async create(input: ResourceServerInput): Promise<ResourceServerType> {
    const pool = await this.deps.pools.get(input.UserPoolId);
    const scopes = checkScopes(input.Scopes ?? []);
    const existing = await this.deps.store.oauth.listResourceServers(pool.id, MAX_SERVERS_PER_POOL + 1);
    if (existing.length >= MAX_SERVERS_PER_POOL) {
      throw new LimitExceededException(`User pool ${pool.id} has reached its limit of ${MAX_SERVERS_PER_POOL} resource servers.`);
    }
    const now = this.deps.clock.now();
    const row: ResourceServerRow = {
      pool_id: pool.id,
      identifier: input.Identifier,
      name: input.Name,
      scopes: JSON.stringify(scopes),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.store.oauth.insertResourceServer(row);
      this.forget(pool.id, input.Identifier);
    } catch (e) {
      if (e instanceof UniqueViolation) throw new InvalidParameterException(`${input.Identifier} already exists in user pool ${pool.id}.`);
      throw e;
    }
    return toType(row);
  }

  async describe(poolId: string, identifier: string): Promise<ResourceServerType> {
    await this.deps.pools.get(poolId);
    return toType(await this.row(poolId, identifier));
  }

  async update(input: ResourceServerInput): Promise<ResourceServerType> {
    await this.deps.pools.get(input.UserPoolId);
    const scopes = checkScopes(input.Scopes ?? []);
    const patch = { name: input.Name, scopes: JSON.stringify(scopes), updated_at: this.deps.clock.now() };
    const updated = await this.deps.store.oauth.updateResourceServer(input.UserPoolId, input.Identifier, patch);
    this.forget(input.UserPoolId, input.Identifier);
    if (!updated) throw notFound(input.UserPoolId, input.Identifier);
    return toType(await this.row(input.UserPoolId, input.Identifier));
  }

  async delete(poolId: string, identifier: string): Promise<void> {
    await this.deps.pools.get(poolId);
    const deleted = await this.deps.store.oauth.deleteResourceServer(poolId, identifier);
    this.forget(poolId, identifier);
    if (!deleted) throw notFound(poolId, identifier);
  }

  async list(poolId: string, maxResults: number, nextToken?: string): Promise<{ items: ResourceServerType[]; nextToken?: string }> {
    await this.deps.pools.get(poolId);
    const scope = `ListResourceServers|${poolId}`;
    const after = decodePageToken<string>(this.deps.sealer, scope, nextToken);
    const rows = await this.deps.store.oauth.listResourceServers(poolId, maxResults + 1, after);
    const shown = rows.slice(0, maxResults);
    const more = rows.length > maxResults;
    return {
      items: shown.map(toType),
      ...(more ? { nextToken: encodePageToken(this.deps.sealer, scope, shown[shown.length - 1]!.identifier) } : {}),
    };
  }

  private async row(poolId: string, identifier: string): Promise<ResourceServerRow> {
    const row = await this.deps.store.oauth.getResourceServer(poolId, identifier);
    if (!row) throw notFound(poolId, identifier);
    return row;
  }
}

function checkScopes(scopes: ResourceServerScopeType[]): ResourceServerScopeType[] {
  const seen = new Set<string>();
  for (const s of scopes) {
    if (seen.has(s.ScopeName)) throw new InvalidParameterException(`Duplicate scope name: ${s.ScopeName}`);
    seen.add(s.ScopeName);
  }
  return scopes.map((s) => ({ ScopeName: s.ScopeName, ScopeDescription: s.ScopeDescription }));
}

function scopesOf(row: ResourceServerRow): ResourceServerScopeType[] {
  return JSON.parse(row.scopes) as ResourceServerScopeType[];
}

function toType(row: ResourceServerRow): ResourceServerType {
  return { UserPoolId: row.pool_id, Identifier: row.identifier, Name: row.name, Scopes: scopesOf(row) };
}

function notFound(poolId: string, identifier: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Resource server ${identifier} does not exist in user pool ${poolId}.`);
}
