// The sign-in counters and single-use challenge ids behave alike on every engine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.js';
import { engines } from '../support/server.js';

for (const engine of engines) {
  describe(`auth repository (${engine})`, () => {
    let store: Store;
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-auth-repo-'));
    const schema = `a_${randomBytes(6).toString('hex')}`;
    before(async () => {
      store = await openStore(
        engine === 'postgres' ? { dataDir, databaseUrl: process.env.TESSERA_TEST_PG!, databaseSchema: schema } : { dataDir },
      );
    });
    after(async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (engine === 'postgres') {
        const c = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      }
    });

    test('failures add up per subject and start over after the window', async () => {
      assert.equal((await store.auth.countFailure('p1', 'user:a', 1000, 60_000)).failures, 1);
      assert.equal((await store.auth.countFailure('p1', 'user:a', 2000, 60_000)).failures, 2);
      assert.equal((await store.auth.countFailure('p1', 'user:b', 2000, 60_000)).failures, 1);
      assert.equal((await store.auth.countFailure('p2', 'user:a', 2000, 60_000)).failures, 1);
      const later = await store.auth.countFailure('p1', 'user:a', 2000 + 60_001, 60_000);
      assert.deepEqual([later.failures, later.last_failed_at], [1, 62_001]);
      const [a, b] = await store.auth.failures('p1', 'user:a', 'user:b');
      assert.deepEqual([a?.subject, a?.failures, b?.subject, b?.failures], ['user:a', 1, 'user:b', 1]);
      const [none, alsoA] = await store.auth.failures('p1', 'user:zz', 'user:a');
      assert.deepEqual([none, alsoA?.failures], [undefined, 1]);
    });

    test('concurrent failures are all counted', async () => {
      await Promise.all(Array.from({ length: 20 }, () => store.auth.countFailure('p1', 'ip:1.2.3.4', 5000, 60_000)));
      assert.equal((await store.auth.failures('p1', 'ip:1.2.3.4', 'user:none'))[0]?.failures, 20);
      await store.auth.clearFailures('p1', 'ip:1.2.3.4');
      assert.equal((await store.auth.failures('p1', 'ip:1.2.3.4', 'user:none'))[0], undefined);
    });

    test('a challenge id is used once, even by racing callers', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => store.auth.useOnce('jti-1', 10_000)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await store.auth.useOnce('jti-1', 10_000), false);
      await store.auth.pruneUsed(10_001);
      assert.equal(await store.auth.useOnce('jti-1', 20_000), true);
    });
  });
}
