// Where a sign-in path's CPU goes: not a figure to report, a tool for finding the next thing to cut.
//
//   npm run bench -- profile [--engine sqlite|postgres] [--scenario srp|RefreshTokenAuth|
//                             GetTokensFromRefreshToken|UserPasswordAuth|GetUser] [--seconds 8]
//                            [--cpu-profile FILE] [--top 40] [--connections 10]
//
// Runs one scenario at full load (the load generator of bench/signin.ts, --connections) against
// a server in this process, and prints per answered request:
//   - CPU of each thread of this process (Linux /proc: the event loop, the crypto workers, the
//     SQLite checkpointer, V8's helpers), user and system time;
//   - CPU of this process's PostgreSQL backends (not the server's background processes nor other
//     clients' backends), and the statements sent per request, by text;
//   - on SQLite, the statements run per request by text with the time each takes on the event
//     loop (better-sqlite3 runs them there, synchronously);
//   - with --cpu-profile, the event loop's sampled profile written to FILE (open it in Chrome's
//     DevTools) and its top functions by self time.
// The profiler costs the loop 10-20 %; the per-thread figures are taken in the same run.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import type { Engine } from '../test/support/server.js';
import { availableEngines, benchServer, flags } from './lib/env.js';
import { backendCpu, cpuSince, pgBackends } from './lib/pg-backends.js';
import { LoadGen, type Job, type Scenario } from './lib/load.js';
import { SIGNIN_PASSWORD as PASSWORD, signInSetup } from './lib/signin-setup.js';

const f = flags();
const [engine] = await availableEngines([f.get('engine') ?? 'sqlite']);
if (!engine) throw new Error('that engine is not available here');
const SCENARIOS = ['srp', 'RefreshTokenAuth', 'GetTokensFromRefreshToken', 'UserPasswordAuth', 'GetUser'];
const scenario = f.get('scenario') ?? 'srp';
if (!SCENARIOS.includes(scenario)) throw new Error(`--scenario: one of ${SCENARIOS.join(', ')}`);
const seconds = Number(f.get('seconds') ?? 8);
if (!(seconds > 0)) throw new Error('--seconds: a positive number');
const profileFile = f.get('cpu-profile');
const top = Number(f.get('top') ?? 40);
// Fewer connections leave the cores idle between requests: the sampled profile then shows CPU, not waiting for it.
const connections = Number(f.get('connections') ?? 10);
if (!(connections >= 1)) throw new Error('--connections: at least 1');
const SIGNERS = 200;

const statements = countStatements();
const sqliteStatements = timeSqliteStatements();
const s = await benchServer(engine as Engine);
const { poolId, clientId, usernames, srpUsers, refreshTokens, accessTokens } = await signInSetup(s, { users: 2000, signers: SIGNERS, name: 'profile' });

const job: Exclude<Job, { kind: 'exit' }> =
  scenario === 'srp'
    ? {
        kind: 'srp',
        url: s.url,
        poolId,
        clientId,
        users: srpUsers,
        ephemerals: 500,
        connections,
        seconds,
      }
    : { kind: 'cannon', url: s.url, scenario: scenario as Scenario, params: { clientId, refreshTokens, accessTokens, usernames, password: PASSWORD }, connections, seconds };
const load = await LoadGen.start();
await load.run({ ...job, seconds: 2 });

