// The Store contract: one list of behaviours every engine must show, run against SQLite and
// PostgreSQL through openStore, each with a fresh database (SQLite file / PostgreSQL schema).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { UniqueViolation } from '../../src/store/connect.js';
import type { UserRow } from '../../src/store/schema.js';
import { openStore, type Store } from '../../src/store/store.js';
import { engines, type Engine } from '../support/server.js';

/** A store on a fresh database, and how to throw it away. */
async function freshStore(engine: Engine): Promise<{ store: Store; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-store-'));
  const schema = `c_${randomBytes(6).toString('hex')}`;
  const store = await openStore(
    engine === 'postgres' ? { dataDir, databaseUrl: process.env.TESSERA_TEST_PG!, databaseSchema: schema } : { dataDir },
  );
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (engine === 'postgres') {
        const c = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      }
    },
  };
}

let poolSeq = 0;
async function newPool(store: Store): Promise<string> {
  const id = `us-east-1_contract${++poolSeq}`;
  await store.pools.insert({ id, name: id, config: '{}', created_at: 1, updated_at: 1 });
  return id;
}

function userRow(poolId: string, username: string, over: Partial<UserRow> = {}): UserRow {
  return {
    id: randomUUID(),
    pool_id: poolId,
    username,
    username_norm: username.toLowerCase(),
    status: 'CONFIRMED',
    enabled: 1,
    attributes: '{}',
    password: null,
    mfa: '{}',
    created_at: 1000,
    updated_at: 1000,
    password_updated_at: null,
    ...over,
  };
}

