// Seeds a user pool with many users fast: rows built by the domain's own translations (userToRow,
// aliasEntries, searchEntries — the same rows AdminCreateUser writes) and written through the
// store in big transactions of multi-row INSERTs into users, user_aliases and user_search.
//
// Users are `user<i>` with e-mail `user<i>@example.com` (verified: an alias when the pool has
// AliasAttributes email) and name `User <i>`, CONFIRMED and enabled. Every user gets the same
// sealed SRP verifier, made once (its password does not work for them: the verifier binds the
// username). Users that must be able to sign in get their own verifier through `passwordFor`.
import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { App } from '../../src/app.js';
import { makeVerifier, type Verifier } from '../../src/crypto/srp.js';
import type { Database, UserRow } from '../../src/store/schema.js';
import type { AliasEntry, SearchEntry } from '../../src/store/users.js';
import { aliasEntries, normalizeUsername, searchEntries } from '../../src/userpools/indexes.js';
import type { UserPool } from '../../src/userpools/pools.js';
import { PASSWORD_PURPOSE, userToRow, type User } from '../../src/userpools/user.js';

export interface SeedOptions {
  /** Users per transaction. */
  batch?: number;
  /** Transactions in flight at once (PostgreSQL only; SQLite has one writer). */
  parallel?: number;
  /** Own verifiers for these indexes (users who will sign in). */
  passwordFor?: (i: number) => Verifier | undefined;
  progress?: (done: number) => void;
}

// Bound parameters per statement: SQLite allows 32766.
const MAX_PARAMS = { sqlite: 32_000 } as const;

export const SEED_PASSWORD = 'Seed-Passw0rd!';

export interface SeedResult {
  seconds: number;
  /** CPU seconds of this process (building rows; on SQLite also the database's work). */
  cpuSeconds: number;
}

/** Inserts users [from, to) into `pool`. */
export async function seedUsers(app: App, pool: UserPool, from: number, to: number, opts: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const engine = app.store.engine;
  const batch = opts.batch ?? 20_000;
  const parallel = engine === 'postgres' ? (opts.parallel ?? 2) : 1;
  const shared = app.sealer.sealJson(PASSWORD_PURPOSE, { kind: 'srp', ...makeVerifier(pool.srpName, 'seed', SEED_PASSWORD) });
  const now = app.clock.now();

  const build = (lo: number, hi: number) => {
    const users: UserRow[] = [];
    const aliases: { pool_id: string; kind: string; value_norm: string; user_id: string }[] = [];
    const search: { pool_id: string; attr: string; value: string; user_id: string }[] = [];
    for (let i = lo; i < hi; i++) {
      const username = `user${i}`;
      const user: User = {
        id: randomUUID(),
        poolId: pool.id,
        username,
        usernameNorm: normalizeUsername(pool, username),
        status: 'CONFIRMED',
        enabled: true,
        attributes: { email: `${username}@example.com`, email_verified: 'true', name: `User ${i}` },
        mfa: {},
        createdAt: now,
        updatedAt: now,
        passwordUpdatedAt: now,
      };
      const own = opts.passwordFor?.(i);
      if (own) user.password = { kind: 'srp', ...own };
      const row = userToRow(user, app.sealer);
      if (!own) row.password = shared;
      users.push(row);
      for (const a of aliasEntries(pool, user) as AliasEntry[]) aliases.push({ pool_id: pool.id, kind: a.kind, value_norm: a.valueNorm, user_id: user.id });
      for (const s of searchEntries(user) as SearchEntry[]) search.push({ pool_id: pool.id, attr: s.attr, value: s.value, user_id: user.id });
    }
    // In key order: each INSERT then walks its B-trees left to right instead of at random.
    users.sort((a, b) => (a.id < b.id ? -1 : 1));
    aliases.sort((a, b) => (a.value_norm < b.value_norm ? -1 : 1));
    search.sort((a, b) => (a.attr < b.attr ? -1 : a.attr > b.attr ? 1 : a.value < b.value ? -1 : 1));
    return { users, aliases, search };
  };

  // Compiled by hand (Kysely's builder spends more time on 30 000 values than SQLite on the rows)
  // and run on the transaction's connection. PostgreSQL takes the batch as one JSON parameter
  // expanded by json_populate_recordset into the table's own row type.
  const insertAll = async (db: Kysely<Database>, tableName: keyof Database, rows: object[]) => {
    if (!rows.length) return;
    const cols = Object.keys(rows[0]);
    if (engine === 'postgres') {
      const list = cols.map((c) => `"${c}"`).join(', ');
      await db.executeQuery(
        CompiledQuery.raw(`insert into "${tableName}" (${list}) select ${list} from json_populate_recordset(null::"${tableName}", $1::json)`, [JSON.stringify(rows)]),
      );
      return;
    }
    const per = Math.floor(MAX_PARAMS.sqlite / cols.length);
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per) as Record<string, unknown>[];
      const tuple = `(${cols.map(() => '?').join(',')})`;
      const params: unknown[] = [];
      for (const r of chunk) for (const c of cols) params.push(r[c]);
      await db.executeQuery(CompiledQuery.raw(`insert into "${tableName}" (${cols.map((c) => `"${c}"`).join(', ')}) values ${chunk.map(() => tuple).join(',')}`, params));
    }
  };

  // SQLite: a big page cache while loading (random ids touch pages all over the indexes), set back
  // to what the store had before measuring.
  let cacheSize: number | undefined;
  if (engine === 'sqlite') {
    cacheSize = (await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(app.store.db)).rows[0].cache_size;
    await sql`PRAGMA cache_size = -524288`.execute(app.store.db);
  }

  let done = 0;
  let nextLo = from;
  const worker = async () => {
    while (nextLo < to) {
      const lo = nextLo;
      const hi = Math.min(to, lo + batch);
      nextLo = hi;
      const rows = build(lo, hi);
      await app.store.transaction(async (tx) => {
        const db = tx.db as Kysely<Database>;
        await insertAll(db, 'users', rows.users);
        await insertAll(db, 'user_aliases', rows.aliases);
        await insertAll(db, 'user_search', rows.search);
      });
      done += hi - lo;
      opts.progress?.(done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  if (engine === 'postgres') {
    // Fresh statistics, as autovacuum would have them soon after a bulk load. (SQLite is left
    // without sqlite_stat1, as Tessera runs it.)
    await sql`ANALYZE users, user_aliases, user_search`.execute(app.store.db);
  } else {
    await sql.raw(`PRAGMA cache_size = ${cacheSize}`).execute(app.store.db);
  }
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}
