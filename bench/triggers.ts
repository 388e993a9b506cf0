// What a trigger costs a sign-in. Starts a Tessera and, in child processes, a Lambda Invoke API
// server (a no-op PreTokenGeneration that returns the event) and the load generator. Then, for
// three pools — no trigger, PreTokenGeneration on the local Lambda endpoint, the same as a signed
// webhook — runs `concurrency` loops of InitiateAuth USER_PASSWORD_AUTH for `seconds` each and
// prints sign-ins per second, p50/p99 latency and the Tessera process's CPU time per sign-in (the
// figure that holds on a busy machine), and each trigger pool's throughput as a share of the pool
// without (target: at least 70 %).
// Run: npx tsx bench/triggers.ts [seconds=5] [concurrency=16] [rounds=3]   (or npm run bench -- triggers)
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startServer } from '../test/support/server.js';
import { arnOf, startLambdaServer } from '../test/api/triggers/lambda-server.js';

const PASSWORD = 'Corr3ct-Horse!';
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === 'lambda') {
  // Child: the function host.
  const server = await startLambdaServer({ noop: (e) => e });
  process.send!({ url: server.url });
  process.on('disconnect', () => process.exit(0));
} else if (process.argv[2] === 'load') {
  // Child: the load generator (plain fetch: the client's own cost stays small).
  const [, , , url, clientId, ms, n] = process.argv;
  const body = JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bench', PASSWORD } });
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' };
  const until = Date.now() + Number(ms);
  const latencies: number[] = [];
  let failed = 0;
  const loop = async () => {
    while (Date.now() < until) {
      const t = performance.now();
      const r = await fetch(url, { method: 'POST', headers, body });
      const text = await r.text();
      if (r.status !== 200 || !text.includes('AccessToken')) failed++;
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Number(n) }, loop));
  process.send!({ latencies, failed });
  process.exit(0);
} else {
  const seconds = Number(process.argv[2] ?? 5);
  const concurrency = Number(process.argv[3] ?? 16);
  const rounds = Number(process.argv[4] ?? 3);
  const host = fork(self, ['lambda']);
  const lambdaUrl = await new Promise<string>((resolve) => host.once('message', (m: { url: string }) => resolve(m.url)));
  const s = await startServer({ env: { TESSERA_LAMBDA_ENDPOINT: lambdaUrl } });
  Object.assign(s.app.auth.limits, { failuresBeforeLock: 1e9, ipFailures: 1e9 });

  async function poolWith(LambdaConfig?: Record<string, string>) {
    const p = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'bench', LambdaConfig }));
    const poolId = p.UserPool!.Id!;
    const c = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bench', MessageAction: 'SUPPRESS' }));
    await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'bench', Password: PASSWORD, Permanent: true }));
    return c.UserPoolClient!.ClientId!;
  }

  const pools = {
    'no trigger': await poolWith(),
    'PreTokenGeneration, Lambda endpoint': await poolWith({ PreTokenGeneration: arnOf('noop') }),
    'PreTokenGeneration, webhook': await poolWith({ PreTokenGeneration: `${lambdaUrl}/hooks/noop` }),
  };

  const run = (clientId: string, ms: number) =>
    new Promise<{ latencies: number[]; failed: number }>((resolve) => {
      const child = fork(self, ['load', s.url, clientId, String(ms), String(concurrency)]);
      child.once('message', (m: { latencies: number[]; failed: number }) => resolve(m));
    });
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

  // Warm-up: keys, JIT, connections.
  for (const id of Object.values(pools)) await run(id, 1000);
  // Rounds interleave the pools, so that load from elsewhere on the machine falls on all alike;
  // each pool's figure is its median round.
  console.log(`sign-ins (USER_PASSWORD_AUTH), ${concurrency} concurrent loops, ${rounds} rounds of ${seconds} s per pool, node ${process.version}`);
  const samples: Record<string, { rate: number; latencies: number[]; failed: number; cpuMs: number }[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, clientId] of Object.entries(pools)) {
      const cpu0 = process.cpuUsage();
      const r = await run(clientId, seconds * 1000);
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, r.latencies.length);
      (samples[name] ??= []).push({ rate: r.latencies.length / seconds, latencies: r.latencies, failed: r.failed, cpuMs });
    }
  }
  const rates: Record<string, number> = {};
  for (const [name, runs] of Object.entries(samples)) {
    const median = [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)];
    rates[name] = median.rate;
    const failed = runs.reduce((n, r) => n + r.failed, 0);
    console.log(
      `  ${name.padEnd(38)} ${median.rate.toFixed(0).padStart(6)} /s   p50 ${pct(median.latencies, 50).toFixed(1)} ms   p99 ${pct(median.latencies, 99).toFixed(1)} ms   Tessera CPU ${median.cpuMs.toFixed(2)} ms/sign-in   rounds ${runs.map((r) => r.rate.toFixed(0)).join(', ')}${failed ? `   (${failed} failed)` : ''}`,
    );
  }
  const base = rates['no trigger'];
  for (const name of Object.keys(pools).slice(1)) console.log(`  ${name}: ${((100 * rates[name]) / base).toFixed(0)} % of the pool without (target >= 70 %)`);
  await s.close();
  host.kill();
}
