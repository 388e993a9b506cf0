// Identity pools, identities with their linked logins, and Tessera-issued identity credentials.
// Rows only: the rules (who may link what, merging) live in src/identity/.
import { rethrowUnique } from './connect.js';
import type { Db } from './store.js';
import type { IdentityCredentialRow, IdentityLoginRow, IdentityPoolRow, IdentityRow } from './schema.js';

export class IdentityPoolRepo {
  constructor(private readonly db: Db) {}

  async insert(row: IdentityPoolRow): Promise<void> {
    await this.db.insertInto('identity_pools').values(row).execute();
  }

  get(id: string): Promise<IdentityPoolRow | undefined> {
    return this.db.selectFrom('identity_pools').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async update(
    id: string,
    patch: Partial<Pick<IdentityPoolRow, 'name' | 'config' | 'roles' | 'principal_tags' | 'updated_at'>>,
  ): Promise<boolean> {
    const r = await this.db.updateTable('identity_pools').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Deletes the pool; its identities, logins and credentials go with it (foreign keys). */
  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('identity_pools').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Pools ordered by id, after `afterId`. */
  list(limit: number, afterId?: string): Promise<IdentityPoolRow[]> {
    let q = this.db.selectFrom('identity_pools').selectAll().orderBy('id').limit(limit);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return q.execute();
  }
}

export class IdentityRepo {
  constructor(private readonly db: Db) {}

  async insert(row: IdentityRow): Promise<void> {
    await this.db.insertInto('identities').values(row).execute();
  }

  get(id: string): Promise<IdentityRow | undefined> {
    return this.db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async update(id: string, patch: Partial<Pick<IdentityRow, 'guest' | 'enabled' | 'merged_into' | 'updated_at'>>): Promise<void> {
    await this.db.updateTable('identities').set(patch).where('id', '=', id).execute();
  }

  /** Deletes the identities that exist (with their logins and credentials); returns them with their pools. */
  async deleteReturningPools(ids: string[]): Promise<{ id: string; poolId: string }[]> {
    if (!ids.length) return [];
    const found = await this.db.selectFrom('identities').select(['id', 'pool_id']).where('id', 'in', ids).execute();
    if (found.length) await this.db.deleteFrom('identities').where('id', 'in', found.map((r) => r.id)).execute();
    return found.map((r) => ({ id: r.id, poolId: r.pool_id }));
  }

  /** A pool's identities ordered by id, after `afterId`; optionally only the enabled ones. */
  list(poolId: string, limit: number, afterId?: string, enabledOnly = false): Promise<IdentityRow[]> {
    let q = this.db.selectFrom('identities').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(limit);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    if (enabledOnly) q = q.where('enabled', '=', 1);
    return q.execute();
  }

  /** Ids of the identities merged into this one, ordered. */
  async mergedInto(identityId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('identities').select('id').where('merged_into', '=', identityId).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** The logins of the given identities, ordered by provider and subject. */
  loginsOf(identityIds: string[]): Promise<IdentityLoginRow[]> {
    if (!identityIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('identity_logins')
      .selectAll()
      .where('identity_id', 'in', identityIds)
      .orderBy('identity_id')
      .orderBy('provider')
      .orderBy('subject')
      .execute();
  }

  /** Subjects of one provider on an identity, ordered, after `afterSubject`. */
  subjectsOf(identityId: string, provider: string, limit: number, afterSubject?: string): Promise<string[]> {
    let q = this.db
      .selectFrom('identity_logins')
      .select('subject')
      .where('identity_id', '=', identityId)
      .where('provider', '=', provider)
      .orderBy('subject')
      .limit(limit);
    if (afterSubject !== undefined) q = q.where('subject', '>', afterSubject);
    return q.execute().then((rows) => rows.map((r) => r.subject));
  }

  findLogin(poolId: string, provider: string, subject: string): Promise<IdentityLoginRow | undefined> {
    return this.db
      .selectFrom('identity_logins')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('provider', '=', provider)
      .where('subject', '=', subject)
      .executeTakeFirst();
  }

  /** Links a login. Throws UniqueViolation when it is linked already or the identity has another
   * subject of the same exclusive provider. */
  async link(row: IdentityLoginRow): Promise<void> {
    try {
      await this.db.insertInto('identity_logins').values(row).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  /** Moves every login of `fromId` to `toId` (merging). Throws UniqueViolation on a clash. */
  async moveLogins(fromId: string, toId: string): Promise<void> {
    try {
      await this.db.updateTable('identity_logins').set({ identity_id: toId }).where('identity_id', '=', fromId).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  /** Removes logins of an identity: every subject of `provider`, or only `subject`. Returns how many. */
  async unlink(identityId: string, provider: string, subject?: string): Promise<number> {
    let q = this.db.deleteFrom('identity_logins').where('identity_id', '=', identityId).where('provider', '=', provider);
    if (subject !== undefined) q = q.where('subject', '=', subject);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

export class IdentityCredentialRepo {
  constructor(private readonly db: Db) {}

  async insert(row: IdentityCredentialRow): Promise<void> {
    await this.db.insertInto('identity_credentials').values(row).execute();
  }

  get(accessKeyId: string): Promise<IdentityCredentialRow | undefined> {
    return this.db.selectFrom('identity_credentials').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
  }

  /** Forgets credentials that expired before `before`. */
  async deleteExpired(before: number): Promise<void> {
    await this.db.deleteFrom('identity_credentials').where('expires_at', '<', before).execute();
  }
}
