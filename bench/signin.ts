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
//   REFRESH_TOKEN_AUTH (InitiateAuth), GetTokensFromRefreshToken   autocannon, random refresh token
//   USER_SRP_AUTH   complete sign-ins (InitiateAuth + RespondToAuthChallenge PASSWORD_VERIFIER);
//                   client ephemerals (a, A = g^a) and k·g^x per user computed before the loop
//   USER_PASSWORD_AUTH                                               autocannon, random signer
//   GetUser (access token)                                           autocannon, random token
//   GetUser p99 at a fixed 50 req/s, idle and while SRP / password sign-ins run at full load
//   from a second load-generator process (goal < 50 ms)
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { computeX, makeVerifier } from '../src/crypto/srp.js';
import { publicClient, type Engine } from '../test/support/server.js';
import { cryptoBaseline, type CryptoBaseline } from './lib/crypto-baseline.js';
import { availableEngines, benchServer, flags, fmt, list, machineNotes, ms, table } from './lib/env.js';
import { LoadGen, type LoadResult, type Scenario } from './lib/load.js';
import { writeResults } from './lib/results.js';
import { seedUsers } from './lib/seed.js';

const f = flags();
const engines = await availableEngines(list(f.get('engine'), ['sqlite', 'postgres']));
const seconds = Number(f.get('seconds') ?? 10);
const warmup = Number(f.get('warmup') ?? 2);
const connections = Number(f.get('connections') ?? 10);
const poolUsers = Number(f.get('users') ?? 10_000);
const signers = Math.min(poolUsers, Number(f.get('signers') ?? 200));
const cryptoSeconds = Number(f.get('crypto-seconds') ?? 3);
const PROBE_RATE = 50;
const PASSWORD = 'Bench-Passw0rd!';

const notes = await machineNotes();
console.log(notes.map((n) => `# ${n}`).join('\n'));

interface EngineRun {
  engine: Engine;
  base: CryptoBaseline;
  r: Record<string, LoadResult>;
}
const runs: EngineRun[] = [];
const load = await LoadGen.start();
const probe = await LoadGen.start();

const say = (engine: string, what: string, r: LoadResult) =>
  console.log(`  ${engine.padEnd(8)} ${what.padEnd(34)} ${fmt(r.rps).padStart(6)}/s  p50 ${ms(r.p50)} ms  p99 ${ms(r.p99)} ms${r.failed ? `  (${r.failed} failed${r.lastError ? `: ${r.lastError}` : ''})` : ''}`);

