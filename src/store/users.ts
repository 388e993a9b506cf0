import { sql } from 'kysely';
import type { Engine } from './connect.js';
import { rethrowUnique } from './connect.js';
import type { Db } from './store.js';
import type { AuthFailureRow, GroupRow, UserAliasRow, UserRow } from './schema.js';
import { compiled } from './compiled.js';
import { useOnceQuery } from './auth.js';
import { failuresFromJson, failuresJson, groupsFromJson, groupsJson } from './json-columns.js';

/** A searchable attribute value, kept in user_search for ListUsers filters. */
export interface SearchEntry {
  attr: string;
  value: string;
}
export interface AliasEntry {
  kind: string;
  valueNorm: string;
}

/** getForSignIn: the user row, its groups, the failure counters of `user:<id>` and of the other subject. */
export interface UserSignInRead {
  row: UserRow;
  groups: GroupRow[];
  failures: [AuthFailureRow | undefined, AuthFailureRow | undefined];
}

/**
 * Where a ListUsers filter looks: a column of users, or the user_search table. `^=` (prefix) is
 * for username_norm, id and search values; status and enabled take `=` only.
 */
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

  async getByUsername(poolId: string, usernameNorm: string): Promise<UserRow | undefined> {
    return (await userByUsername(this.db, poolId, usernameNorm))[0];
  }

  async getById(poolId: string, id: string): Promise<UserRow | undefined> {
    return (await userById(this.db, poolId, id))[0];
  }

  /**
   * The user by id, for a write that depends on what it reads: inside a transaction on PostgreSQL
   * the row stays locked until the end, so a concurrent change waits instead of being overwritten.
   * FOR NO KEY UPDATE, the lock a plain UPDATE takes: writers queue behind it, while rows that
   * refer to the user (a provider link, a device; their foreign key checks take KEY SHARE) can
   * still be written, so a transaction that inserts such a row and then saves the user does not
   * deadlock with another doing the same. SQLite runs one write transaction at a time anyway.
   */
  async getByIdForUpdate(poolId: string, id: string): Promise<UserRow | undefined> {
    if (this.engine !== 'postgres') return this.getById(poolId, id);
    return this.db.selectFrom('users').selectAll().where('id', '=', id).where('pool_id', '=', poolId).forNoKeyUpdate().executeTakeFirst();
  }

  /**
   * A sign-in's user read (by id, by normalized username or by an alias) with what the sign-in needs next, in
   * one statement: the user's groups (the token claims) and the failure counters of `user:<id>`
   * and of `otherSubject` (lockout.ts; the client's address). With `claim` (an SRP answer's
   * challenge id) the id is also recorded as used, as AuthRepo.useOnce does: by id on PostgreSQL in
   * the same statement (a data-modifying WITH), else just before; `claimed` is false for a replay.
   */
  async getForSignIn(
    poolId: string,
    by: { id: string } | { usernameNorm: string } | { alias: { kind: string; valueNorm: string } },
    otherSubject: string,
    claim?: { jti: string; expiresAt: number },
  ): Promise<{ read?: UserSignInRead; claimed?: boolean }> {
    const pg = this.engine === 'postgres';
    let claimed: boolean | undefined;
    let rows: Record<string, unknown>[];
    if ('id' in by && claim && pg) {
      rows = await signInByIdClaiming(this.db, claim.jti, claim.expiresAt, poolId, by.id, otherSubject);
      claimed = Number(rows[0]?.x_fresh) > 0;
    } else {
      if (claim) claimed = (await useOnceQuery(this.db, claim.jti, claim.expiresAt)).length > 0;
      rows =
        'id' in by
          ? await (pg ? signInById.postgres : signInById.sqlite)(this.db, poolId, by.id, otherSubject)
          : 'alias' in by
            ? await (pg ? signInByAlias.postgres : signInByAlias.sqlite)(this.db, poolId, by.alias.kind, by.alias.valueNorm, otherSubject)
            : await (pg ? signInByUsername.postgres : signInByUsername.sqlite)(this.db, poolId, by.usernameNorm, otherSubject);
    }
    const row = rows[0];
    if (!row || row.id == null) return { claimed };
    const { x_groups, x_failures, x_fresh, ...user } = row;
    void x_fresh;
    const failures = failuresFromJson(x_failures);
    const read: UserSignInRead = {
      row: user as unknown as UserRow,
      groups: groupsFromJson(x_groups),
      failures: [failures.find((f) => f.subject === `user:${String(user.id)}`), failures.find((f) => f.subject === otherSubject)],
    };
    return { read, claimed };
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
   * index range scan that also gives the order, so a page costs the same at the start and at the
   * end of a million users:
   *   no query, username_norm     (pool_id, username_norm)               order username_norm
   *   status / enabled (`=` only)  (pool_id, status|enabled, username_norm) order username_norm
   *   id (sub)                     (pool_id, id) [C-collated on PostgreSQL] order id
   *   user_search                  (pool_id, attr, value, user_id)          order value, user_id
   * Returns the rows and, for each, the cursor that continues after it: `key` is the sort key
   * (username_norm, id or the searched value), `id` the user id (the tie-breaker on user_search).
   */
  async list(
    poolId: string,
    query: UserQuery | undefined,
    limit: number,
    cursor?: UserCursor,
  ): Promise<{ rows: UserRow[]; keys: UserCursor[] }> {
    if (query?.on === 'search') return this.listBySearch(poolId, query, limit, cursor);
    if (query && query.op === '^=' && typeof query.value !== 'string') throw new Error('a prefix needs a string');
    if (query?.column === 'id') {
      // Prefix ranges must compare bytes: on PostgreSQL the id column has the database's
      // collation, so `sub` is compared and ordered through its C-collated index (migration 006).
      const id = this.engine === 'postgres' ? sql<string>`${sql.ref('id')} collate "C"` : sql<string>`${sql.ref('id')}`;
      let q = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId);
      if (query.op === '=') {
        // One user at most: nothing to order or continue.
        q = q.where('id', '=', String(query.value));
        if (cursor) q = q.where('id', '>', cursor.key);
      } else {
        // One lower bound only (the cursor, or else the prefix): with two, SQLite's planner may
        // leave the index order and sort the range.
        const after = cursor && cursor.key >= String(query.value) ? cursor.key : undefined;
        q = q
          .where(id, after === undefined ? '>=' : '>', after ?? String(query.value))
          .where(id, '<', query.value + MAX_CHAR)
          .orderBy(id);
      }
      const rows = await q.limit(limit).execute();
      return { rows, keys: rows.map((r) => ({ key: r.id, id: r.id })) };
    }
    let q = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId);
    if (query?.column === 'username_norm') {
      if (query.op === '=') q = q.where('username_norm', '=', String(query.value));
      else q = q.where('username_norm', '>=', String(query.value)).where('username_norm', '<', query.value + MAX_CHAR);
    } else if (query) {
      // status and enabled are matched exactly (the domain turns a prefix on a status into the
      // statuses it names): the index then delivers rows in username order.
      if (query.op !== '=') throw new Error(`only = is supported on ${query.column}`);
      q = q.where(query.column, '=', query.value as never);
    }
    if (cursor) q = q.where('username_norm', '>', cursor.key);
    const rows = await q.orderBy('username_norm').limit(limit).execute();
    return { rows, keys: rows.map((r) => ({ key: r.username_norm, id: r.id })) };
  }

  private async listBySearch(
    poolId: string,
    query: Extract<UserQuery, { on: 'search' }>,
    limit: number,
    cursor?: UserCursor,
  ): Promise<{ rows: UserRow[]; keys: UserCursor[] }> {
    let q = this.db
      .selectFrom('user_search as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select('s.value as sort_key')
      .where('s.pool_id', '=', poolId)
      .where('s.attr', '=', query.attr);
    if (query.op === '=') {
      // One value: the index continues at the user id.
      q = q.where('s.value', '=', query.value);
      if (cursor) q = q.where('s.user_id', '>', cursor.id);
    } else {
      q = q.where('s.value', '>=', query.value).where('s.value', '<', query.value + MAX_CHAR);
      // A row-value comparison, which both engines turn into one index range (an OR of the two
      // halves would make SQLite read and sort the whole rest of the range on every page).
      if (cursor) q = q.where(({ eb, refTuple, tuple }) => eb(refTuple('s.value', 's.user_id'), '>', tuple(cursor.key, cursor.id)));
    }
    const found = await q.orderBy('s.value').orderBy('s.user_id').limit(limit).execute();
    const rows: UserRow[] = [];
    const keys: UserCursor[] = [];
    for (const { sort_key, ...row } of found) {
      rows.push(row);
      keys.push({ key: sort_key, id: row.id });
    }
    return { rows, keys };
  }

  /** Users by id, for joins done in the domain (group members). */
  async getMany(ids: string[]): Promise<UserRow[]> {
    if (!ids.length) return [];
    return this.db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  }
}

