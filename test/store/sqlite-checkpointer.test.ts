// SQLite: the write-ahead log is copied into the database file by a worker thread, not by the
// request whose commit crosses SQLite's 1000-page threshold (src/store/sqlite-checkpointer.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/store.js';
import type { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { BACKSTOP_PAGES, Checkpointer, INTERVAL_MS } from '../../src/store/sqlite-checkpointer.js';

describe('SQLite checkpoints on a worker thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-checkpoint-'));
  const file = join(dir, 'tessera.db');
  let store: Store;

  before(async () => {
    store = await openStore({ dataDir: dir });
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until `marker` is in the database file itself (not only in its -wal file). */
  async function inDatabaseFile(marker: string, ms: number): Promise<boolean> {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(INTERVAL_MS / 2)) {
      if (readFileSync(file).includes(marker)) return true;
    }
    return false;
  }

  test('the connection checkpoints by itself only as a backstop', async () => {
    const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(store.db);
    assert.equal(rows[0].wal_autocheckpoint, BACKSTOP_PAGES);
  });

  test('the worker runs at nice 10, below the event loop', { skip: process.platform !== 'linux' && 'per-thread nice is Linux' }, async () => {
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    let niced: string[] = [];
    for (let i = 0; i < 100 && !niced.length; i++, await sleep(20)) niced = readdirSync('/proc/self/task').filter((t) => niceOf(t) === 10);
    assert.equal(niced.length, 1);
    assert.equal(niceOf(String(process.pid)), 0, 'the main thread keeps its priority');
  });

  test('a committed row reaches the database file while the connection stays open', async () => {
    await sql`CREATE TABLE checkpoint_probe (v text)`.execute(store.db);
    const marker = `probe-${randomBytes(16).toString('hex')}`;
    await sql`INSERT INTO checkpoint_probe (v) VALUES (${marker})`.execute(store.db);
    // A few pages, far below the backstop: only the worker copies them over.
    assert.ok(existsSync(`${file}-wal`));
    assert.ok(readFileSync(`${file}-wal`).includes(marker), 'the commit went to the log first');
    assert.ok(await inDatabaseFile(marker, 5000), 'the worker checkpointed the log into the database file');
    const { rows } = await sql<{ v: string }>`SELECT v FROM checkpoint_probe`.execute(store.db);
    assert.deepEqual(rows.map((r) => r.v), [marker]);
  });

  test('writes go on while the worker checkpoints, and all of them are kept', async () => {
    await sql`CREATE TABLE checkpoint_load (i integer, pad text)`.execute(store.db);
    const pad = 'x'.repeat(2000);
    const started = Date.now();
    let i = 0;
    while (Date.now() - started < 4 * INTERVAL_MS) {
      await sql`INSERT INTO checkpoint_load (i, pad) VALUES (${i++}, ${pad})`.execute(store.db);
    }
    const { rows } = await sql<{ n: number; s: number }>`SELECT count(*) AS n, sum(i) AS s FROM checkpoint_load`.execute(store.db);
    assert.equal(rows[0].n, i);
    assert.equal(rows[0].s, (i * (i - 1)) / 2);
  });

  test('after close the data is in the database file and opens again', async () => {
    const marker = `closed-${randomBytes(16).toString('hex')}`;
    await sql`INSERT INTO checkpoint_probe (v) VALUES (${marker})`.execute(store.db);
    await store.close();
    // The worker's connection closed first, so the main one was the last and folded the log in.
    assert.ok(!existsSync(`${file}-wal`), 'no log left behind');
    assert.ok(readFileSync(file).includes(marker));
    store = await openStore({ dataDir: dir });
    const { rows } = await sql<{ v: string }>`SELECT v FROM checkpoint_probe WHERE v = ${marker}`.execute(store.db);
    assert.equal(rows.length, 1);
  });
});

describe('SQLite checkpointer worker that dies', () => {
  test('the main connection takes the checkpoints back at the usual threshold, and stopping does not wait', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-checkpoint-dead-'));
    const file = join(dir, 'x.db');
    const main = new SQLite(file);
    try {
      main.pragma('journal_mode = WAL');
      const cp = new Checkpointer(main, file);
      assert.equal(main.pragma('wal_autocheckpoint', { simple: true }), BACKSTOP_PAGES);
      // Let it open the file, then end the thread from outside, as a crash would.
      const inner = cp as unknown as { worker: Worker; state: Int32Array };
      for (let i = 0; i < 100 && Atomics.load(inner.state, 0) !== 1; i++) await sleep(20);
      assert.equal(Atomics.load(inner.state, 0), 1, 'the worker opened the file');
      const worker = inner.worker;
      worker.ref(); // the test waits for its exit
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await worker.terminate();
      await exited;
      await sleep(10);
      assert.equal(main.pragma('wal_autocheckpoint', { simple: true }), 1000);
      const started = Date.now();
      cp.stop();
      assert.ok(Date.now() - started < 500, 'stop() did not wait for a thread that is gone');
    } finally {
      main.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
