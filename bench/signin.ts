// Sign-in throughput against what the machine's cryptography allows, measured in the same run.
//
//   npm run bench -- signin [--engine sqlite,postgres] [--seconds 10] [--connections 10]
//                           [--users 10000] [--signers 200] [--crypto-seconds 3]
//   npx tsx bench/signin.ts ...
//
// Per engine, first the baseline (lib/crypto-baseline.ts, two worker threads = both cores, while
// no server runs): RS256 signatures/s, the server's SRP arithmetic per sign-in, the password check
// (g^x), the SRP client's exponentiation. From them the bounds:
//   refresh           two signatures per request            rs256 / 2
//   USER_SRP_AUTH     SRP arithmetic + two signatures        1 / (1/srp + 2/rs256)
//                     ... and the client's exponentiation    1 / (1/srp + 2/rs256 + 1/client)
//   USER_PASSWORD_AUTH g^x + two signatures                   1 / (1/verify + 2/rs256)
// Then a server with a pool of --users users (lib/seed.ts; the first --signers with their own
// password) and, from a separate load-generator process:
//   REFRESH_TOKEN_AUTH (InitiateAuth), GetTokensFromRefreshToken   random refresh token
//   USER_SRP_AUTH   complete sign-ins (InitiateAuth + RespondToAuthChallenge PASSWORD_VERIFIER);
//                   client ephemerals (a, A = g^a) and k·g^x per user computed before the loop
//   USER_PASSWORD_AUTH                                               random signer
//   GetUser (access token)                                           random token
// The load generator is lib/http-lite.ts on keep-alive connections (the CPU it costs is reported).
//   GetUser p99 at a fixed 50 req/s, idle and while SRP / password sign-ins run at full load
//   from a second load-generator process (goal < 50 ms)
import { type Engine } from '../test/support/server.js';
import { cryptoBaseline, type CryptoBaseline, type Rate } from './lib/crypto-baseline.js';
import { availableEngines, benchServer, flags, fmt, list, machineNotes, ms, table } from './lib/env.js';
import { LoadGen, type LoadResult, type Scenario } from './lib/load.js';
import { writeResults } from './lib/results.js';
import { backendCpu, cpuSince } from './lib/pg-backends.js';
import { SIGNIN_PASSWORD as PASSWORD, signInSetup } from './lib/signin-setup.js';

const f = flags();
const engines = await availableEngines(list(f.get('engine'), ['sqlite', 'postgres']));
const seconds = Number(f.get('seconds') ?? 10);
const warmup = Number(f.get('warmup') ?? 2);
const connections = Number(f.get('connections') ?? 10);
const poolUsers = Number(f.get('users') ?? 10_000);
const signers = Math.min(poolUsers, Number(f.get('signers') ?? 200));
const cryptoSeconds = Number(f.get('crypto-seconds') ?? 3);
const nearSeconds = Number(f.get('near-seconds') ?? 1.5);
const PROBE_RATE = 50;

const notes = await machineNotes();
console.log(notes.map((n) => `# ${n}`).join('\n'));

interface EngineRun {
  engine: Engine;
  base: CryptoBaseline;
  /** A baseline measured right before each throughput figure (the bounds of that figure). */
  near: Record<string, CryptoBaseline>;
  r: Record<string, LoadResult>;
}
const runs: EngineRun[] = [];
const load = await LoadGen.start();
const probe = await LoadGen.start();
/** A timed run of the load generator, with the CPU of this process's PostgreSQL backends per request. */
const measured = async (job: Parameters<LoadGen['run']>[0]): Promise<LoadResult> => {
  const before = backendCpu();
  const r = await load.run(job);
  return { ...r, pgCpuMs: r.ok ? cpuSince(before, backendCpu()) / r.ok : NaN };
};

const say = (engine: string, what: string, r: LoadResult) =>
  console.log(
    `  ${engine.padEnd(8)} ${what.padEnd(34)} ${fmt(r.rps).padStart(6)}/s  p50 ${ms(r.p50)} ms  p99 ${ms(r.p99)} ms  CPU/req server ${cpu(r.serverCpuMs)} + client ${cpu(r.clientCpuMs)} ms${r.failed ? `  (${r.failed} failed${r.lastError ? `: ${r.lastError}` : ''})` : ''}`,
  );

