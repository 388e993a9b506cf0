// `npm run bench -- import [--users 200000] [--engine sqlite|postgres]`
// A user import job of N users with bcrypt hashes through the real server (SDK + the pre-signed
// PUT), then `tessera export` of the same pool, with the process's memory (RSS) sampled every
// 250 ms to show that it stays flat: the CSV is streamed, users go in 1,000 per transaction, the
// export is written frame by frame.
//
// The bcrypt hashes (cost 10) are computed once, 64 of them, and reused round-robin: an import
// only checks a hash's form, it never runs bcrypt, so distinct hashes would change nothing but
// the set-up time. The first sign-in of an imported user does run bcrypt; its time is shown.
// The server runs in this process, so RSS covers the server, the job, the export and the bench.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import bcrypt from 'bcrypt';
import {
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  InitiateAuthCommand,
  StartUserImportJobCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { publicClient, startServer, type Engine } from '../test/support/server.js';
import { ArchiveWriter } from '../src/cli/archive.js';
import { exportPool } from '../src/cli/pool-copy.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
};
const N = Number(arg('users', '200000'));
const engine = arg('engine', 'sqlite') as Engine;
// The local PostgreSQL the tests use, unless TESSERA_TEST_PG names another.
if (engine === 'postgres') process.env.TESSERA_TEST_PG ||= 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'Bench-Passw0rd!';
const mb = (b: number) => Math.round(b / 1024 / 1024);

/** RSS samples while `fn` runs. */
async function sampled<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number; rss: number[]; heap: number[] }> {
  const cpu0 = process.cpuUsage();
  const rss: number[] = [process.memoryUsage().rss];
  const heap: number[] = [process.memoryUsage().heapUsed];
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  }, 250);
  const t0 = performance.now();
  try {
    const value = await fn();
    const cpu = process.cpuUsage(cpu0);
    return { value, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, rss, heap };
  } finally {
    clearInterval(timer);
    rss.push(process.memoryUsage().rss);
  }
}

/** A few RSS figures along the run, in MiB. */
function series(rss: number[], points = 10): string {
  const out: number[] = [];
  for (let i = 0; i < points; i++) out.push(mb(rss[Math.floor((i * (rss.length - 1)) / (points - 1))]!));
  return out.join(' → ');
}

const work = mkdtempSync(join(tmpdir(), 'tessera-bench-import-'));
const s = await startServer({ engine });
try {
  console.log(`# import bench: ${N} users, ${engine}, Node ${process.version}`);
  const t0 = performance.now();
  const hashes = await Promise.all(Array.from({ length: 64 }, () => bcrypt.hash(PASSWORD, 10)));
  console.log(`64 bcrypt hashes (cost 10) computed once in ${Math.round(performance.now() - t0)} ms, reused round-robin`);

  const pool = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'bench', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
  const poolId = pool.UserPool!.Id!;
  const client = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));

  const file = join(work, 'users.csv');
  const out = createWriteStream(file);
  out.write('cognito:username,name,email,email_verified,cognito:mfa_enabled,tessera:password_hash\n');
  for (let i = 0; i < N; i++) {
    if (!out.write(`user${i},User ${i},user${i}@example.com,true,false,${hashes[i % hashes.length]}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const bytes = statSync(file).size;

  const job = (await s.idp.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'bench', CloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/bench' }))).UserImportJob!;
  const up = await sampled(async () => {
    const r = await fetch(job.PreSignedUrl!, { method: 'PUT', body: Readable.toWeb(createReadStream(file)) as ReadableStream, duplex: 'half' } as RequestInit);
    if (r.status !== 200) throw new Error(`upload: ${r.status} ${await r.text()}`);
  });
  console.log(`upload: ${mb(bytes)} MiB in ${Math.round(up.ms)} ms, RSS ${series(up.rss, 4)} MiB`);

  const run = await sampled(async () => {
    await s.idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const d = (await s.idp.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }))).UserImportJob!;
      if (!['Pending', 'InProgress'].includes(d.Status!)) return d;
    }
  });
  const d = run.value;
  console.log(`import: ${d.Status}, ${d.ImportedUsers} imported, ${d.FailedUsers} failed, ${d.SkippedUsers} skipped in ${(run.ms / 1000).toFixed(1)} s`);
  console.log(`import: ${Math.round((d.ImportedUsers! / run.ms) * 1000)} users/s; RSS ${series(run.rss)} MiB (min ${mb(Math.min(...run.rss))}, max ${mb(Math.max(...run.rss))}); JS heap used ${series(run.heap, 5)} MiB`);
  console.log(`import: 1,000,000 users at this rate: ${((1_000_000 / d.ImportedUsers!) * run.ms / 60_000).toFixed(1)} min`);
  // CPU time of this process (server, job and, on SQLite, the database): what a busy machine does not distort.
  console.log(`import: ${(run.cpuMs / 1000).toFixed(1)} CPU-s in this process (${((run.cpuMs / d.ImportedUsers!) * 1000).toFixed(0)} CPU-ms per 1,000 users; 1,000,000 users: ${((run.cpuMs / d.ImportedUsers!) * 1_000_000 / 60_000).toFixed(1)} CPU-min)`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const pub = publicClient(s.url);
  const signIn = async () => {
    const t = performance.now();
    await pub.send(new InitiateAuthCommand({ ClientId: client.UserPoolClient!.ClientId!, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'user7', PASSWORD } }));
    return Math.round(performance.now() - t);
  };
  console.log(`first sign-in of an imported user (bcrypt verify + SRP verifier written): ${await signIn()} ms; the next one: ${await signIn()} ms`);
  pub.destroy();

  const archive = join(work, 'pool.tessera');
  const ex = await sampled(async () => {
    const writer = new ArchiveWriter(createWriteStream(archive), Buffer.alloc(32, 1));
    const counts = await exportPool(s.app, poolId, writer, () => undefined);
    await writer.close();
    return counts;
  });
  console.log(`export: ${ex.value.users} users, ${mb(statSync(archive).size)} MiB in ${(ex.ms / 1000).toFixed(1)} s (${Math.round((ex.value.users / ex.ms) * 1000)} users/s); RSS ${series(ex.rss)} MiB; JS heap used ${series(ex.heap, 5)} MiB`);
  console.log(`export: 1,000,000 users at this rate: ${((1_000_000 / ex.value.users) * ex.ms / 60_000).toFixed(1)} min`);
} finally {
  await s.close();
  rmSync(work, { recursive: true, force: true });
}