async function rejectsUnique(p: Promise<unknown>, table: string) {
  await assert.rejects(p, (e: Error) => {
    assert.ok(e instanceof UniqueViolation, `expected UniqueViolation, got ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.table, table);
    return true;
  });
}

for (const engine of engines) {
  describe(`Store contract (${engine})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    before(async () => ({ store, dispose } = await freshStore(engine)));
    after(() => dispose());

    describe('users', () => {
      test('a user inserted is read back by username, id and alias', async () => {
        const pool = await newPool(store);
        const row = userRow(pool, 'Alice', { attributes: '{"email":"a@x.io"}' });
        await store.users.insert(row, [{ kind: 'email', valueNorm: 'a@x.io' }], [{ attr: 'email', value: 'a@x.io' }]);
        assert.deepEqual(await store.users.getByUsername(pool, 'alice'), row);
        assert.deepEqual(await store.users.getById(pool, row.id), row);
        assert.deepEqual(await store.users.getByAlias(pool, 'email', 'a@x.io'), row);
        assert.deepEqual(await store.users.aliasOwner(pool, 'email', 'a@x.io'), {
          pool_id: pool,
          kind: 'email',
          value_norm: 'a@x.io',
          user_id: row.id,
        });
        assert.equal(await store.users.count(pool), 1);
      });

      test('a user is not found through another pool', async () => {
        const a = await newPool(store);
        const b = await newPool(store);
        const row = userRow(a, 'bob');
        await store.users.insert(row, [{ kind: 'email', valueNorm: 'b@x.io' }], []);
        assert.equal(await store.users.getByUsername(b, 'bob'), undefined);
        assert.equal(await store.users.getById(b, row.id), undefined);
        assert.equal(await store.users.getByAlias(b, 'email', 'b@x.io'), undefined);
      });

      test('update changes the row and replaces aliases and search entries when given', async () => {
        const pool = await newPool(store);
        const row = userRow(pool, 'carol');
        await store.users.insert(row, [{ kind: 'email', valueNorm: 'old@x.io' }], [{ attr: 'email', value: 'old@x.io' }]);
        await store.users.update(
          { id: row.id, pool_id: pool, status: 'UNCONFIRMED', updated_at: 2000 },
          [{ kind: 'email', valueNorm: 'new@x.io' }],
          [{ attr: 'email', value: 'new@x.io' }],
        );
        const got = await store.users.getById(pool, row.id);
        assert.equal(got?.status, 'UNCONFIRMED');
        assert.equal(got?.updated_at, 2000);
        assert.equal(await store.users.getByAlias(pool, 'email', 'old@x.io'), undefined);
        assert.equal((await store.users.getByAlias(pool, 'email', 'new@x.io'))?.id, row.id);
        const found = await store.users.list(pool, { on: 'search', attr: 'email', op: '=', value: 'new@x.io' }, 10);
        assert.deepEqual(found.rows.map((r) => r.id), [row.id]);
        const stale = await store.users.list(pool, { on: 'search', attr: 'email', op: '=', value: 'old@x.io' }, 10);
        assert.equal(stale.rows.length, 0);
      });

      test('update without index lists leaves aliases alone', async () => {
        const pool = await newPool(store);
        const row = userRow(pool, 'dora');
        await store.users.insert(row, [{ kind: 'email', valueNorm: 'd@x.io' }], []);
        await store.users.update({ id: row.id, pool_id: pool, enabled: 0 });
        assert.equal((await store.users.getByAlias(pool, 'email', 'd@x.io'))?.enabled, 0);
      });

      test('delete removes the user and its aliases, and says whether it existed', async () => {
        const pool = await newPool(store);
        const row = userRow(pool, 'eve');
        await store.users.insert(row, [{ kind: 'email', valueNorm: 'e@x.io' }], [{ attr: 'email', value: 'e@x.io' }]);
        assert.equal(await store.users.delete(row.id), true);
        assert.equal(await store.users.delete(row.id), false);
        assert.equal(await store.users.getById(pool, row.id), undefined);
        assert.equal(await store.users.aliasOwner(pool, 'email', 'e@x.io'), undefined);
        // The alias is free again.
        await store.users.insert(userRow(pool, 'eve2'), [{ kind: 'email', valueNorm: 'e@x.io' }], []);
      });

      test('a username is unique per pool: UniqueViolation(users)', async () => {
        const pool = await newPool(store);
        await store.users.insert(userRow(pool, 'frank'), [], []);
        await rejectsUnique(store.users.insert(userRow(pool, 'FRANK'), [], []), 'users');
        // The same username in another pool is fine.
        await store.users.insert(userRow(await newPool(store), 'frank'), [], []);
      });

      test('an alias is unique per pool: UniqueViolation(user_aliases)', async () => {
        const pool = await newPool(store);
        await store.users.insert(userRow(pool, 'gina'), [{ kind: 'email', valueNorm: 'g@x.io' }], []);
        await rejectsUnique(store.users.insert(userRow(pool, 'gino'), [{ kind: 'email', valueNorm: 'g@x.io' }], []), 'user_aliases');
        // Another kind with the same value, or the same alias in another pool, is fine.
        await store.users.insert(userRow(pool, 'gino'), [{ kind: 'preferred_username', valueNorm: 'g@x.io' }], []);
        await store.users.insert(userRow(await newPool(store), 'gina'), [{ kind: 'email', valueNorm: 'g@x.io' }], []);
      });

      test('an alias taken by update is UniqueViolation(user_aliases) and the user keeps its old one', async () => {
        const pool = await newPool(store);
        await store.users.insert(userRow(pool, 'hal'), [{ kind: 'email', valueNorm: 'h@x.io' }], []);
        const ivy = userRow(pool, 'ivy');
        await store.users.insert(ivy, [{ kind: 'email', valueNorm: 'i@x.io' }], []);
        await rejectsUnique(store.users.update({ id: ivy.id, pool_id: pool, updated_at: 5 }, [{ kind: 'email', valueNorm: 'h@x.io' }]), 'user_aliases');
        assert.equal((await store.users.getByAlias(pool, 'email', 'i@x.io'))?.id, ivy.id);
        assert.equal((await store.users.getById(pool, ivy.id))?.updated_at, 1000);
      });

      test('an insert refused for its alias leaves no user behind', async () => {
        const pool = await newPool(store);
        await store.users.insert(userRow(pool, 'jack'), [{ kind: 'email', valueNorm: 'j@x.io' }], []);
        await rejectsUnique(store.users.insert(userRow(pool, 'jill'), [{ kind: 'email', valueNorm: 'j@x.io' }], []), 'user_aliases');
        assert.equal(await store.users.getByUsername(pool, 'jill'), undefined);
        assert.equal(await store.users.count(pool), 1);
      });

      test('two concurrent inserts of one username: one succeeds, one UniqueViolation', async () => {
        const pool = await newPool(store);
        const results = await Promise.allSettled([
          store.users.insert(userRow(pool, 'kim'), [], []),
          store.users.insert(userRow(pool, 'Kim'), [], []),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(refused.length, 1);
        assert.ok(refused[0].reason instanceof UniqueViolation);
        assert.equal(refused[0].reason.table, 'users');
        assert.equal(await store.users.count(pool), 1);
      });

      test('list pages through every user once, in order, with a keyset cursor', async () => {
        const pool = await newPool(store);
        const names = Array.from({ length: 25 }, (_, i) => `user${String(i).padStart(2, '0')}`);
        for (const n of names.slice().reverse()) await store.users.insert(userRow(pool, n), [], []);
        const seen: string[] = [];
        let cursor;
        for (;;) {
          const page = await store.users.list(pool, undefined, 10, cursor);
          seen.push(...page.rows.map((r) => r.username));
          if (page.rows.length < 10) break;
          cursor = page.keys[page.keys.length - 1];
          // A user inserted before the cursor is not seen; one after it is.
          await store.users.insert(userRow(pool, `user00-late${seen.length}`), [], []);
        }
        assert.deepEqual(seen.filter((n) => !n.includes('late')), names);
        assert.equal(new Set(seen).size, seen.length);
      });

      test('list by search entry pages by value then user id, across equal values', async () => {
        const pool = await newPool(store);
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const row = userRow(pool, `same${i}`);
          ids.push(row.id);
          await store.users.insert(row, [], [{ attr: 'family_name', value: 'Smith' }]);
        }
        await store.users.insert(userRow(pool, 'other'), [], [{ attr: 'family_name', value: 'Smythe' }]);
        const seen: string[] = [];
        let cursor;
        for (;;) {
          const page = await store.users.list(pool, { on: 'search', attr: 'family_name', op: '=', value: 'Smith' }, 3, cursor);
          seen.push(...page.rows.map((r) => r.id));
          if (page.rows.length < 3) break;
          cursor = page.keys[page.keys.length - 1];
        }
        assert.deepEqual(seen, ids.slice().sort());
        const prefix = await store.users.list(pool, { on: 'search', attr: 'family_name', op: '^=', value: 'Sm' }, 50);
        assert.equal(prefix.rows.length, 8);
      });
    });

    describe('groups', () => {
      const group = (pool: string, name: string) => ({
        pool_id: pool,
        name,
        description: null,
        role_arn: null,
        precedence: null,
        created_at: 1,
        updated_at: 1,
      });

      test('a group name is unique per pool: UniqueViolation(groups)', async () => {
        const pool = await newPool(store);
        await store.groups.insert(group(pool, 'admins'));
        await rejectsUnique(store.groups.insert(group(pool, 'admins')), 'groups');
        await store.groups.insert(group(await newPool(store), 'admins'));
      });

      test('deleting a user removes its memberships', async () => {
        const pool = await newPool(store);
        await store.groups.insert(group(pool, 'g1'));
        const u = userRow(pool, 'member');
        await store.users.insert(u, [], []);
        await store.groups.addUser(pool, 'g1', u.id);
        await store.groups.addUser(pool, 'g1', u.id); // adding twice is not an error
        assert.deepEqual((await store.groups.listUsers(pool, 'g1', 10)).map((r) => r.id), [u.id]);
        await store.users.delete(u.id);
        assert.deepEqual(await store.groups.listUsers(pool, 'g1', 10), []);
        assert.deepEqual(await store.groups.listForUser(pool, u.id, 10), []);
      });

      test('deleting a group removes its memberships, not its users', async () => {
        const pool = await newPool(store);
        await store.groups.insert(group(pool, 'g2'));
        await store.groups.insert(group(pool, 'g3'));
        const u = userRow(pool, 'member2');
        await store.users.insert(u, [], []);
        await store.groups.addUser(pool, 'g2', u.id);
        await store.groups.addUser(pool, 'g3', u.id);
        assert.equal(await store.groups.delete(pool, 'g2'), true);
        assert.deepEqual((await store.groups.listForUser(pool, u.id, 10)).map((g) => g.name), ['g3']);
        assert.ok(await store.users.getById(pool, u.id));
        // A group of the same name created again starts empty.
        await store.groups.insert(group(pool, 'g2'));
        assert.deepEqual(await store.groups.listUsers(pool, 'g2', 10), []);
      });

      test('groups and members page in a stable order', async () => {
        const pool = await newPool(store);
        for (const n of ['c', 'a', 'b', 'd']) await store.groups.insert(group(pool, n));
        assert.deepEqual((await store.groups.list(pool, 2)).map((g) => g.name), ['a', 'b']);
        assert.deepEqual((await store.groups.list(pool, 2, 'b')).map((g) => g.name), ['c', 'd']);
        const users = [userRow(pool, 'm1'), userRow(pool, 'm2'), userRow(pool, 'm3')];
        for (const u of users) {
          await store.users.insert(u, [], []);
          await store.groups.addUser(pool, 'a', u.id);
        }
        const ids = users.map((u) => u.id).sort();
        const first = await store.groups.listUsers(pool, 'a', 2);
        assert.deepEqual(first.map((u) => u.id), ids.slice(0, 2));
        assert.deepEqual((await store.groups.listUsers(pool, 'a', 2, ids[1])).map((u) => u.id), ids.slice(2));
      });
    });

    describe('codes', () => {
      const code = (pool: string, userId: string, hash: string) => ({
        user_id: userId,
        purpose: 'verify:email',
        pool_id: pool,
        code_hash: hash,
        expires_at: 10_000,
        attempts: 0,
        data: '{}',
        created_at: 1,
      });

      test('a code is consumed once; a second consume or a wrong hash is refused', async () => {
        const pool = await newPool(store);
        const u = userRow(pool, 'coder');
        await store.users.insert(u, [], []);
        await store.codes.put(code(pool, u.id, 'h1'));
        assert.equal(await store.codes.consume(u.id, 'verify:email', 'wrong'), false);
        assert.equal(await store.codes.consume(u.id, 'verify:email', 'h1'), true);
        assert.equal(await store.codes.consume(u.id, 'verify:email', 'h1'), false);
        assert.equal(await store.codes.get(u.id, 'verify:email'), undefined);
      });

      test('concurrent consumes of one code: exactly one wins', async () => {
        const pool = await newPool(store);
        const u = userRow(pool, 'racer');
        await store.users.insert(u, [], []);
        await store.codes.put(code(pool, u.id, 'h'));
        const wins = await Promise.all([1, 2, 3].map(() => store.codes.consume(u.id, 'verify:email', 'h')));
        assert.equal(wins.filter(Boolean).length, 1);
      });

      test('a new code replaces the old one and resets attempts', async () => {
        const pool = await newPool(store);
        const u = userRow(pool, 'recoder');
        await store.users.insert(u, [], []);
        await store.codes.put(code(pool, u.id, 'old'));
        await store.codes.countAttempt(u.id, 'verify:email');
        await store.codes.countAttempt(u.id, 'verify:email');
        assert.equal((await store.codes.get(u.id, 'verify:email'))?.attempts, 2);
        await store.codes.put(code(pool, u.id, 'new'));
        const got = await store.codes.get(u.id, 'verify:email');
        assert.equal(got?.code_hash, 'new');
        assert.equal(got?.attempts, 0);
        assert.equal(await store.codes.consume(u.id, 'verify:email', 'old'), false);
      });

      test("deleting a user deletes its codes", async () => {
        const pool = await newPool(store);
        const u = userRow(pool, 'gone');
        await store.users.insert(u, [], []);
        await store.codes.put(code(pool, u.id, 'h'));
        await store.users.delete(u.id);
        assert.equal(await store.codes.get(u.id, 'verify:email'), undefined);
      });
    });

    describe('tags and settings', () => {
      test('tags are put, overwritten, listed by key and removed', async () => {
        const arn = `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${randomUUID()}`;
        await store.tags.put(arn, { b: '2', a: '1' });
        await store.tags.put(arn, { b: 'two' });
        assert.deepEqual(await store.tags.list(arn), { a: '1', b: 'two' });
        assert.deepEqual(Object.keys(await store.tags.list(arn)), ['a', 'b']);
        await store.tags.remove(arn, ['a', 'missing']);
        assert.deepEqual(await store.tags.list(arn), { b: 'two' });
        await store.tags.removeAll(arn);
        assert.deepEqual(await store.tags.list(arn), {});
      });

      test('setIfAbsent: the first writer wins, even when writers race', async () => {
        const key = `k-${randomUUID()}`;
        const got = await Promise.all(['one', 'two', 'three'].map((v) => store.settings.setIfAbsent(key, v)));
        assert.equal(new Set(got).size, 1);
        assert.equal(await store.settings.get(key), got[0]);
        assert.equal(await store.settings.setIfAbsent(key, 'later'), got[0]);
        await store.settings.set(key, 'forced');
        assert.equal(await store.settings.get(key), 'forced');
      });
    });

    describe('transactions', () => {
      test('a transaction that throws leaves nothing behind', async () => {
        const pool = await newPool(store);
        const u = userRow(pool, 'ghost');
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.users.insert(u, [{ kind: 'email', valueNorm: 'ghost@x.io' }], [{ attr: 'email', value: 'ghost@x.io' }]);
            await tx.groups.insert({ pool_id: pool, name: 'ghosts', description: null, role_arn: null, precedence: null, created_at: 1, updated_at: 1 });
            assert.ok(await tx.users.getById(pool, u.id));
            throw new Error('abort');
          }),
          /abort/,
        );
        assert.equal(await store.users.getById(pool, u.id), undefined);
        assert.equal(await store.users.aliasOwner(pool, 'email', 'ghost@x.io'), undefined);
        assert.equal(await store.groups.get(pool, 'ghosts'), undefined);
        assert.equal(await store.users.count(pool), 0);
      });

      test('a transaction that returns commits every write', async () => {
        const pool = await newPool(store);
        const u = userRow(pool, 'kept');
        const r = await store.transaction(async (tx) => {
          await tx.users.insert(u, [], []);
          await tx.tags.put('res-' + u.id, { k: 'v' });
          return 42;
        });
        assert.equal(r, 42);
        assert.ok(await store.users.getById(pool, u.id));
        assert.deepEqual(await store.tags.list('res-' + u.id), { k: 'v' });
      });

      test('a UniqueViolation inside a transaction rolls the whole transaction back', async () => {
        const pool = await newPool(store);
        await store.users.insert(userRow(pool, 'taken'), [], []);
        const other = userRow(pool, 'fresh');
        await rejectsUnique(
          store.transaction(async (tx) => {
            await tx.users.insert(other, [], []);
            await tx.users.insert(userRow(pool, 'taken'), [], []);
          }),
          'users',
        );
        assert.equal(await store.users.getById(pool, other.id), undefined);
      });
    });
  });
}
