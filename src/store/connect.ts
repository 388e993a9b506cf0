// Opens the one database Tessera runs on: embedded SQLite in the data folder by default, or
// PostgreSQL when TESSERA_DATABASE_URL is set. Applies pending migrations before returning.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { observeQuery } from '../metrics/metrics.js';
import { PreparedStatements } from './pg-prepared.js';
import { Checkpointer } from './sqlite-checkpointer.js';

export type Engine = 'sqlite' | 'postgres';

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema (created when missing); tests give each run its own. */
  databaseSchema?: string;
  /** SQLite file name inside dataDir, or ':memory:'. */
  sqliteFile?: string;
  poolSize?: number;
  /** PostgreSQL: named prepared statements (default true). */
  preparedStatements?: boolean;
}

// int8 columns hold epoch milliseconds and counts: safe as JS numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: StoreOptions): Promise<{ db: Kysely<Database>; engine: Engine }> {
  if (opts.databaseUrl) {
    const schema = opts.databaseSchema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    if (schema) {
      const c = new pg.Client({ connectionString: opts.databaseUrl });
      await c.connect();
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await c.end();
    }
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const prepared = new PreparedStatements();
    if (opts.preparedStatements !== false) prepared.install(pool);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: observeQuery });
    await migrate(db, 'postgres');
    prepared.enable();
    return { db, engine: 'postgres' };
  }
  const file = opts.sqliteFile ?? 'tessera.db';
  if (file !== ':memory:') mkdirSync(opts.dataDir, { recursive: true });
  const path = file === ':memory:' ? file : join(opts.dataDir, file);
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // After a burst the log file is cut back to this size once it restarts.
  sqlite.pragma(`journal_size_limit = ${8 * 1024 * 1024}`);
  // Checkpoints run on a worker thread (sqlite-checkpointer.ts), not in whichever request commits;
  // without one (a worker that cannot start), SQLite's own automatic checkpoint does the work.
  let checkpointer: Checkpointer | undefined;
  try {
    if (path !== ':memory:') checkpointer = new Checkpointer(sqlite, path);
  } catch {
    checkpointer = undefined;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, checkpointer) }), log: observeQuery });
  await migrate(db, 'sqlite');
  return { db, engine: 'sqlite' };
}

/** Prepared statements kept per SQL text (FIFO, bounded): preparing costs more than running most queries. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely's SQLite driver sees it, with `prepare` answered from a cache: the driver
 * prepares every query anew, and SQL text repeats (parameters are bound, never inlined). A cached
 * statement is only reused when it is not in the middle of an iteration (`busy`); SQLite
 * re-prepares it by itself after a schema change.
 */
function withStatementCache(sqlite: SQLite.Database, checkpointer?: Checkpointer): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit && !hit.busy) return hit;
      const stmt = sqlite.prepare(text);
      if (!hit) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(text, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      // The worker's connection first: then this one is the last, and closing it folds the log in.
      checkpointer?.stop();
      sqlite.close();
    },
  };
}

async function migrate(db: Kysely<Database>, engine: Engine): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Several processes may start at once on one PostgreSQL: one migrates, the others wait.
    if (engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(7412093)`.execute(trx);
    await trx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const done = new Set(
      (await (trx as Kysely<any>).selectFrom('schema_migrations').select('name').execute()).map((r) => r.name),
    );
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await m.up(trx, engine);
      await (trx as Kysely<any>)
        .insertInto('schema_migrations')
        .values({ name: m.name, applied_at: new Date().toISOString() })
        .execute();
    }
  });
}

/** A write that broke a unique constraint; `table` says which (users, user_aliases, groups, ...). */
export class UniqueViolation extends Error {
  constructor(readonly table: string) {
    super(`unique constraint on ${table}`);
  }
}

/**
 * Whether PostgreSQL ended the transaction to break a deadlock (40P01) or a serialization failure
 * (40001): the work can be done again from the start.
 */
export function isTransientConflict(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === '40P01' || code === '40001';
}

/** Translates the engines' unique-violation errors into UniqueViolation, rethrows the rest. */
export function rethrowUnique(e: unknown): never {
  const err = e as { code?: string; message?: string; table?: string; constraint?: string };
  if (err?.code === '23505') {
    const table = err.table ?? (err.constraint ?? '').replace(/_(pk|pool_username)$/, '');
    throw new UniqueViolation(table);
  }
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT_') && /UNIQUE|PRIMARYKEY/.test(err.code)) {
    const m = /constraint failed: (\w+)\./.exec(err.message ?? '');
    throw new UniqueViolation(m?.[1] ?? 'unknown');
  }
  throw e;
}
