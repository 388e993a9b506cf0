// What TOTP MFA adds to a sign-in: round trips, and the server's CPU time per sign-in.
//
// A Tessera (SQLite) runs in a child process; this process is only the client, so the child's
// process.cpuUsage() (which counts its SRP worker threads too) is the server's whole cost.
//   plain:  InitiateAuth USER_PASSWORD_AUTH -> tokens                                 1 round trip
//   totp:   InitiateAuth USER_PASSWORD_AUTH -> SOFTWARE_TOKEN_MFA
//           RespondToAuthChallenge SOFTWARE_TOKEN_MFA_CODE -> tokens                    2 round trips
//   srp / srpTotp: the same with USER_SRP_AUTH (+ PASSWORD_VERIFIER), the clients' default   2 / 3
//   request: RespondToAuthChallenge with a bad Session (the floor of any extra round trip)
// A TOTP step is good once per user, so each TOTP sign-in is a different user, enrolled inside the
// server before the measurement (codes for the current step). The server runs on
// real time, so its 2-second pool and client caches behave as in production. The runs alternate
// in rounds so that drift in the machine's load hits both alike.
// Sign-ins run `concurrency` at a time (default 8), as a server under load sees them: one at a
// time (concurrency 1) the server wakes from idle for every request, and that fixed cost of a
// round trip (about a millisecond of kernel and event-loop CPU) hides what the sign-in itself costs.
// Run: npx tsx bench/mfa.ts [sign-ins per run=200] [rounds=3] [concurrency=8]   (BENCH_CPU_PROF=<dir>: a V8 profile of the server per kind and round)
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { App } from '../src/app.js';
import { associateSoftwareToken } from '../src/auth/software-token.js';
import { stepAt, totpAt } from '../src/auth/totp.js';
import { ADMIN, startServer } from '../test/support/server.js';
import { PASSWORD, makeClient, makePool, makeUser, srpClient } from '../test/api/auth/support.js';
import { writeResults } from './lib/results.js';

type FromServer = { ready: string } | { cpu: NodeJS.CpuUsage } | { secrets: string[] } | { profiled: string };
type ToServer = { cpu: true } | { enrol: { poolId: string; count: number } } | { profile: 'start' | string } | { stop: true };

if (process.argv[2] === 'server') {
  // Child: the server, and answers about its CPU time.
  const s = await startServer({ engine: 'sqlite' });
  process.on('message', async (m: ToServer) => {
    if ('cpu' in m) process.send!({ cpu: process.cpuUsage() } satisfies FromServer);
    else if ('enrol' in m) process.send!({ secrets: await enrolDirectly(s.app, m.enrol.poolId, m.enrol.count) } satisfies FromServer);
    else if ('profile' in m) process.send!({ profiled: await profile(m.profile) } satisfies FromServer);
    else {
      await s.close();
      process.exit(0);
    }
  });
  process.send!({ ready: s.url } satisfies FromServer);
} else {
  await main(Number(process.argv[2] ?? 200), Number(process.argv[3] ?? 3), Number(process.argv[4] ?? 8));
}

function ask(child: ChildProcess, m: ToServer): Promise<FromServer> {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(m);
  });
}