for (const engine of engines) {
  const base = await cryptoBaseline(cryptoSeconds);
  console.log(
    `${engine}: baseline on 2 threads (per second, CPU ms each): RS256 ${rate(base.rs256)}, SRP server math ${rate(base.srp)}, g^x ${rate(base.verify)}, SRP client exponentiation ${rate(base.client)}`,
  );
  const s = await benchServer(engine);
  const run: EngineRun = { engine, base, near: {}, r: {} };
  // The machine's speed drifts with its neighbours: each figure is set against cryptography
  // measured just before it (the server is idle meanwhile).
  const nearBaseline = async (what: string) => {
    const b = (run.near[what] = await cryptoBaseline(nearSeconds));
    console.log(`  ${engine.padEnd(8)} baseline before ${what}: RS256 ${rate(b.rs256)}, SRP ${rate(b.srp)}, g^x ${rate(b.verify)}, client ${rate(b.client)}`);
  };
  try {
    const { poolId, clientId, usernames, srpUsers, refreshTokens, accessTokens, seedSeconds } = await signInSetup(s, { users: poolUsers, signers });
    console.log(`${engine}: seeded ${poolUsers.toLocaleString()} users (${signers} with their own password) in ${seedSeconds.toFixed(1)} s`);

    const cannon = async (scenario: Scenario, params: Record<string, unknown>, what = scenario as string) => {
      const job = { kind: 'cannon' as const, url: s.url, scenario, params, connections };
      if (warmup > 0) await load.run({ ...job, seconds: warmup });
      const r = await measured({ ...job, seconds });
      run.r[what] = r;
      say(engine, what, r);
      return r;
    };
    const srpJob = {
      kind: 'srp' as const,
      url: s.url,
      poolId,
      clientId,
      users: srpUsers,
      ephemerals: 500,
      connections,
    };
    const getUser = { kind: 'cannon' as const, url: s.url, scenario: 'GetUser' as const, params: { accessTokens }, connections: 2, rate: PROBE_RATE };

    await nearBaseline('RefreshTokenAuth');
    await cannon('RefreshTokenAuth', { clientId, refreshTokens });
    await nearBaseline('GetTokensFromRefreshToken');
    await cannon('GetTokensFromRefreshToken', { clientId, refreshTokens });
    if (warmup > 0) await load.run({ ...srpJob, seconds: warmup });
    await nearBaseline('srp');
    run.r.srp = await measured({ ...srpJob, seconds });
    say(engine, 'USER_SRP_AUTH sign-ins', run.r.srp);
    await nearBaseline('UserPasswordAuth');
    await cannon('UserPasswordAuth', { clientId, usernames, password: PASSWORD });
    await cannon('GetUser', { accessTokens });

    // GetUser latency at a fixed rate: alone, then beside sign-ins at full load.
    run.r.probeIdle = await probe.run({ ...getUser, seconds });
    say(engine, `GetUser p99 @${PROBE_RATE}/s, idle`, run.r.probeIdle);
    const [srpLoad, probeSrp] = await Promise.all([load.run({ ...srpJob, seconds: seconds + 1 }), probe.run({ ...getUser, seconds })]);
    run.r.probeSrp = probeSrp;
    run.r.srpUnderProbe = srpLoad;
    say(engine, `GetUser p99 @${PROBE_RATE}/s, SRP load`, probeSrp);
    say(engine, '  (SRP sign-ins meanwhile)', srpLoad);
    const pwJob = { kind: 'cannon' as const, url: s.url, scenario: 'UserPasswordAuth' as const, params: { clientId, usernames, password: PASSWORD }, connections, seconds: seconds + 1 };
    const [pwLoad, probePw] = await Promise.all([load.run(pwJob), probe.run({ ...getUser, seconds })]);
    run.r.probePw = probePw;
    run.r.pwUnderProbe = pwLoad;
    say(engine, `GetUser p99 @${PROBE_RATE}/s, password load`, probePw);
    say(engine, '  (password sign-ins meanwhile)', pwLoad);
    runs.push(run);
  } finally {
    await s.close();
  }
}
await load.close();
await probe.close();

