import type { Engine } from './connect.js';
import type { Db } from './store.js';
import type { AppClientRow, UserPoolRow } from './schema.js';

export class PoolRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  async insert(row: UserPoolRow): Promise<void> {
    await this.db.insertInto('user_pools').values(row).execute();
  }

  get(id: string): Promise<UserPoolRow | undefined> {
    return this.db.selectFrom('user_pools').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * The row, held for a read-modify-write until the enclosing transaction ends: a row lock on
   * PostgreSQL; on SQLite the store's one connection runs transactions one at a time already.
   */
  getForChange(id: string): Promise<UserPoolRow | undefined> {
    let q = this.db.selectFrom('user_pools').selectAll().where('id', '=', id);
    if (this.engine === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /**
   * The row, with a key-share lock on PostgreSQL until the enclosing transaction ends: user writes
   * take it so that a change of the pool's frozen settings (getForChange) and they run one after
   * the other (src/userpools/frozen-settings.ts). Key-share locks do not block each other.
   */
  getForUserWrite(id: string): Promise<UserPoolRow | undefined> {
    let q = this.db.selectFrom('user_pools').selectAll().where('id', '=', id);
    if (this.engine === 'postgres') q = q.forKeyShare();
    return q.executeTakeFirst();
  }

  async update(id: string, patch: Partial<Pick<UserPoolRow, 'name' | 'config' | 'updated_at'>>): Promise<boolean> {
    const r = await this.db.updateTable('user_pools').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('user_pools').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Pools ordered by id, after `afterId`. */
  list(limit: number, afterId?: string): Promise<UserPoolRow[]> {
    let q = this.db.selectFrom('user_pools').selectAll().orderBy('id').limit(limit);
    if (afterId) q = q.where('id', '>', afterId);
    return q.execute();
  }
}

export class ClientRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  async insert(row: AppClientRow): Promise<void> {
    await this.db.insertInto('app_clients').values(row).execute();
  }

  get(id: string): Promise<AppClientRow | undefined> {
    return this.db.selectFrom('app_clients').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The row, held for a read-modify-write until the enclosing transaction ends (PoolRepo.getForChange). */
  getForChange(id: string): Promise<AppClientRow | undefined> {
    let q = this.db.selectFrom('app_clients').selectAll().where('id', '=', id);
    if (this.engine === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async update(id: string, patch: Partial<Pick<AppClientRow, 'name' | 'config' | 'secret' | 'secrets' | 'updated_at'>>): Promise<boolean> {
    const r = await this.db.updateTable('app_clients').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('app_clients').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  list(poolId: string, limit: number, afterId?: string): Promise<AppClientRow[]> {
    let q = this.db.selectFrom('app_clients').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(limit);
    if (afterId) q = q.where('id', '>', afterId);
    return q.execute();
  }
}
