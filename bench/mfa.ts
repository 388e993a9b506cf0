// What TOTP MFA adds to a sign-in: round trips, and the server's CPU time per sign-in.
//
// A Tessera (SQLite) runs in a child process; this process is only the client, so the child's
// process.cpuUsage() (which counts its SRP worker threads too) is the server's whole cost.
//   plain:  InitiateAuth USER_PASSWORD_AUTH -> tokens                                 1 round trip
//   totp:   InitiateAuth USER_PASSWORD_AUTH -> SOFTWARE_TOKEN_MFA
//           RespondToAuthChallenge SOFTWARE_TOKEN_MFA_CODE -> tokens                    2 round trips
//   request: RespondToAuthChallenge with a bad Session (the floor of any extra round trip)
// A TOTP step is good once per user, so each TOTP sign-in is a different enrolled user (codes for
// the current step, or the next one when the current was used at enrolment). The server runs on
// real time, so its 2-second pool and client caches behave as in production. The runs alternate
// in rounds so that drift in the machine's load hits both alike.
// Run: npx tsx bench/mfa.ts [sign-ins per run=200] [rounds=3]   (BENCH_CPU_PROF=<dir> profiles the server)
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { stepAt, totpAt } from '../src/auth/totp.js';
import { ADMIN, startServer } from '../test/support/server.js';
import { PASSWORD, makeClient, makePool, makeUser } from '../test/api/auth/support.js';

type FromServer = { ready: string } | { cpu: NodeJS.CpuUsage };
type ToServer = { cpu: true } | { stop: true };

if (process.argv[2] === 'server') {
  // Child: the server, and answers about its CPU time.
  const s = await startServer({ engine: 'sqlite' });
  process.on('message', async (m: ToServer) => {
    if ('cpu' in m) process.send!({ cpu: process.cpuUsage() } satisfies FromServer);
    else {
      await s.close();
      process.exit(0);
    }
  });
  process.send!({ ready: s.url } satisfies FromServer);
} else {
  await main(Number(process.argv[2] ?? 200), Number(process.argv[3] ?? 3));
}

function ask(child: ChildProcess, m: ToServer): Promise<FromServer> {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(m);
  });
}

async function main(n: number, rounds: number): Promise<void> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: ['--import', 'tsx', ...prof], stdio: 'inherit' });
  const url = await new Promise<string>((resolve) => child.once('message', (m: FromServer) => resolve((m as { ready: string }).ready)));
  const { CognitoIdentityProviderClient } = await import('@aws-sdk/client-cognito-identity-provider');
  const idp = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: ADMIN, maxAttempts: 1 });
  const s = { idp } as Parameters<typeof makePool>[0];
  const poolId = await makePool(s);
  const clientId = (await makeClient(s, poolId)).id;
  await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  await makeUser(s, poolId, 'plain');
  const password = (USERNAME: string) => ({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } });

  // Enrol one TOTP user per TOTP sign-in (and a few for the warm-up).
  const enrolled: { name: string; secret: string; lastStep: number }[] = [];
  const warm = 20;
  for (let i = 0; i < n * rounds + warm; i++) {
    const name = `totp${i}`;
    await makeUser(s, poolId, name);
    const AccessToken = (await call(url, 'InitiateAuth', password(name))).AuthenticationResult.AccessToken as string;
    const secret = (await call(url, 'AssociateSoftwareToken', { AccessToken })).SecretCode as string;
    const at = Date.now();
    await call(url, 'VerifySoftwareToken', { AccessToken, UserCode: totpAt(secret, at) });
    await call(url, 'SetUserMFAPreference', { AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    enrolled.push({ name, secret, lastStep: stepAt(at) });
  }

  let next = 0;
  const signIn = {
    // The floor of any extra round trip: a request refused at its first check (a bad Session).
    request: async () => {
      const r = await call(url, 'RespondToAuthChallenge', { ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'x', ChallengeResponses: { USERNAME: 'plain', SOFTWARE_TOKEN_MFA_CODE: '000000' } });
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
      const step = Math.max(stepAt(Date.now()), u.lastStep + 1);
      const r = await call(url, 'RespondToAuthChallenge', {
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: c.Session,
        ChallengeResponses: { USERNAME: u.name, SOFTWARE_TOKEN_MFA_CODE: totpAt(u.secret, step * 30_000) },
      });
      if (!r.AuthenticationResult) throw new Error(JSON.stringify(r));
      return 2;
    },
  };
  for (let i = 0; i < warm; i++) {
    await signIn.plain();
    await signIn.totp();
  }

  const cpu = async () => ((await ask(child, { cpu: true })) as { cpu: NodeJS.CpuUsage }).cpu;
  const cpuMs = { request: 0, plain: 0, totp: 0 };
  const trips = { request: 0, plain: 0, totp: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['request', 'plain', 'totp'] as const) {
      const before = await cpu();
      for (let i = 0; i < n; i++) trips[kind] += await signIn[kind]();
      const after = await cpu();
      cpuMs[kind] += (after.user - before.user + after.system - before.system) / 1000;
    }
  }
  const total = n * rounds;
  const per = { request: cpuMs.request / total, plain: cpuMs.plain / total, totp: cpuMs.totp / total };
  console.log(`sign-ins per kind: ${total} (${rounds} rounds of ${n}, alternating)`);
  console.log(`round trips per sign-in: plain ${trips.plain / total}, totp ${trips.totp / total}`);
  console.log(`server CPU per sign-in: plain ${per.plain.toFixed(3)} ms, totp ${per.totp.toFixed(3)} ms`);
  console.log(`TOTP adds ${(per.totp - per.plain).toFixed(3)} ms = ${(((per.totp - per.plain) / per.plain) * 100).toFixed(1)} % server CPU`);
  console.log(`one request refused at its first check costs ${per.request.toFixed(3)} ms = ${((per.request / per.plain) * 100).toFixed(1)} % of a plain sign-in`);
  idp.destroy();
  child.send({ stop: true } satisfies ToServer);
  await new Promise((resolve) => child.once('exit', resolve));
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
