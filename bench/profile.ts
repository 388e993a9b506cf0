// Where a sign-in path's CPU goes: not a figure to report, a tool for finding the next thing to cut.
//
//   npm run bench -- profile [--engine sqlite|postgres] [--scenario srp|RefreshTokenAuth|
//                             GetTokensFromRefreshToken|UserPasswordAuth|GetUser] [--seconds 8]
//                            [--cpu-profile FILE] [--top 40]
//
// Runs one scenario at full load (the load generator of bench/signin.ts, 10 connections) against
// a server in this process, and prints per answered request:
//   - CPU of each thread of this process (Linux /proc: the event loop, the crypto workers, the
//     SQLite checkpointer, V8's helpers), user and system time;
//   - CPU of the PostgreSQL server's processes, and the statements sent per request, by text;
//   - with --cpu-profile, the event loop's sampled profile written to FILE (open it in Chrome's
//     DevTools) and its top functions by self time.
// The profiler costs the loop 10-20 %; the per-thread figures are taken in the same run.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import { CreateUserPoolClientCommand, CreateUserPoolCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { computeX, makeVerifier } from '../src/crypto/srp.js';
import { publicClient, type Engine } from '../test/support/server.js';
import { availableEngines, benchServer, flags } from './lib/env.js';
import { LoadGen, type Job, type Scenario } from './lib/load.js';
import { seedUsers } from './lib/seed.js';

const f = flags();
const [engine] = await availableEngines([f.get('engine') ?? 'sqlite']);
if (!engine) throw new Error('that engine is not available here');
const scenario = f.get('scenario') ?? 'srp';
const seconds = Number(f.get('seconds') ?? 8);
const profileFile = f.get('cpu-profile');
const top = Number(f.get('top') ?? 40);
const PASSWORD = 'Bench-Passw0rd!';
const SIGNERS = 200;

const statements = countStatements();
const s = await benchServer(engine as Engine);
const pool = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'profile' }));
const poolId = pool.UserPool!.Id!;
const c = await s.idp.send(
  new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: 'profile',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }),
);
const clientId = c.UserPoolClient!.ClientId!;
const domainPool = await s.app.pools.get(poolId);
Object.assign(s.app.auth.limits, { ipFailures: 1e9 });
const salts = new Map<number, string>();
await seedUsers(s.app, domainPool, 0, 2000, {
  passwordFor: (i) => {
    if (i >= SIGNERS) return undefined;
    const v = makeVerifier(domainPool.srpName, `user${i}`, PASSWORD);
    salts.set(i, v.salt);
    return v;
  },
});
const usernames = Array.from({ length: SIGNERS }, (_, i) => `user${i}`);
const pub = publicClient(s.url);
const refreshTokens: string[] = [];
const accessTokens: string[] = [];
for (const u of usernames.slice(0, 50)) {
  const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u, PASSWORD } }));
  refreshTokens.push(r.AuthenticationResult!.RefreshToken!);
  accessTokens.push(r.AuthenticationResult!.AccessToken!);
}
pub.destroy();

const job: Exclude<Job, { kind: 'exit' }> =
  scenario === 'srp'
    ? {
        kind: 'srp',
        url: s.url,
        poolId,
        clientId,
        users: usernames.map((u, i) => ({ username: u, x: computeX(domainPool.srpName, u, PASSWORD, salts.get(i)!).toString(16) })),
        ephemerals: 500,
        connections: 10,
        seconds,
      }
    : { kind: 'cannon', url: s.url, scenario: scenario as Scenario, params: { clientId, refreshTokens, accessTokens, usernames, password: PASSWORD }, connections: 10, seconds };
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
const threads0 = threadCpu();
const pg0 = postgresCpu();
const r = await load.run(job);
const threads1 = threadCpu();
const pgMs = postgresCpu() - pg0;
const profile = profileFile ? (await session.post('Profiler.stop')).profile : undefined;
await load.close();
await s.close();

const perReq = (ms: number) => `${(ms / r.ok).toFixed(3)} ms`;
console.log(`${engine} ${scenario}: ${r.rps.toFixed(0)}/s over ${r.seconds.toFixed(1)} s (${r.failed} failed), p99 ${r.p99.toFixed(1)} ms`);
console.log(`CPU per answered request: server process ${perReq(r.serverCpuMs! * r.ok)}, load generator ${perReq(r.clientCpuMs! * r.ok)}`);
for (const [tid, t] of [...threads1].sort((a, b) => b[1].total - a[1].total)) {
  const before = threads0.get(tid) ?? { total: 0, system: 0 };
  const total = t.total - before.total;
  if (total <= 0) continue;
  console.log(`  thread ${tid.padEnd(8)} ${t.name.padEnd(16)} ${perReq(total)} (system ${perReq(t.system - before.system)})${tid === String(process.pid) ? '  <- event loop' : ''}`);
}
if (engine === 'postgres') {
  console.log(`PostgreSQL's processes: ${perReq(pgMs)}; statements per request: ${(statements.total() / r.ok).toFixed(2)}`);
  for (const [text, n] of statements.byText().slice(0, 12)) console.log(`  ${(n / r.ok).toFixed(2)}  ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
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

/** CPU ms of every process named postgres on the machine so far (ended processes drop out). */
function postgresCpu(): number {
  let ms = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // the process ended
    }
  }
  return ms;
}

/** Counts the statements node-postgres sends, by text (named statements are bound by name). */
function countStatements() {
  const Connection = createRequire(import.meta.url)('pg/lib/connection.js');
  const texts = new Map<string, string>();
  let counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
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
    reset: () => {
      counts = new Map();
    },
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    byText: () => [...counts].map(([k, n]) => [texts.get(k) ?? k, n] as const).sort((a, b) => b[1] - a[1]),
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
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => `${((t / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
}