async function main(n: number, rounds: number, concurrency: number): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  process.on('exit', () => child.kill());
  const url = await new Promise<string>((resolve) => child.once('message', (m: FromServer) => resolve((m as { ready: string }).ready)));
  const { CognitoIdentityProviderClient } = await import('@aws-sdk/client-cognito-identity-provider');
  const idp = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: ADMIN, maxAttempts: 1 });
  const s = { idp } as Parameters<typeof makePool>[0];
  const poolId = await makePool(s);
  const clientId = (await makeClient(s, poolId)).id;
  await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  await makeUser(s, poolId, 'plain');
  const password = (USERNAME: string) => ({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } });

  // One TOTP user per TOTP sign-in (and a few for the warm-up), enrolled inside the server before
  // anything is measured (through the HTTP API it takes minutes on a busy machine).
  const warm = 20;
  const { secrets } = (await ask(child, { enrol: { poolId, count: 2 * (n * rounds + warm) } })) as { secrets: string[] };
  const enrolled = secrets.map((secret, i) => ({ name: `totp${i}`, secret, lastStep: 0 }));

  let next = 0;
  /** USER_SRP_AUTH: InitiateAuth, then PASSWORD_VERIFIER (the client's math is done here, unmeasured). */
  const srp = async (USERNAME: string) => {
    const client = srpClient(poolId);
    const c = await call(url, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: client.SRP_A } });
    return call(url, 'RespondToAuthChallenge', {
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: client.answer(c.ChallengeParameters, PASSWORD),
    });
  };
  const answerTotp = async (u: (typeof enrolled)[number], session: string) => {
    const step = Math.max(stepAt(Date.now()), u.lastStep + 1);
    const r = await call(url, 'RespondToAuthChallenge', {
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: session,
      ChallengeResponses: { USERNAME: u.name, SOFTWARE_TOKEN_MFA_CODE: totpAt(u.secret, step * 30_000) },
    });
    if (!r.AuthenticationResult) throw new Error(JSON.stringify(r));
  };
  const signIn = {
    // The floor of any extra round trip: a request refused at its first check (a bad Session).
    request: async () => {
      const r = await call(url, 'RespondToAuthChallenge', { ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'x'.repeat(40), ChallengeResponses: { USERNAME: 'plain', SOFTWARE_TOKEN_MFA_CODE: '000000' } });
      if (r.__type !== 'NotAuthorizedException') throw new Error(JSON.stringify(r));
      return 1;
    },
    plain: async () => {
      const r = await call(url, 'InitiateAuth', password('plain'));
      if (!r.AuthenticationResult) throw new Error(JSON.stringify(r));
      return 1;
    },
    totp: async () => {
      const u = enrolled[next++]!;
      const c = await call(url, 'InitiateAuth', password(u.name));
      await answerTotp(u, c.Session);
      return 2;
    },
    srp: async () => {
      const r = await srp('plain');
      if (!r.AuthenticationResult) throw new Error(JSON.stringify(r));
      return 2;
    },
    srpTotp: async () => {
      const u = enrolled[next++]!;
      const c = await srp(u.name);
      await answerTotp(u, c.Session);
      return 3;
    },
  };
  type Kind = keyof typeof signIn;
  const kinds = Object.keys(signIn) as Kind[];
  for (let i = 0; i < warm; i++) for (const kind of kinds) await signIn[kind]();

  const cpu = async () => ((await ask(child, { cpu: true })) as { cpu: NodeJS.CpuUsage }).cpu;
  const cpuMs = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<Kind, number>;
  const trips = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<Kind, number>;
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      if (process.env.BENCH_CPU_PROF) await ask(child, { profile: 'start' });
      const before = await cpu();
      let started = 0;
      const loop = async () => {
        while (started++ < n) {
          const t = await signIn[kind]();
          trips[kind] += t;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, loop));
      const after = await cpu();
      if (process.env.BENCH_CPU_PROF) await ask(child, { profile: `${process.env.BENCH_CPU_PROF}/${kind}-${round}.cpuprofile` });
      cpuMs[kind] += (after.user - before.user + after.system - before.system) / 1000;
    }
  }
  const total = n * rounds;
  const per = Object.fromEntries(kinds.map((k) => [k, cpuMs[k] / total])) as Record<Kind, number>;
  const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
  const row = (name: string, base: Kind, mfa: Kind) =>
    `| ${name} | ${trips[base] / total} | ${per[base].toFixed(2)} ms | ${trips[mfa] / total} | ${per[mfa].toFixed(2)} ms | ${(per[mfa] - per[base]).toFixed(2)} ms = ${pct(per[mfa], per[base])} |`;
  const report = [
    `## mfa: what SOFTWARE_TOKEN_MFA adds to a sign-in (${new Date().toISOString().slice(0, 10)}, SQLite, ${total} of each)`,
    '',
    `Server process CPU time per sign-in (process.cpuUsage of the server in a child process; kinds alternate in rounds; ${concurrency} sign-ins at a time).`,
    '',
    '| sign-in | round trips | server CPU | with TOTP: round trips | server CPU | TOTP adds |',
    '|---|---|---|---|---|---|',
    row('USER_PASSWORD_AUTH', 'plain', 'totp'),
    row('USER_SRP_AUTH', 'srp', 'srpTotp'),
    '',
    `The floor of any extra round trip (a request refused at its first check): ${per.request.toFixed(2)} ms.`,
  ].join('\n');
  console.log(report);
  await writeResults('mfa', report);
  idp.destroy();
  child.send({ stop: true } satisfies ToServer);
  await new Promise((resolve) => child.once('exit', resolve));
}

/** In the server process: starts the V8 profiler, or stops it and writes the profile to `to`. */
let inspector: import('node:inspector/promises').Session | undefined;
async function profile(to: string): Promise<string> {
  if (to === 'start') {
    const { Session } = await import('node:inspector/promises');
    inspector = new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
    return to;
  }
  const { profile: p } = await inspector!.post('Profiler.stop');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(to, JSON.stringify(p));
  inspector!.disconnect();
  return to;
}

/** In the server process: `count` users with a password and a verified, preferred software token. */
async function enrolDirectly(app: App, poolId: string, count: number): Promise<string[]> {
  const pool = await app.pools.get(poolId);
  const secrets: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = app.users.build(pool, { username: `totp${i}`, attributes: {}, status: 'CONFIRMED' });
    await app.users.insert(pool, user);
    await app.users.setPassword(pool, user, PASSWORD, { permanent: true });
    secrets.push(await associateSoftwareToken(app, pool, user));
    const { totpPending, ...rest } = user.mfa;
    user.mfa = { ...rest, totpSecret: totpPending, totpEnabled: true, preferred: 'SOFTWARE_TOKEN_MFA' };
    await app.users.save(pool, user);
  }
  return secrets;
}

/** One JSON 1.1 call, as a browser client makes it (the cheapest client there is). */
async function call(url: string, op: string, body: unknown): Promise<Record<string, any>> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${op}` },
    body: JSON.stringify(body),
  });
  return (await r.json()) as Record<string, any>;
}
