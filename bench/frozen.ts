// `npm run bench -- frozen [--users 200000] [--engine sqlite|postgres]`
// What a frozen-settings change costs on a big pool: N users seeded (lib/seed.ts; e-mail verified,
// so an alias when the pool has AliasAttributes email), then through the admin endpoint (HTTP Basic)
// a preview and an apply that touch every user (AliasAttributes [email] -> [], every alias row
// deleted), the apply back (every alias row inserted), and a preview that changes nobody (CaseSensitive true on lower-case usernames). Time,
// CPU of this process (server and, on SQLite, the database) and RSS sampled every 250 ms.
import os from 'node:os';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, startServer, type Engine } from '../test/support/server.js';
import { seedUsers } from './lib/seed.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
};
const N = Number(arg('users', '200000'));
const engine = arg('engine', 'sqlite') as Engine;
if (engine === 'postgres') process.env.TESSERA_TEST_PG ||= 'postgres://postgres@127.0.0.1:5432/test';
const mb = (b: number) => Math.round(b / 1024 / 1024);

async function sampled<T>(fn: () => Promise<T>) {
  const cpu0 = process.cpuUsage();
  const rss = [process.memoryUsage().rss];
  const timer = setInterval(() => rss.push(process.memoryUsage().rss), 250);
  const t0 = performance.now();
  try {
    const value = await fn();
    const cpu = process.cpuUsage(cpu0);
    return { value, s: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6, rss };
  } finally {
    clearInterval(timer);
  }
}

const s = await startServer({ engine });
try {
  console.log(`# frozen-settings bench: ${N} users, ${engine}, Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const poolId = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'frozen-bench', AliasAttributes: ['email'] }))).UserPool!.Id!;
  const pool = await s.app.pools.get(poolId);
  const seed = await seedUsers(s.app, pool, 0, N, {});
  console.log(`seeded ${N} users in ${seed.seconds.toFixed(1)} s`);
  const basic = `Basic ${Buffer.from(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`).toString('base64')}`;
  const call = async (mode: 'preview' | 'apply', change: unknown) => {
    const r = await fetch(`${s.url}/tessera/admin/pools/${poolId}/frozen-settings/${mode}`, { method: 'POST', headers: { authorization: basic }, body: JSON.stringify(change) });
    const json = (await r.json()) as { usersScanned: number; usersChanged: number };
    if (r.status !== 200) throw new Error(`${mode}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const report = (what: string, r: Awaited<ReturnType<typeof sampled<{ usersScanned: number; usersChanged: number }>>>) => {
    console.log(`| ${what} | ${r.value.usersScanned} read, ${r.value.usersChanged} changed | ${r.s.toFixed(1)} s | ${r.cpuS.toFixed(1)} CPU-s | ${mb(r.rss[0]!)} → max ${mb(Math.max(...r.rss))} MiB |`);
  };
  console.log('| step | users | time | CPU | RSS |\n|---|---|---|---|---|');
  report('preview, no user changes (CaseSensitive true)', await sampled(() => call('preview', { CaseSensitive: true })));
  report('preview, every user changes (AliasAttributes [])', await sampled(() => call('preview', { AliasAttributes: [] })));
  report('apply, every user changes (AliasAttributes [])', await sampled(() => call('apply', { AliasAttributes: [] })));
  report('apply, every user changes back (AliasAttributes [email]: alias rows inserted)', await sampled(() => call('apply', { AliasAttributes: ['email'] })));
} finally {
  await s.close();
}
