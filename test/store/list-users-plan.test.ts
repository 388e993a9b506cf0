// ListUsers must stay fast on pools of a million users: every filter path, first page and later
// pages alike, has to be one index range scan that also yields the order (no table scan, no sort
// of the matching rows). This test runs the store's real queries through the planners of both
// engines and reads the plans. (On PostgreSQL, sequential scans, bitmap scans and sorts are
// switched off for the check: on a small table the planner may rightly prefer them, being only
// discouraged, they still appear when no index can serve, and that is what the check catches.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/store/schema.js';
import { openStore, Store } from '../../src/store/store.js';
import type { UserCursor, UserQuery } from '../../src/store/users.js';
import { engines, type Engine } from '../support/server.js';

const POOL = 'us-east-1_planCheck';
const USERS = 1500;

interface Path {
  name: string;
  query: UserQuery | undefined;
  /** The index the plan must use, by engine. */
  index: { sqlite: RegExp; postgres: RegExp };
}

const usersByName = { sqlite: /users_pool_username/, postgres: /users_pool_username/ };
const search = { sqlite: /sqlite_autoindex_user_search_1/, postgres: /user_search_pk/ };
const paths: Path[] = [
  { name: 'no filter', query: undefined, index: usersByName },
  { name: 'username =', query: { on: 'users', column: 'username_norm', op: '=', value: 'user0042' }, index: usersByName },
  { name: 'username ^=', query: { on: 'users', column: 'username_norm', op: '^=', value: 'user01' }, index: usersByName },
  { name: 'sub =', query: { on: 'users', column: 'id', op: '=', value: '00000000-0000-4000-8000-000000000001' }, index: { sqlite: /users_pool_sub|sqlite_autoindex_users_1/, postgres: /users_pool_sub|users_pkey/ } },
  { name: 'sub ^=', query: { on: 'users', column: 'id', op: '^=', value: 'a' }, index: { sqlite: /users_pool_sub|sqlite_autoindex_users_1/, postgres: /users_pool_sub_c/ } },
  { name: 'cognito:user_status =', query: { on: 'users', column: 'status', op: '=', value: 'UNCONFIRMED' }, index: { sqlite: /users_pool_status/, postgres: /users_pool_status/ } },
  { name: 'status = Disabled', query: { on: 'users', column: 'enabled', op: '=', value: 0 }, index: { sqlite: /users_pool_enabled/, postgres: /users_pool_enabled/ } },
  { name: 'email =', query: { on: 'search', attr: 'email', op: '=', value: 'user0042@example.com' }, index: search },
  { name: 'email ^=', query: { on: 'search', attr: 'email', op: '^=', value: 'user01' }, index: search },
  { name: 'family_name = (many equal values)', query: { on: 'search', attr: 'family_name', op: '=', value: 'Common' }, index: search },
  { name: 'given_name ^=', query: { on: 'search', attr: 'given_name', op: '^=', value: 'G' }, index: search },
];

/** A store over a fresh database whose Kysely records every statement it runs, and a way to EXPLAIN one. */
interface Probe {
  store: Store;
  statements: { sql: string; parameters: readonly unknown[] }[];
  explain(sql: string, parameters: readonly unknown[]): Promise<string[]>;
  dispose(): Promise<void>;
}