// The sign-in paths' user reads, compiled once (compiled.ts).
const userByUsername = compiled((db, poolId: string, usernameNorm: string) =>
  db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_norm', '=', usernameNorm),
);
const userById = compiled((db, poolId: string, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).where('pool_id', '=', poolId));

/** getForSignIn's queries, per engine and key: the user row, x_groups and x_failures. */
function signInRead(engine: Engine, db: Db, poolId: string, other: string) {
  return db
    .selectFrom('users as u')
    .selectAll('u')
    .select(groupsJson(engine, 'u.id', 'u.pool_id').as('x_groups'))
    .select(failuresJson(engine, 'u.pool_id', [sql`'user:' || u.id`, sql`${other}`]).as('x_failures'))
    .where('u.pool_id', '=', poolId);
}
const signInById = {
  postgres: compiled((db, poolId: string, id: string, other: string) => signInRead('postgres', db, poolId, other).where('u.id', '=', id)),
  sqlite: compiled((db, poolId: string, id: string, other: string) => signInRead('sqlite', db, poolId, other).where('u.id', '=', id)),
};
/** getForSignIn by id with a challenge to claim (PostgreSQL): one row always, the user's columns null when there is none. */
const signInByIdClaiming = compiled((db, jti: string, expiresAt: number, poolId: string, id: string, other: string) =>
  db
    .with('used', (w) => w.insertInto('auth_used_challenges').values({ jti, expires_at: expiresAt }).onConflict((oc) => oc.column('jti').doNothing()).returning('jti'))
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one'))
    .leftJoin('users as u', (j) => j.on('u.id', '=', id).on('u.pool_id', '=', poolId))
    .selectAll('u')
    .select(sql<number>`(select count(*) from used)`.as('x_fresh'))
    .select(groupsJson('postgres', 'u.id', 'u.pool_id').as('x_groups'))
    .select(failuresJson('postgres', 'u.pool_id', [sql`'user:' || u.id`, sql`${other}`]).as('x_failures')),
);
const signInByAlias = {
  postgres: compiled((db, poolId: string, kind: string, norm: string, other: string) => signInRead('postgres', db, poolId, other).where('u.id', '=', aliasOwnerIdQuery(db, poolId, kind, norm))),
  sqlite: compiled((db, poolId: string, kind: string, norm: string, other: string) => signInRead('sqlite', db, poolId, other).where('u.id', '=', aliasOwnerIdQuery(db, poolId, kind, norm))),
};
const aliasOwnerIdQuery = (db: Db, poolId: string, kind: string, norm: string) =>
  db.selectFrom('user_aliases as a').select('a.user_id').where('a.pool_id', '=', poolId).where('a.kind', '=', kind).where('a.value_norm', '=', norm);
const signInByUsername = {
  postgres: compiled((db, poolId: string, norm: string, other: string) => signInRead('postgres', db, poolId, other).where('u.username_norm', '=', norm)),
  sqlite: compiled((db, poolId: string, norm: string, other: string) => signInRead('sqlite', db, poolId, other).where('u.username_norm', '=', norm)),
};
