import { sql } from 'kysely';
import type { Engine } from './connect.js';
import { rethrowUnique } from './connect.js';
import type { Db } from './store.js';
import type { UserAliasRow, UserRow } from './schema.js';

/** A searchable attribute value, kept in user_search for ListUsers filters. */
export interface SearchEntry {
  attr: string;
  value: string;
}
export interface AliasEntry {
  kind: string;
  valueNorm: string;
}

/** Where a ListUsers filter looks: a column of users, or the user_search table. */
export type UserQuery =
  | { on: 'users'; column: 'username_norm' | 'id' | 'status' | 'enabled'; op: '=' | '^='; value: string | number }
  | { on: 'search'; attr: string; op: '=' | '^='; value: string };

/** Keyset position: the sort key and the user id of the last row of the previous page. */
export interface UserCursor {
  key: string;
  id: string;
}

const MAX_CHAR = '\u{10FFFF}';

export class UserRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  /**
   * Inserts a user with its aliases and search entries, all or nothing (a refused alias leaves no
   * user behind). Throws UniqueViolation('users' | 'user_aliases').
   */
  async insert(row: UserRow, aliases: AliasEntry[], search: SearchEntry[]): Promise<void> {
    try {
      await this.atomically(async (db) => {
        await db.insertInto('users').values(row).execute();
        await this.writeIndexes(db, row.pool_id, row.id, aliases, search);
      });
    } catch (e) {
      rethrowUnique(e);
    }
  }

  /**
   * Updates the row and, when given, replaces its aliases and search entries, all or nothing (an
   * alias taken by another user leaves the user as it was). Throws UniqueViolation('user_aliases').
   */
  async update(
    row: Pick<UserRow, 'id' | 'pool_id'> & Partial<UserRow>,
    aliases?: AliasEntry[],
    search?: SearchEntry[],
  ): Promise<void> {
    try {
      await this.atomically(async (db) => {
        const { id, pool_id, ...patch } = row;
        if (Object.keys(patch).length) await db.updateTable('users').set(patch).where('id', '=', id).execute();
        if (aliases) await db.deleteFrom('user_aliases').where('user_id', '=', id).execute();
        if (search) await db.deleteFrom('user_search').where('user_id', '=', id).execute();
        await this.writeIndexes(db, pool_id, id, aliases ?? [], search ?? []);
      });
    } catch (e) {
      rethrowUnique(e);
    }
  }

  /**
   * Runs several writes as one: in the caller's transaction when there is one (a failure then
   * aborts that transaction, as it should), else in a transaction of its own.
   */
  private atomically<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? fn(this.db) : this.db.transaction().execute(fn);
  }

  private async writeIndexes(db: Db, poolId: string, userId: string, aliases: AliasEntry[], search: SearchEntry[]) {
    if (aliases.length) {
      await db
        .insertInto('user_aliases')
        .values(aliases.map((a) => ({ pool_id: poolId, kind: a.kind, value_norm: a.valueNorm, user_id: userId })))
        .execute();
    }
    const unique = new Map(search.map((s) => [`${s.attr}\u0000${s.value}`, s]));
    if (unique.size) {
      await db
        .insertInto('user_search')
        .values([...unique.values()].map((s) => ({ pool_id: poolId, attr: s.attr, value: s.value, user_id: userId })))
        .execute();
    }
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  getByUsername(poolId: string, usernameNorm: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('username_norm', '=', usernameNorm)
      .executeTakeFirst();
  }

  getById(poolId: string, id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).where('pool_id', '=', poolId).executeTakeFirst();
  }

  async getByAlias(poolId: string, kind: string, valueNorm: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('user_aliases as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .selectAll('u')
      .where('a.pool_id', '=', poolId)
      .where('a.kind', '=', kind)
      .where('a.value_norm', '=', valueNorm)
      .executeTakeFirst();
  }

  aliasOwner(poolId: string, kind: string, valueNorm: string): Promise<UserAliasRow | undefined> {
    return this.db
      .selectFrom('user_aliases')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('kind', '=', kind)
      .where('value_norm', '=', valueNorm)
      .executeTakeFirst();
  }

  async count(poolId: string): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * One page of users matching `query`, in a stable order, after `cursor`. Every path is one
   * index range scan: (pool_id, column, username_norm) on users, (pool_id, attr, value, user_id)
   * on user_search. Returns the rows and, for each, the sort key that continues after it.
   */
  async list(
    poolId: string,
    query: UserQuery | undefined,
    limit: number,
    cursor?: UserCursor,
  ): Promise<{ rows: UserRow[]; keys: UserCursor[] }> {
    if (query?.on === 'search') {
      let q = this.db
        .selectFrom('user_search as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .selectAll('u')
        .select('s.value as sort_key')
        .where('s.pool_id', '=', poolId)
        .where('s.attr', '=', query.attr);
      if (query.op === '=') q = q.where('s.value', '=', query.value);
      else q = q.where('s.value', '>=', query.value).where('s.value', '<', query.value + MAX_CHAR);
      if (cursor) {
        q = q.where((eb) =>
          eb.or([
            eb('s.value', '>', cursor.key),
            eb.and([eb('s.value', '=', cursor.key), eb('s.user_id', '>', cursor.id)]),
          ]),
        );
      }
      const rows = await q.orderBy('s.value').orderBy('s.user_id').limit(limit).execute();
      return { rows, keys: rows.map((r) => ({ key: r.sort_key, id: r.id })) };
    }
    // On the users table the sort key is username_norm (unique per pool), or id for `sub`.
    const sortCol = query?.column === 'id' ? 'id' : 'username_norm';
    let q = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId);
    if (query) {
      if (query.op === '=') q = q.where(query.column, '=', query.value as never);
      else q = q.where(query.column, '>=', query.value as never).where(query.column, '<', (query.value + MAX_CHAR) as never);
    }
    if (cursor) q = q.where(sortCol, '>', cursor.key);
    const rows = await q.orderBy(sortCol).limit(limit).execute();
    void sql;
    void this.engine;
    return { rows, keys: rows.map((r) => ({ key: r[sortCol], id: r.id })) };
  }

  /** Users by id, for joins done in the domain (group members). */
  async getMany(ids: string[]): Promise<UserRow[]> {
    if (!ids.length) return [];
    return this.db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  }
}