// ---- report ------------------------------------------------------------------------------------
const out: string[] = ['### Sign-in (bench/signin.ts)', '', ...notes.map((n) => `- ${n}`)];
out.push(
  `- ${seconds} s per figure after a ${warmup} s warm-up; ${connections} connections (or SRP loops) from a load-generator process on the same 2 cores; pool of ${poolUsers.toLocaleString()} users, ${signers} of them signing in`,
  `- baseline: ${cryptoSeconds} s per unit on 2 worker threads, measured just before each engine's server started (the first rows), and again for ${nearSeconds} s per unit right before each throughput figure (the machine's speed drifts); each figure is set against the faster of the two, unit by unit, the stricter bound; bounds: refresh rs256/2, SRP 1/(1/srp + 2/rs256 [+ 1/client]), password 1/(1/g^x + 2/rs256)`,
  '- CPU/req: CPU time per answered request of the server process (all threads) + of its PostgreSQL backends (PG; PostgreSQL\'s background processes not counted) + of the load generator, against the CPU time the cryptography alone needs (from the baseline). On a machine shared with other work the wall-clock shares move with the neighbours; the CPU shares hardly do. "The server alone" leaves out the load generator, whose SRP client exponentiation a real client does on its own device',
  '- SRP client: ephemerals (256-bit a, A = g^a) and k·g^x per user precomputed before the timed loop; in the loop one exponentiation (B − k·g^x)^(a+u·x) and the hashing per sign-in',
  `- GetUser p99 probe: ${PROBE_RATE} req/s on 2 connections from a second load-generator process`,
  '',
);
const head = ['measure', ...runs.map((r) => r.engine), 'goal'];
const per = (fn: (r: EngineRun) => string) => runs.map(fn);
const pct = (x: number, of: number) => `${fmt((100 * x) / of)} %`;
/** Wall: req/s and its share of the wall-clock bound. CPU: server + client CPU ms per request and the bound's share of it. */
const wall = (x: LoadResult, bound: number) => `${fmt(x.rps)}/s = ${pct(x.rps, bound)} of ${fmt(bound)}`;
const pgOf = (x: LoadResult) => (x.pgCpuMs && Number.isFinite(x.pgCpuMs) ? x.pgCpuMs : 0);
const cpuShare = (x: LoadResult, boundMs: number) =>
  `${cpu(x.serverCpuMs)} + ${pgOf(x) ? `${cpu(pgOf(x))} PG + ` : ''}${cpu(x.clientCpuMs)} ms; bound ${cpu(boundMs)} = ${pct(boundMs, x.serverCpuMs! + pgOf(x) + x.clientCpuMs!)}`;
/** The server's side alone (its process and its PostgreSQL backends), without the load generator's. */
const serverShare = (x: LoadResult, boundMs: number) =>
  `${cpu(x.serverCpuMs)}${pgOf(x) ? ` + ${cpu(pgOf(x))} PG` : ''} ms; bound ${cpu(boundMs)} = ${pct(boundMs, x.serverCpuMs! + pgOf(x))}`;
