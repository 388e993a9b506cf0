// What every bench shares: flags, the server it measures (a real Tessera over HTTP on 127.0.0.1,
// the same startServer the API tests use), machine notes, and markdown tables.
import os from 'node:os';
import pg from 'pg';
import { startServer, type Engine, type TestServer } from '../../test/support/server.js';

export const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';

/** `--name value` and `--name=value` flags; bare words are ignored. */
export function flags(argv = process.argv.slice(2)): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    if (m[2] !== undefined) out.set(m[1], m[2]);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out.set(m[1], argv[++i]);
    else out.set(m[1], 'true');
  }
  return out;
}

export const list = (v: string | undefined, dflt: string[]): string[] => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : dflt);

/** The engines asked for, PostgreSQL only when a server answers (TESSERA_TEST_PG, else the local one). */
export async function availableEngines(asked: string[]): Promise<Engine[]> {
  const out: Engine[] = [];
  for (const e of asked) {
    if (e === 'sqlite') out.push('sqlite');
    else if (e === 'postgres') {
      const url = process.env.TESSERA_TEST_PG || DEFAULT_PG;
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
      try {
        await c.connect();
        await c.end();
        process.env.TESSERA_TEST_PG = url;
        out.push('postgres');
      } catch (err) {
        console.warn(`bench: no PostgreSQL at ${url} (${(err as Error).message}); skipping postgres`);
      }
    } else throw new Error(`unknown engine ${e}`);
  }
  return out;
}

const live = new Set<TestServer>();
let trapped = false;

/** Settings a bench run takes from the environment, e.g. TESSERA_DATABASE_POOL_SIZE=4 npm run bench -- signin. */
const BENCH_SETTINGS = ['TESSERA_DATABASE_POOL_SIZE', 'TESSERA_DATABASE_PREPARED_STATEMENTS'];

/**
 * A Tessera for benchmarking: its own data folder / schema, logging off, no strict-error mode.
 * Interrupted (SIGINT/SIGTERM), the bench still drops the data folder / schema it made.
 */
export async function benchServer(engine: Engine): Promise<TestServer> {
  if (!trapped) {
    trapped = true;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        void Promise.allSettled([...live].map((s) => s.close())).then(() => process.exit(130));
      });
    }
  }
  // The server's own settings from this environment (bench runs of a tuned deployment).
  const env = Object.fromEntries(BENCH_SETTINGS.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  const s = await startServer({ engine, strictErrors: false, env });
  live.add(s);
  const close = s.close.bind(s);
  s.close = async () => {
    live.delete(s);
    await close();
  };
  return s;
}

export async function machineNotes(): Promise<string[]> {
  const cpus = os.cpus();
  const notes = [
    `${new Date().toISOString()}, ${os.hostname()}`,
    `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`,
    `load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (the machine is shared with other engineers' test runs)`,
  ];
  if (process.env.TESSERA_TEST_PG) {
    try {
      const c = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
      await c.connect();
      const v = (await c.query('show server_version')).rows[0].server_version;
      const sb = (await c.query('show shared_buffers')).rows[0].shared_buffers;
      await c.end();
      const set = BENCH_SETTINGS.filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]!.trim()}`);
      notes.push(`PostgreSQL ${v} on the same machine (shared_buffers ${sb}); SQLite through better-sqlite3 (WAL, synchronous=NORMAL); server settings: ${set.length ? set.join(', ') : 'defaults'}`);
    } catch {
      /* notes only */
    }
  }
  return notes;
}

export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 1) + '-' : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(head), rule, ...cells.slice(1).map(line)].join('\n');
}

export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
export const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : n.toFixed(0)) : '—');
