import type { Db } from './store.js';
import type { CodeRow, OutboxRow } from './schema.js';

/** One live code per (user, purpose): a new one replaces the old. */
export class CodeRepo {
  constructor(private readonly db: Db) {}

  async put(row: CodeRow): Promise<void> {
    await this.db
      .insertInto('codes')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['user_id', 'purpose']).doUpdateSet({
          code_hash: row.code_hash,
          expires_at: row.expires_at,
          attempts: 0,
          data: row.data,
          created_at: row.created_at,
          pool_id: row.pool_id,
        }),
      )
      .execute();
  }

  get(userId: string, purpose: string): Promise<CodeRow | undefined> {
    return this.db.selectFrom('codes').selectAll().where('user_id', '=', userId).where('purpose', '=', purpose).executeTakeFirst();
  }

  async countAttempt(userId: string, purpose: string): Promise<void> {
    await this.db
      .updateTable('codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .execute();
  }

  /**
   * Counts one attempt at the code, atomically and only while fewer than `max` were made;
   * false when none is left (or there is no code). Parallel guesses cannot exceed `max`.
   */
  async claimAttempt(userId: string, purpose: string, max: number): Promise<boolean> {
    const r = await this.db
      .updateTable('codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('attempts', '<', max)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Deletes the code; returns false when it was already gone (used: single use under races). */
  async consume(userId: string, purpose: string, codeHash: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('codes')
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async delete(userId: string, purpose: string): Promise<void> {
    await this.db.deleteFrom('codes').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
  }
}

export class TagRepo {
  constructor(private readonly db: Db) {}

  async list(resource: string): Promise<Record<string, string>> {
    const rows = await this.db.selectFrom('tags').select(['key', 'value']).where('resource', '=', resource).orderBy('key').execute();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async put(resource: string, tags: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(tags)) {
      await this.db
        .insertInto('tags')
        .values({ resource, key, value })
        .onConflict((oc) => oc.columns(['resource', 'key']).doUpdateSet({ value }))
        .execute();
    }
  }

  async remove(resource: string, keys: string[]): Promise<void> {
    if (keys.length) await this.db.deleteFrom('tags').where('resource', '=', resource).where('key', 'in', keys).execute();
  }

  async removeAll(resource: string): Promise<void> {
    await this.db.deleteFrom('tags').where('resource', '=', resource).execute();
  }
}

export class OutboxRepo {
  constructor(private readonly db: Db) {}

  async add(row: OutboxRow): Promise<void> {
    await this.db.insertInto('outbox').values(row).execute();
  }

  /** Newest first. */
  list(destination?: string, limit = 50): Promise<OutboxRow[]> {
    let q = this.db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (destination) q = q.where('destination', '=', destination);
    return q.execute();
  }
}

export class SettingRepo {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  /** Sets the value unless one exists; returns the value now stored (first writer wins). */
  async setIfAbsent(key: string, value: string): Promise<string> {
    await this.db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
    return (await this.get(key))!;
  }

  /** Replaces the value if it still is `expected` (compare-and-set); false when it was not. */
  async replaceIf(key: string, expected: string, value: string): Promise<boolean> {
    const r = await this.db.updateTable('settings').set({ value }).where('key', '=', key).where('value', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async set(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
