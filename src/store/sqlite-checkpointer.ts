// SQLite's write-ahead log, copied back into the database file off the event loop.
//
// In WAL mode a commit appends pages to the -wal file; a checkpoint later copies them into the
// database file and syncs it. By default the connection whose commit takes the log past 1000 pages
// runs that checkpoint then and there. better-sqlite3 is synchronous, so the request that happens
// to commit waits for a few hundred page copies and two fsyncs, and so does every other request:
// under sign-in load that was about a sixth of the event loop's time (bench/signin.ts).
//
// Here a worker thread with its own connection to the same file runs PASSIVE checkpoints every
// INTERVAL_MS: PASSIVE never waits for the writer and never blocks it, it copies what it can. The
// main connection keeps its automatic checkpoint, only at BACKSTOP_PAGES instead of 1000, for when
// the worker falls behind, has died or has not started yet; when the worker keeps up it never
// fires. The worker runs at nice 10 (Linux, per thread): it takes what CPU the loop leaves.
//
// The worker is plain CommonJS evaluated from a string (as in crypto/workers.ts), with
// better-sqlite3 resolved from here and passed in.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the worker checkpoints. */
export const INTERVAL_MS = 100;
/** The main connection's own automatic checkpoint, in pages, while the worker runs. */
export const BACKSTOP_PAGES = 8000;
const SQLITE_DEFAULT_PAGES = 1000;
const WORKER_NICE = 10;

/** How long close() waits for the worker's connection to close. */
const STOP_WAIT_MS = 2000;

// The state word shared with the worker: STARTING until it opens the file (OPEN), CANCELLED when
// stop() came first (the worker then never opens it), CLOSED once its connection is closed.
const STARTING = 0;
const OPEN = 1;
const CLOSED = 2;
const CANCELLED = 3;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const state = new Int32Array(workerData.state);
const closed = () => { Atomics.store(state, 0, ${CLOSED}); Atomics.notify(state, 0); };
try {
  // /proc/thread-self -> <pid>/task/<tid>; anything else is left alone (a pid would renice the loop).
  const parts = require('node:fs').readlinkSync('/proc/thread-self').split('/');
  if (parts.length >= 2 && parts[parts.length - 2] === 'task') require('node:os').setPriority(Number(parts[parts.length - 1]), workerData.nice);
} catch {}
let db;
if (Atomics.compareExchange(state, 0, ${STARTING}, ${OPEN}) !== ${STARTING}) process.exit(0);
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
} catch {
  closed();
  process.exit(0);
}
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
}, workerData.interval);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  try { db.close(); } catch {}
  closed();
  parentPort.close();
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private stopping = false;

  /** Starts checkpointing `file` (a WAL-mode database `main` has open) from a worker thread. */
  constructor(main: SQLite.Database, file: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file, interval: INTERVAL_MS, nice: WORKER_NICE, state: this.state.buffer },
      execArgv: [],
    });
    this.worker.unref();
    // A worker that cannot open the file, or dies, hands the work back to the main connection at
    // SQLite's usual threshold, and stop() no longer waits for it.
    this.worker.on('error', () => {});
    main.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.worker.once('exit', () => {
      Atomics.compareExchange(this.state, 0, OPEN, CLOSED);
      if (!this.stopping && main.open) main.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`);
    });
  }

  /**
   * Ends the worker and returns once its connection is closed (synchronously: the driver's close
   * is). A worker that has not opened the file yet never will.
   */
  stop(): void {
    this.stopping = true;
    const was = Atomics.compareExchange(this.state, 0, STARTING, CANCELLED);
    if (was !== OPEN) return;
    this.worker.postMessage('stop');
    Atomics.wait(this.state, 0, OPEN, STOP_WAIT_MS);
  }
}
