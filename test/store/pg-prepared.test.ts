// PostgreSQL: data statements with bound values run as named prepared statements (parsed and
// planned once per connection), everything else unnamed, and a plan made stale by a schema change
// from elsewhere is re-planned instead of failing the request (src/store/pg-prepared.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.js';

const PG = process.env.TESSERA_TEST_PG;

describe('PostgreSQL named prepared statements', { skip: !PG && 'TESSERA_TEST_PG is not set' }, () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'tessera-prepared-'));
  let store: Store;
  let admin: pg.Client;

  before(async () => {
    // One connection: every statement below meets the statements prepared before it.
    store = await openStore({ dataDir: dir, databaseUrl: PG!, databaseSchema: schema, poolSize: 1 });
    admin = new pg.Client({ connectionString: PG! });
    await admin.connect();
  });
  after(async () => {
    await store?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const prepared = async () =>
    (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(store.db)).rows;

  test('a data statement with values is prepared once and answers as before', async () => {
    const q = (id: string) => store.db.selectFrom('users').select('id').where('pool_id', '=', id).execute();
    assert.deepEqual(await q('us-east-1_none'), []);
    const first = (await prepared()).filter((r) => r.statement.includes('from "users"'));
    assert.equal(first.length, 1, 'the users query is a named statement of the connection');
    assert.match(first[0].name, /^t_/);
    assert.deepEqual(await q('us-east-1_other'), []);
    const again = (await prepared()).filter((r) => r.statement.includes('from "users"'));
    assert.deepEqual(again, first, 'the second run reuses the statement instead of preparing another');
  });

  test('statements without values, schema changes and transaction control stay unnamed', async () => {
    await sql`create table plain (id text primary key)`.execute(store.db);
    await sql`select count(*) from plain`.execute(store.db);
    await store.db.transaction().execute(async (tx) => {
      await sql`insert into plain (id) values (${'a'})`.execute(tx);
    });
    const texts = (await prepared()).map((r) => r.statement);
    assert.ok(texts.some((t) => t.startsWith('insert into plain')), 'the insert with a value is named');
    assert.ok(!texts.some((t) => /create table|count\(\*\)|^begin|^commit/i.test(t)), texts.join('\n'));
  });

  test('a plan made stale by another process adding a column, or a dropped statement, is re-planned, not an error', async () => {
    await sql`create table stale (id text primary key, a text)`.execute(store.db);
    await sql`insert into stale (id, a) values (${'k'}, ${'one'})`.execute(store.db);
    const read = () => sql<Record<string, unknown>>`select * from stale where id = ${'k'}`.execute(store.db);
    assert.deepEqual((await read()).rows, [{ id: 'k', a: 'one' }]);
    // Another process migrates: the prepared `select *` now returns a different row type.
    await admin.query(`ALTER TABLE ${schema}.stale ADD COLUMN b text NOT NULL DEFAULT 'two'`);
    assert.deepEqual((await read()).rows, [{ id: 'k', a: 'one', b: 'two' }]);
    // A statement the server dropped (DEALLOCATE, DISCARD ALL, a pooler) is re-sent unnamed too.
    const users = () => store.db.selectFrom('users').select('id').where('pool_id', '=', 'us-east-1_gone').execute();
    assert.deepEqual(await users(), []);
    await sql`deallocate all`.execute(store.db);
    assert.deepEqual(await users(), []);
    // From then on the text goes unnamed on this connection, inside transactions too.
    await store.db.transaction().execute(async (tx) => {
      const r = await sql<Record<string, unknown>>`select * from stale where id = ${'k'}`.execute(tx);
      assert.deepEqual(r.rows, [{ id: 'k', a: 'one', b: 'two' }]);
    });
  });

  test('TESSERA_DATABASE_PREPARED_STATEMENTS=false: nothing is named', async () => {
    const off = await openStore({ dataDir: dir, databaseUrl: PG!, databaseSchema: schema, poolSize: 1, preparedStatements: false });
    try {
      await off.db.selectFrom('users').select('id').where('pool_id', '=', 'us-east-1_off').execute();
      const names = (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(off.db)).rows;
      assert.deepEqual(names, []);
    } finally {
      await off.close();
    }
  });
});
