// User directory at scale: AdminGetUser and ListUsers prefix filters on pools of 10 k and 1 M users,
// on SQLite and PostgreSQL, SignUp/s, and GET /health as the baseline of the same run.
//
//   npm run bench -- userpool [--engine sqlite,postgres] [--users 10000,1000000] [--seconds 10]
//                             [--connections 10] [--batch 20000]
//   npx tsx bench/userpool.ts ...
//
// Per engine one server and one pool (AliasAttributes email, AutoVerifiedAttributes email); the
// pool grows to each size in turn (lib/seed.ts: multi-row INSERTs through the store, one shared
// verifier), then each lookup runs for --seconds against it over HTTP from a separate process
// (autocannon, every request freshly SigV4-signed, a random user / prefix each time):
//   AdminGetUser  Username user<random i < N>
//   ListUsers     Filter email ^= "user<10..99>"  (a full page of 60 at 10 k and at 1 M)
//   SignUp        a new user each request (username, password, e-mail; a code goes to the outbox)
// Prints one table per engine and the 1M/10k ratios (goal: within 2×).
import { AdminGetUserCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, type Engine } from '../test/support/server.js';
import { availableEngines, benchServer, flags, fmt, list, machineNotes, ms, table } from './lib/env.js';
import { LoadGen, type LoadResult, type Scenario } from './lib/load.js';
import { seedUsers, type SeedResult } from './lib/seed.js';
import { writeResults } from './lib/results.js';

const f = flags();
const engines = await availableEngines(list(f.get('engine'), ['sqlite', 'postgres']));
const sizes = list(f.get('users'), ['10000', '1000000']).map(Number).sort((a, b) => a - b);
const seconds = Number(f.get('seconds') ?? 10);
const warmup = Number(f.get('warmup') ?? 2);
const connections = Number(f.get('connections') ?? 10);
const batch = Number(f.get('batch') ?? 20_000);
const PASSWORD = 'Bench-Passw0rd!';
const PREFIXES = Array.from({ length: 90 }, (_, i) => `user${i + 10}`);

const notes = await machineNotes();
console.log(notes.map((n) => `# ${n}`).join('\n'));
console.log(`# ${seconds} s per figure after ${warmup} s warm-up, ${connections} connections, load generator in a separate process\n`);

interface Row {
  engine: Engine;
  users: number;
  seed: SeedResult;
  results: Partial<Record<Scenario, LoadResult>>;
}
const rows: Row[] = [];
const load = await LoadGen.start();

for (const engine of engines) {
  const s = await benchServer(engine);
  try {
    const pool = await s.idp.send(
      new CreateUserPoolCommand({ PoolName: 'bench', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }),
    );
    const poolId = pool.UserPool!.Id!;
    const client = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bench' }));
    const clientId = client.UserPoolClient!.ClientId!;
    const domainPool = await s.app.pools.get(poolId);
    let have = 0;
    for (const n of sizes) {
      let last = 0;
      const seed = await seedUsers(s.app, domainPool, have, n, {
        batch,
        progress: (done) => {
          if (done - last >= 100_000) {
            last = done;
            process.stdout.write(`  ${engine}: seeded ${have + done} users\r`);
          }
        },
      });
      console.log(
        `${engine}: seeded ${(n - have).toLocaleString()} users in ${seed.seconds.toFixed(1)} s (${fmt((n - have) / seed.seconds)} users/s; ${seed.cpuSeconds.toFixed(1)} CPU s here), pool now ${n.toLocaleString()}`,
      );
      have = n;

      // The real SDK agrees before the load starts (a fresh client: a long seeding outlives the
      // server's keep-alive, and the old client's socket with it).
      const idp = new CognitoIdentityProviderClient({ region: s.config.region, endpoint: s.url, credentials: ADMIN, maxAttempts: 1 });
      const last1 = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `user${n - 1}` }));
      const page = await idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ^= "user12"' }));
      idp.destroy();
      if (last1.Username !== `user${n - 1}` || page.Users?.length !== 60) throw new Error('the seeded pool does not answer as expected');

      const params: Partial<Record<Scenario, Record<string, unknown>>> = {
        health: {},
        AdminGetUser: { admin: { ...ADMIN, region: s.config.region }, poolId, users: n },
        ListUsers: { admin: { ...ADMIN, region: s.config.region }, poolId, prefixes: PREFIXES },
        SignUp: { clientId, password: PASSWORD },
      };
      const row: Row = { engine, users: n, seed, results: {} };
      for (const scenario of ['health', 'AdminGetUser', 'ListUsers', 'SignUp'] as Scenario[]) {
        const job = { kind: 'cannon' as const, url: s.url, scenario, params: params[scenario]!, connections };
        if (warmup > 0) await load.run({ ...job, seconds: warmup });
        const r = await load.run({ ...job, seconds });
        row.results[scenario] = r;
        console.log(
          `  ${engine} ${n.toLocaleString().padStart(9)} ${scenario.padEnd(13)} ${fmt(r.rps).padStart(6)} req/s  p50 ${ms(r.p50)} ms  p99 ${ms(r.p99)} ms  CPU/req server ${cpu(r.serverCpuMs)} + client ${cpu(r.clientCpuMs)} ms${r.failed ? `  (${r.failed} failed${r.lastError ? `: ${r.lastError}` : ''})` : ''}`,
        );
      }
      rows.push(row);
    }
  } finally {
    await s.close();
  }
}
await load.close();