async function openProbe(engine: Engine): Promise<Probe> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-plan-'));
  const schema = `p_${randomBytes(6).toString('hex')}`;
  const url = process.env.TESSERA_TEST_PG!;
  // openStore creates the schema and runs the migrations; the probe then opens its own connection.
  const migrated = await openStore(engine === 'postgres' ? { dataDir, databaseUrl: url, databaseSchema: schema } : { dataDir });
  await migrated.close();
  const statements: Probe['statements'] = [];
  const log = (e: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
    if (e.level === 'query') statements.push({ sql: e.query.sql, parameters: e.query.parameters });
  };
  if (engine === 'sqlite') {
    const file = new SQLite(join(dataDir, 'tessera.db'));
    file.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }), log });
    return {
      store: new Store(db, 'sqlite', db),
      statements,
      async explain(sql, parameters) {
        file.exec('ANALYZE');
        return file.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(parameters as unknown[])).map((r) => (r as { detail: string }).detail);
      },
      async dispose() {
        await db.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const pgPool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pgPool }), log });
  return {
    store: new Store(db, 'postgres', db),
    statements,
    async explain(sql, parameters) {
      const c = await pgPool.connect();
      try {
        await c.query('ANALYZE');
        await c.query('SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off');
        const r = await c.query(`EXPLAIN ${sql}`, parameters as unknown[]);
        return r.rows.map((row) => row['QUERY PLAN'] as string);
      } finally {
        await c.query('RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_sort');
        c.release();
      }
    },
    async dispose() {
      await db.destroy();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function fill(store: Store): Promise<void> {
  await store.pools.insert({ id: POOL, name: 'plan', config: '{}', created_at: 1, updated_at: 1 });
  await store.transaction(async (tx) => {
    for (let i = 0; i < USERS; i++) {
      const n = String(i).padStart(4, '0');
      await tx.users.insert(
        {
          id: i === 1 ? '00000000-0000-4000-8000-000000000001' : randomUUID(),
          pool_id: POOL,
          username: `user${n}`,
          username_norm: `user${n}`,
          status: i % 7 ? 'CONFIRMED' : 'UNCONFIRMED',
          enabled: i % 11 ? 1 : 0,
          attributes: '{}',
          password: null,
          mfa: '{}',
          created_at: 1,
          updated_at: 1,
          password_updated_at: null,
        },
        [],
        [
          { attr: 'email', value: `user${n}@example.com` },
          { attr: 'family_name', value: i % 2 ? 'Common' : `Rare${n}` },
          { attr: 'given_name', value: `${'ABCDEFGHIJ'[i % 10]}name${n}` },
        ],
      );
    }
  });
}

/** The problems of a plan: anything that reads the table or sorts the matches. */
function planProblems(engine: Engine, plan: string[], index: RegExp): string[] {
  const text = plan.join('\n');
  const problems: string[] = [];
  if (!index.test(text)) problems.push(`does not use ${index}`);
  if (engine === 'sqlite') {
    if (plan.some((l) => /^SCAN /.test(l.trim()))) problems.push('scans a table');
    if (/TEMP B-TREE/.test(text)) problems.push('sorts the matching rows');
  } else {
    if (/Seq Scan/.test(text)) problems.push('scans a table');
    if (/(^|\s|>\s*)(Sort|Incremental Sort)\b/.test(text)) problems.push('sorts the matching rows');
    if (/Bitmap Heap Scan/.test(text)) problems.push('reads the matches unordered (bitmap)');
  }
  return problems;
}

for (const engine of engines) {
  describe(`ListUsers query plans (${engine})`, () => {
    let probe: Probe;
    before(async () => {
      probe = await openProbe(engine);
      await fill(probe.store);
    });
    after(() => probe.dispose());

    for (const path of paths) {
      test(`${path.name}: the first page and a later page are index range scans in index order`, async () => {
        const first = await probe.store.users.list(POOL, path.query, 3);
        assert.ok(first.rows.length > 0, 'the check needs matching users');
        const pages: { label: string; cursor?: UserCursor }[] = [
          { label: 'first page' },
          { label: 'later page', cursor: first.keys[first.keys.length - 1] },
        ];
        for (const page of pages) {
          probe.statements.length = 0;
          await probe.store.users.list(POOL, path.query, 60, page.cursor);
          assert.equal(probe.statements.length, 1, 'one statement per page');
          const { sql, parameters } = probe.statements[0];
          const plan = await probe.explain(sql, parameters);
          assert.deepEqual(planProblems(engine, plan, path.index[engine]), [], `${page.label}\n${sql}\n${plan.join('\n')}`);
        }
      });
    }

    test('the checker itself sees a table scan and a sort', async () => {
      // A query no index serves: proves planProblems would catch a regression.
      const sql = engine === 'sqlite' ? 'select * from users where attributes = ? order by mfa' : 'select * from users where attributes = $1 order by mfa';
      const plan = await probe.explain(sql, ['{}']);
      const problems = planProblems(engine, plan, /users_pool_username/);
      assert.ok(problems.includes('scans a table') || engine === 'postgres', plan.join('\n'));
      assert.ok(problems.includes('sorts the matching rows'), plan.join('\n'));
    });
  });
}
