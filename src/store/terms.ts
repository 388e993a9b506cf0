// Rows of app clients' terms documents (migration 016).
import { rethrowUnique } from './connect.js';
import type { Db } from './store.js';
import type { TermsRow } from './schema.js';

export class TermsRepo {
  constructor(private readonly db: Db) {}

  /** Throws UniqueViolation when the client has a document of that name already. */
  async insert(row: TermsRow): Promise<void> {
    try {
      await this.db.insertInto('terms').values(row).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  get(poolId: string, id: string): Promise<TermsRow | undefined> {
    return this.db.selectFrom('terms').selectAll().where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
  }

  ofClient(clientId: string): Promise<TermsRow[]> {
    return this.db.selectFrom('terms').selectAll().where('client_id', '=', clientId).orderBy('name').execute();
  }

  list(poolId: string, limit: number, afterId?: string): Promise<TermsRow[]> {
    let q = this.db.selectFrom('terms').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(limit);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return q.execute();
  }

  /** Throws UniqueViolation when a rename meets another document of the client. */
  async update(poolId: string, id: string, patch: Partial<Pick<TermsRow, 'name' | 'source' | 'enforcement' | 'links' | 'updated_at'>>): Promise<boolean> {
    try {
      const r = await this.db.updateTable('terms').set(patch).where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    } catch (e) {
      rethrowUnique(e);
    }
  }

  async delete(poolId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('terms').where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
