// TESSERA_DATABASE_POOL_SIZE: how many PostgreSQL connections one process keeps (10 by default).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { startServer } from '../support/server.js';

const PG = process.env.TESSERA_TEST_PG;

describe('PostgreSQL pool size', { skip: !PG && 'TESSERA_TEST_PG is not set' }, () => {
  /** The distinct server processes that answer 12 concurrent slow queries. */
  async function backends(env: Record<string, string>): Promise<number> {
    const s = await startServer({ engine: 'postgres', env });
    try {
      const q = () => sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(s.app.store.db);
      const rows = await Promise.all(Array.from({ length: 12 }, q));
      return new Set(rows.map((r) => r.rows[0]!.pid)).size;
    } finally {
      await s.close();
    }
  }

  test('the setting caps the connections; the default is 10', async () => {
    assert.equal(await backends({ TESSERA_DATABASE_POOL_SIZE: '2' }), 2);
    assert.equal(await backends({}), 10);
  });
});