for (const engine of engines) {
  const base = await cryptoBaseline(cryptoSeconds);
  console.log(
    `${engine}: baseline on 2 threads: RS256 ${fmt(base.rs256)}/s, SRP server math ${fmt(base.srp)}/s, g^x ${fmt(base.verify)}/s, SRP client exp ${fmt(base.client)}/s`,
  );
  const s = await benchServer(engine);
  const run: EngineRun = { engine, base, r: {} };
  try {
    const pool = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'bench' }));
    const poolId = pool.UserPool!.Id!;
    const c = await s.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'bench',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = c.UserPoolClient!.ClientId!;
    const domainPool = await s.app.pools.get(poolId);
    // Sign-ins from 127.0.0.1 only ever succeed here, but keep the address limit out of the way.
    Object.assign(s.app.auth.limits, { ipFailures: 1e9 });

    const salts = new Map<number, string>();
    const seedSeconds = await seedUsers(s.app, domainPool, 0, poolUsers, {
      passwordFor: (i) => {
        if (i >= signers) return undefined;
        const v = makeVerifier(domainPool.srpName, `user${i}`, PASSWORD);
        salts.set(i, v.salt);
        return v;
      },
    });
    console.log(`${engine}: seeded ${poolUsers.toLocaleString()} users (${signers} with their own password) in ${seedSeconds.toFixed(1)} s`);
    const usernames = Array.from({ length: signers }, (_, i) => `user${i}`);

    // Tokens to refresh and to call GetUser with, from real sign-ins through the SDK.
    const pub = publicClient(s.url);
    const refreshTokens: string[] = [];
    const accessTokens: string[] = [];
    for (const u of usernames.slice(0, 50)) {
      const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u, PASSWORD } }));
      refreshTokens.push(r.AuthenticationResult!.RefreshToken!);
      accessTokens.push(r.AuthenticationResult!.AccessToken!);
    }
    pub.destroy();

    const cannon = async (scenario: Scenario, params: Record<string, unknown>, what = scenario as string) => {
      const job = { kind: 'cannon' as const, url: s.url, scenario, params, connections };
      if (warmup > 0) await load.run({ ...job, seconds: warmup });
      const r = await load.run({ ...job, seconds });
      run.r[what] = r;
      say(engine, what, r);
      return r;
    };
    const srpJob = {
      kind: 'srp' as const,
      url: s.url,
      poolId,
      clientId,
      users: usernames.map((u, i) => ({ username: u, x: computeX(domainPool.srpName, u, PASSWORD, salts.get(i)!).toString(16) })),
      ephemerals: 500,
      connections,
    };
    const getUser = { kind: 'cannon' as const, url: s.url, scenario: 'GetUser' as const, params: { accessTokens }, connections: 2, rate: PROBE_RATE };

    await cannon('RefreshTokenAuth', { clientId, refreshTokens });
    await cannon('GetTokensFromRefreshToken', { clientId, refreshTokens });
    if (warmup > 0) await load.run({ ...srpJob, seconds: warmup });
    run.r.srp = await load.run({ ...srpJob, seconds });
    say(engine, 'USER_SRP_AUTH sign-ins', run.r.srp);
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
  `- baseline: ${cryptoSeconds} s per unit on 2 worker threads, measured just before each engine's server started`,
  '- SRP client: ephemerals (256-bit a, A = g^a) and k·g^x per user precomputed before the timed loop; in the loop one exponentiation (B − k·g^x)^(a+u·x) and the hashing per sign-in',
  `- GetUser p99 probe: ${PROBE_RATE} req/s on 2 connections from a second load-generator process`,
  '',
);
const head = ['measure', ...runs.map((r) => r.engine), 'bound / goal (per engine)'];
const per = (fn: (r: EngineRun) => string) => runs.map(fn);
const pct = (x: number, of: number) => `${fmt(x)} (${fmt((100 * x) / of)} %)`;
const rows: (string | number)[][] = [
  ['RS256 signatures/s, 2 threads (baseline)', ...per((r) => fmt(r.base.rs256)), '—'],
  ['SRP server arithmetic/s, 2 threads', ...per((r) => fmt(r.base.srp)), '—'],
  ['REFRESH_TOKEN_AUTH req/s (% of rs256/2)', ...per((r) => pct(r.r.RefreshTokenAuth.rps, r.base.rs256 / 2)), `≥ 50 % of ${per((r) => fmt(r.base.rs256 / 2)).join(' / ')}`],
  ['  p99 ms', ...per((r) => ms(r.r.RefreshTokenAuth.p99)), ''],
  ['GetTokensFromRefreshToken req/s (% of rs256/2)', ...per((r) => pct(r.r.GetTokensFromRefreshToken.rps, r.base.rs256 / 2)), '≥ 50 %'],
  ['  p99 ms', ...per((r) => ms(r.r.GetTokensFromRefreshToken.p99)), ''],
  ['USER_SRP_AUTH sign-ins/s (% of server bound)', ...per((r) => pct(r.r.srp.rps, srpBound(r.base))), `server bound ${per((r) => fmt(srpBound(r.base))).join(' / ')}`],
  ['  % of bound incl. client exponentiation', ...per((r) => `${fmt((100 * r.r.srp.rps) / srpClientBound(r.base))} %`), `with client ${per((r) => fmt(srpClientBound(r.base))).join(' / ')}`],
  ['  p99 ms (both round trips)', ...per((r) => ms(r.r.srp.p99)), ''],
  ['USER_PASSWORD_AUTH sign-ins/s (% of bound)', ...per((r) => pct(r.r.UserPasswordAuth.rps, passwordBound(r.base))), `bound ${per((r) => fmt(passwordBound(r.base))).join(' / ')}`],
  ['  p99 ms', ...per((r) => ms(r.r.UserPasswordAuth.p99)), ''],
  ['GetUser req/s', ...per((r) => fmt(r.r.GetUser.rps)), ''],
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

function srpBound(b: CryptoBaseline): number {
  return 1 / (1 / b.srp + 2 / b.rs256);
}
function srpClientBound(b: CryptoBaseline): number {
  return 1 / (1 / b.srp + 2 / b.rs256 + 1 / b.client);
}
function passwordBound(b: CryptoBaseline): number {
  return 1 / (1 / b.verify + 2 / b.rs256);
}