const out: string[] = [];
out.push('### User directory (bench/userpool.ts)', '', ...notes.map((n) => `- ${n}`));
out.push(
  `- ${seconds} s per figure after a ${warmup} s warm-up; ${connections} connections from autocannon in a separate process; every admin request SigV4-signed afresh; a random user / prefix per request`,
  '- CPU ms/req: CPU time per answered request of the server process (all its threads) + of the load generator (PostgreSQL\'s own processes not counted); unlike req/s and p99 it hardly depends on what else the shared machine runs',
  `- seeding: multi-row INSERTs through the store in transactions of ${batch.toLocaleString()} users (users + user_aliases + user_search rows from userToRow/aliasEntries/searchEntries); every seeded user shares one precomputed, sealed verifier`,
  '',
);
const scen: [Scenario, string][] = [
  ['health', 'GET /health (baseline)'],
  ['AdminGetUser', 'AdminGetUser'],
  ['ListUsers', 'ListUsers email ^= "userNN"'],
  ['SignUp', 'SignUp'],
];
for (const engine of engines) {
  const mine = rows.filter((r) => r.engine === engine);
  if (!mine.length) continue;
  out.push(`**${engine}**`, '');
  const head = ['operation', ...mine.flatMap((r) => [`${short(r.users)} req/s`, `${short(r.users)} p99 ms`, `${short(r.users)} CPU ms/req`])];
  const small = mine[0];
  const big = mine[mine.length - 1];
  const ratio = `${short(big.users)}/${short(small.users)}`;
  if (mine.length > 1) head.push(`${ratio} time/req (req/s)`, `${ratio} p99`, `${ratio} server CPU`);
  const body = scen.map(([key, label]) => {
    const cells: (string | number)[] = [
      label,
      ...mine.flatMap((r) => {
        const x = r.results[key]!;
        return [fmt(x.rps), ms(x.p99), `${cpu(x.serverCpuMs)} + ${cpu(x.clientCpuMs)}`];
      }),
    ];
    if (mine.length > 1) {
      const a = small.results[key]!;
      const b = big.results[key]!;
      cells.push(`${(a.rps / b.rps).toFixed(2)}×`, `${(b.p99 / a.p99).toFixed(2)}×`, `${(b.serverCpuMs! / a.serverCpuMs!).toFixed(2)}×`);
    }
    return cells;
  });
  out.push(table(head, body), '');
  out.push(
    `Seeding: ${mine
      .map((r, i) => {
        const added = r.users - (i ? mine[i - 1].users : 0);
        return `${added.toLocaleString()} users in ${r.seed.seconds.toFixed(1)} s (${fmt(added / r.seed.seconds)} users/s, ${r.seed.cpuSeconds.toFixed(1)} CPU s in the bench process)`;
      })
      .join('; ')}.`,
    '',
  );
}
const report = out.join('\n');
console.log('\n' + report);
if (f.get('write') !== 'false') await writeResults('userpool', report);

function cpu(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2);
}

function short(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}