const session = new Session();
session.connect();
if (profileFile) {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
statements.reset();
sqliteStatements.reset();
const threads0 = threadCpu();
const pg0 = backendCpu(statements.backends);
const r = await load.run(job);
const threads1 = threadCpu();
const pgMs = cpuSince(pg0, backendCpu(statements.backends));
const profile = profileFile ? (await session.post('Profiler.stop')).profile : undefined;
await load.close();
await s.close();

if (!r.ok) {
  console.error(`no request was answered (${r.failed} failed): ${r.lastError ?? 'no error recorded'}`);
  process.exit(1);
}
const perReq = (ms: number) => `${(ms / r.ok).toFixed(3)} ms`;
console.log(`${engine} ${scenario}: ${r.rps.toFixed(0)}/s over ${r.seconds.toFixed(1)} s (${r.failed} failed${r.failed ? `: ${r.lastError}` : ''}), p99 ${r.p99.toFixed(1)} ms`);
console.log(`CPU per answered request: server process ${perReq(r.serverCpuMs! * r.ok)}, load generator ${perReq(r.clientCpuMs! * r.ok)}`);
const during = [...threads1].map(([tid, t]) => {
  const before = threads0.get(tid) ?? { total: 0, system: 0 };
  return { tid, name: t.name, total: t.total - before.total, system: t.system - before.system };
});
for (const t of during.filter((x) => x.total > 0).sort((a, b) => b.total - a.total)) {
  console.log(`  thread ${t.tid.padEnd(8)} ${t.name.padEnd(16)} ${perReq(t.total)} (system ${perReq(t.system)})${t.tid === String(process.pid) ? '  <- event loop' : ''}`);
}
if (engine === 'postgres') {
  console.log(`this process's PostgreSQL backends: ${perReq(pgMs)}; statements per request: ${(statements.total() / r.ok).toFixed(2)}`);
  for (const [text, n] of statements.byText().slice(0, 12)) console.log(`  ${(n / r.ok).toFixed(2)}  ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
}
if (engine === 'sqlite') {
  const rows = sqliteStatements.byText();
  const ms = rows.reduce((a, [, x]) => a + x.ms, 0);
  const n = rows.reduce((a, [, x]) => a + x.n, 0);
  console.log(`SQLite statements on the event loop: ${(n / r.ok).toFixed(2)} per request, ${perReq(ms)}`);
  for (const [text, x] of rows.slice(0, 12)) console.log(`  ${(x.n / r.ok).toFixed(2)}  ${perReq(x.ms)}  ${text.replace(/\s+/g, ' ').slice(0, 140)}`);
}
if (profile && profileFile) {
  writeFileSync(profileFile, JSON.stringify(profile));
  console.log(`event loop profile written to ${profileFile}; top functions by self time:`);
  for (const line of topSelf(profile as CpuProfile, top)) console.log(`  ${line}`);
}
process.exit(0);

/** CPU ms of each thread of this process so far (utime + stime, in clock ticks of 10 ms). */
function threadCpu(): Map<string, { name: string; total: number; system: number }> {
  const out = new Map<string, { name: string; total: number; system: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name, total: (Number(fields[11]) + Number(fields[12])) * 10, system: Number(fields[12]) * 10 });
    } catch {
      // the thread ended
    }
  }
  return out;
}

/**
 * Counts the statements node-postgres sends, by text (a named statement is bound by its name; one
 * without values goes by the simple protocol: BEGIN, COMMIT, ...); the process ids of this
 * process's backends are lib/pg-backends.ts's.
 */
function countStatements() {
  const Connection = createRequire(import.meta.url)('pg/lib/connection.js');
  const texts = new Map<string, string>();
  const backends = pgBackends;
  let counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const query = Connection.prototype.query;
  Connection.prototype.query = function (this: unknown, text: string) {
    add(text);
    return query.call(this, text);
  };
  const parse = Connection.prototype.parse;
  Connection.prototype.parse = function (this: unknown, q: { name?: string; text: string }) {
    if (q.name) texts.set(q.name, q.text);
    else add(q.text);
    return parse.call(this, q);
  };
  const bind = Connection.prototype.bind;
  Connection.prototype.bind = function (this: unknown, b: { statement?: string }) {
    if (b.statement) add(b.statement);
    return bind.call(this, b);
  };
  return {
    backends,
    reset: () => {
      counts = new Map();
    },
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    /** By text: a text sent both named and unnamed is one entry. */
    byText: () => {
      const merged = new Map<string, number>();
      for (const [k, n] of counts) {
        const text = texts.get(k) ?? k;
        merged.set(text, (merged.get(text) ?? 0) + n);
      }
      return [...merged].sort((a, b) => b[1] - a[1]);
    },
  };
}

/** Times every better-sqlite3 statement call (run, get, all, iterate) by its text, wall clock on the loop. */
function timeSqliteStatements() {
  const Statement = Object.getPrototypeOf(new (createRequire(import.meta.url)('better-sqlite3'))(':memory:').prepare('select 1'));
  let stats = new Map<string, { n: number; ms: number }>();
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = Statement[method];
    Statement[method] = function (this: { source: string }, ...args: unknown[]) {
      const start = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const x = stats.get(this.source) ?? { n: 0, ms: 0 };
        x.n++;
        x.ms += performance.now() - start;
        stats.set(this.source, x);
      }
    };
  }
  return {
    reset: () => {
      stats = new Map();
    },
    byText: () => [...stats].sort((a, b) => b[1].ms - a[1].ms),
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The profile's functions by self time, as a share of the loop's busy (non-idle) time. */
function topSelf(p: CpuProfile, n: number): string[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let busy = 0;
  p.samples.forEach((id, i) => {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') return;
    const dt = p.timeDeltas[i] ?? 0;
    busy += dt;
    const where = cf.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|bench|test)\//, '$1/');
    const key = `${cf.functionName || '(anonymous)'} ${where}${where ? `:${cf.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  if (!busy) return ['(the event loop was idle throughout)'];
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => `${((t / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
}