/** The bounds of a figure: per unit, the faster of the engine's baseline and the one measured right before the figure (never the flattering one). */
const near = (r: EngineRun, what: string): CryptoBaseline => {
  const n = r.near[what];
  if (!n) return r.base;
  const faster = (u: keyof CryptoBaseline) => (n[u].perSecond > r.base[u].perSecond ? n[u] : r.base[u]);
  return { rs256: faster('rs256'), srp: faster('srp'), verify: faster('verify'), client: faster('client') };
};
const sig = (r: EngineRun, what: string) => near(r, what).rs256;
const rows: (string | number)[][] = [
  ['RS256 signatures, 2 threads: per second (CPU ms each)', ...per((r) => rate(r.base.rs256)), 'baseline'],
  ['SRP server arithmetic per sign-in, 2 threads', ...per((r) => rate(r.base.srp)), ''],
  ['g^x (password check), 2 threads', ...per((r) => rate(r.base.verify)), ''],
  ['SRP client exponentiation, 2 threads', ...per((r) => rate(r.base.client)), ''],
  ['REFRESH_TOKEN_AUTH: req/s vs rs256/2', ...per((r) => wall(r.r.RefreshTokenAuth, sig(r, 'RefreshTokenAuth').perSecond / 2)), '≥ 50 %'],
  ['  CPU/req server (+ PG) + client vs 2 signatures', ...per((r) => cpuShare(r.r.RefreshTokenAuth, 2 * sig(r, 'RefreshTokenAuth').cpuMs)), '≥ 50 %'],
  ['  p99 ms', ...per((r) => ms(r.r.RefreshTokenAuth.p99)), ''],
  ['GetTokensFromRefreshToken: req/s vs rs256/2', ...per((r) => wall(r.r.GetTokensFromRefreshToken, sig(r, 'GetTokensFromRefreshToken').perSecond / 2)), '≥ 50 %'],
  ['  CPU/req server (+ PG) + client vs 2 signatures', ...per((r) => cpuShare(r.r.GetTokensFromRefreshToken, 2 * sig(r, 'GetTokensFromRefreshToken').cpuMs)), '≥ 50 %'],
  ['  p99 ms', ...per((r) => ms(r.r.GetTokensFromRefreshToken.p99)), ''],
  ['USER_SRP_AUTH sign-ins/s vs SRP math + 2 signatures', ...per((r) => wall(r.r.srp, srpBound(near(r, 'srp')))), '≥ 50 %'],
  ['  … vs that + the client exponentiation', ...per((r) => wall(r.r.srp, srpClientBound(near(r, 'srp')))), ''],
  ['  CPU/sign-in server (+ PG) + client vs SRP + 2 sig + client', ...per((r) => cpuShare(r.r.srp, near(r, 'srp').srp.cpuMs + 2 * sig(r, 'srp').cpuMs + near(r, 'srp').client.cpuMs)), ''],
  ['  CPU/sign-in, server (+ PG) alone, vs SRP math + 2 sig', ...per((r) => serverShare(r.r.srp, near(r, 'srp').srp.cpuMs + 2 * sig(r, 'srp').cpuMs)), ''],
  ['  p99 ms (both round trips)', ...per((r) => ms(r.r.srp.p99)), ''],
  ['USER_PASSWORD_AUTH sign-ins/s vs g^x + 2 signatures', ...per((r) => wall(r.r.UserPasswordAuth, passwordBound(near(r, 'UserPasswordAuth')))), ''],
  ['  CPU/sign-in server (+ PG) + client vs g^x + 2 signatures', ...per((r) => cpuShare(r.r.UserPasswordAuth, near(r, 'UserPasswordAuth').verify.cpuMs + 2 * sig(r, 'UserPasswordAuth').cpuMs)), ''],
  ['  p99 ms', ...per((r) => ms(r.r.UserPasswordAuth.p99)), ''],
  ['GetUser req/s', ...per((r) => fmt(r.r.GetUser.rps)), ''],
  ['  CPU/req server + client, ms', ...per((r) => `${cpu(r.r.GetUser.serverCpuMs)} + ${cpu(r.r.GetUser.clientCpuMs)}`), ''],
  ['  p99 ms', ...per((r) => ms(r.r.GetUser.p99)), ''],
  [`GetUser p99 ms @${PROBE_RATE}/s, idle`, ...per((r) => ms(r.r.probeIdle.p99)), ''],
  [`GetUser p99 ms @${PROBE_RATE}/s, SRP sign-ins at full load`, ...per((r) => `${ms(r.r.probeSrp.p99)} (${fmt(r.r.srpUnderProbe.rps)} sign-ins/s)`), '< 50 ms'],
  [`GetUser p99 ms @${PROBE_RATE}/s, password sign-ins at full load`, ...per((r) => `${ms(r.r.probePw.p99)} (${fmt(r.r.pwUnderProbe.rps)} sign-ins/s)`), '< 50 ms'],
];
out.push(table(head, rows), '');
const failures = runs.flatMap((r) => Object.entries(r.r).filter(([, x]) => x.failed).map(([k, x]) => `${r.engine} ${k}: ${x.failed} failed${x.lastError ? ` (${x.lastError})` : ''}`));
if (failures.length) out.push(`Failed requests: ${failures.join('; ')}.`, '');
const report = out.join('\n');
console.log('\n' + report);
if (f.get('write') !== 'false') await writeResults('signin', report);

// Wall-clock bounds: 2-core throughput of the cryptography alone.
function srpBound(b: CryptoBaseline): number {
  return 1 / (1 / b.srp.perSecond + 2 / b.rs256.perSecond);
}
function srpClientBound(b: CryptoBaseline): number {
  return 1 / (1 / b.srp.perSecond + 2 / b.rs256.perSecond + 1 / b.client.perSecond);
}
function passwordBound(b: CryptoBaseline): number {
  return 1 / (1 / b.verify.perSecond + 2 / b.rs256.perSecond);
}
function rate(r: Rate): string {
  return `${fmt(r.perSecond)}/s (${r.cpuMs.toFixed(2)} ms)`;
}
function cpu(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2);
}
