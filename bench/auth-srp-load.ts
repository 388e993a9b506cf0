// How SRP sign-ins load the event loop. Starts a Tessera, then for each mode runs `CONCURRENCY`
// sign-in loops (InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge PASSWORD_VERIFIER: the
// server's full three exponentiations; the answers carry a wrong claim so the load costs the
// client nothing) in a child process, while this process times a cheap request (GET /health)
// every 10 ms. Prints sign-ins per second and the cheap request's p50/p99.
//   modes: `workers` (the ModPowPool, as shipped) and `loop` (the same math on the event loop).
// Run: npx tsx bench/auth-srp-load.ts [seconds=5] [concurrency=16]
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { modPowN, powG } from '../src/crypto/srp.js';
import { publicClient, startServer } from '../test/support/server.js';
import { makeClient, makePool, srpClient } from '../test/api/auth/support.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 16);

if (process.argv[2] === 'load') {
  // Child: the load generator.
  const [, , , url, poolId, clientId, ms, n] = process.argv;
  const pub = publicClient(url);
  const srp = srpClient(poolId);
  const until = Date.now() + Number(ms);
  let done = 0;
  const loop = async () => {
    while (Date.now() < until) {
      const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'bench', SRP_A: srp.SRP_A } }));
      const p = r.ChallengeParameters!;
      const responses = { USERNAME: p.USERNAME, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: srpTimestampNow(), PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32, 1).toString('base64') };
      await pub.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: r.Session })).catch(() => undefined);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Number(n) }, loop));
  process.send!({ done });
  process.exit(0);
}

function srpTimestampNow(): string {
  const d = new Date();
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const t = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
  return `${day} ${mon} ${d.getUTCDate()} ${t} UTC ${d.getUTCFullYear()}`;
}

/** The ModPowPool's interface, computed on the event loop (the `loop` mode). */
const onLoop = {
  powG: async (e: bigint) => powG(e),
  modPow: async (b: bigint, e: bigint) => modPowN(b, e),
  close: async () => undefined,
};

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const s = await startServer();
Object.assign(s.app.auth.limits, { failuresBeforeLock: 1e9, ipFailures: 1e9 });
const poolId = await makePool(s);
const clientId = (await makeClient(s, poolId)).id;
// No user needed: with PreventUserExistenceErrors ENABLED an unknown name costs the same work.
const workers = s.app.auth.modPow;

// 1. Event-loop time per sign-in (the domain called directly, no HTTP): what the loop itself spends.
const { initiateAuth, respondToAuthChallenge } = await import('../src/auth/flows.js');
const client = await s.app.pools.getClient(undefined, clientId);
const ctx = { app: s.app, pool: await s.app.pools.get(poolId), client, admin: false, sourceIp: '10.0.0.1' };
const A = srpClient(poolId).SRP_A;
for (const mode of ['workers', 'loop'] as const) {
  (s.app.auth as { modPow: unknown }).modPow = mode === 'workers' ? workers : onLoop;
  const n = 60;
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const step = await initiateAuth(ctx, 'USER_SRP_AUTH', { USERNAME: 'bench', SRP_A: A });
    if (step.kind !== 'challenge') throw new Error('expected a challenge');
    const p = step.parameters;
    const responses = { USERNAME: p.USERNAME, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: srpTimestampNow(), PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32, 1).toString('base64') };
    await respondToAuthChallenge(ctx, 'PASSWORD_VERIFIER', responses, step.session).catch(() => undefined);
  }
  const elu = performance.eventLoopUtilization(elu0);
  console.log(`${mode.padEnd(8)} event-loop time per SRP sign-in ${(elu.active / n).toFixed(2)} ms (wall ${((performance.now() - t0) / n).toFixed(2)} ms)`);
}

// 2. A cheap request's latency while a second process drives sign-ins over HTTP.

for (const mode of ['workers', 'loop'] as const) {
  (s.app.auth as { modPow: unknown }).modPow = mode === 'workers' ? workers : onLoop;
  const child = fork(fileURLToPath(import.meta.url), ['load', s.url, poolId, clientId, String(seconds * 1000), String(concurrency)], {
    execArgv: ['--import', 'tsx'],
  });
  const result = new Promise<number>((resolve) => child.on('message', (m: { done: number }) => resolve(m.done)));
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  await new Promise((r) => setTimeout(r, 500));
  while (Date.now() < until - 200) {
    const t = performance.now();
    await fetch(`${s.url}/health`).then((r) => r.arrayBuffer());
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  const done = await result;
  console.log(
    `${mode.padEnd(8)} sign-ins/s ${(done / seconds).toFixed(0).padStart(5)}   /health p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms  (n=${latencies.length})`,
  );
}
(s.app.auth as { modPow: unknown }).modPow = workers;
await s.close();
