// The load generator: a child process (forked by load.ts) so that it runs on the other core than
// the server's event loop. It takes jobs over IPC and answers each with its figures:
//   cannon  one scenario (a request builder below) on keep-alive connections (lib/http-lite.ts),
//           fixed duration and connections, optionally at a fixed overall rate (a latency probe)
//   srp     complete USER_SRP_AUTH sign-ins (InitiateAuth + RespondToAuthChallenge), `connections`
//           loops, the client's SRP math done here with native exponentiation
// Traffic goes to 127.0.0.1 only.
import { createHmac, randomBytes } from 'node:crypto';
import { LiteConnection, encodeRequest, type LiteResponse } from './http-lite.js';
import { N, fromHex, hashHex, k, modPowN, padHex, powG } from '../../src/crypto/srp.js';
import { makeSigner } from './sigv4.js';
import type { CannonJob, Job, LoadResult, SrpJob } from './load.js';

const IDP = 'AWSCognitoIdentityProviderService';
const JSON_TYPE = 'application/x-amz-json-1.1';
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

type Build = () => { method: string; path: string; headers: Record<string, string>; body?: string };

/** Request builders by scenario name; each call makes the next request (fresh date, random pick). */
function scenario(job: CannonJob): Build {
  const p = job.params as Record<string, any>;
  const host = new URL(job.url).host;
  const signer = p.admin ? makeSigner({ ...p.admin, service: 'cognito-idp' }) : undefined;
  const signed = (op: string, input: unknown) => {
    const body = JSON.stringify(input);
    return { method: 'POST', path: '/', headers: signer!(host, `${IDP}.${op}`, body), body };
  };
  const unsigned = (op: string, input: unknown) => ({
    method: 'POST',
    path: '/',
    headers: { 'content-type': JSON_TYPE, 'x-amz-target': `${IDP}.${op}` },
    body: JSON.stringify(input),
  });
  let n = 0;
  const tag = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  switch (job.scenario) {
    case 'health':
      return () => ({ method: 'GET', path: '/health', headers: {} });
    case 'AdminGetUser':
      // A random user of the whole pool on every request, so 1 M users are not a hot 10 k.
      return () => signed('AdminGetUser', { UserPoolId: p.poolId, Username: `user${Math.floor(Math.random() * p.users)}` });
    case 'ListUsers':
      return () => signed('ListUsers', { UserPoolId: p.poolId, Filter: `email ^= "${pick(p.prefixes as string[])}"` });
    case 'SignUp':
      return () =>
        unsigned('SignUp', {
          ClientId: p.clientId,
          Username: `su-${tag}-${n}`,
          Password: p.password,
          UserAttributes: [{ Name: 'email', Value: `su-${tag}-${n++}@example.com` }],
        });
    case 'RefreshTokenAuth':
      return () => unsigned('InitiateAuth', { ClientId: p.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: pick(p.refreshTokens as string[]) } });
    case 'GetTokensFromRefreshToken':
      return () => unsigned('GetTokensFromRefreshToken', { ClientId: p.clientId, RefreshToken: pick(p.refreshTokens as string[]) });
    case 'UserPasswordAuth':
      return () => unsigned('InitiateAuth', { ClientId: p.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: pick(p.usernames as string[]), PASSWORD: p.password } });
    case 'GetUser':
      return () => unsigned('GetUser', { AccessToken: pick(p.accessTokens as string[]) });
    default:
      throw new Error(`unknown scenario ${job.scenario}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REQUEST_TIMEOUT_MS = 30_000;

/** One request on a connection, failing after REQUEST_TIMEOUT_MS. */
async function send(conn: LiteConnection, bytes: Buffer): Promise<LiteResponse> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      conn.request(bytes),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), REQUEST_TIMEOUT_MS))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99) };
}

/**
 * `connections` keep-alive connections, each sending the scenario's next request as soon as the
 * last one is answered, or, with `rate`, on a fixed schedule (rate / connections per connection).
 * A connection that fails is replaced.
 */
async function runCannon(job: CannonJob): Promise<LoadResult> {
  const build = scenario(job);
  const url = new URL(job.url);
  const connect = () => new LiteConnection(url.hostname, Number(url.port));
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let lastError = '';
  const started = performance.now();
  const until = started + job.seconds * 1000;
  const interval = job.rate ? (1000 * job.connections) / job.rate : 0;
  const loop = async (i: number) => {
    let conn = connect();
    let due = started + (interval * i) / job.connections;
    for (;;) {
      if (interval) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        due += interval;
      }
      if (performance.now() >= until) break;
      const bytes = encodeRequest(url.host, build());
      // At a fixed rate, latency counts from when the request was due: a stall that delays the
      // following requests shows in their latency (no coordinated omission).
      const t0 = interval ? Math.min(performance.now(), due - interval) : performance.now();
      try {
        const r = await send(conn, bytes);
        if (r.status >= 200 && r.status < 300) {
          ok++;
          latencies.push(performance.now() - t0);
        } else {
          failed++;
          lastError = `${r.status} ${r.body.toString('utf8').slice(0, 200)}`;
        }
      } catch (e) {
        failed++;
        lastError = String((e as Error).message);
        conn.close();
        conn = connect();
      }
    }
    conn.close();
  };
  await Promise.all(Array.from({ length: job.connections }, (_, i) => loop(i)));
  const seconds = (performance.now() - started) / 1000;
  return { ok, failed, seconds, rps: ok / seconds, ...percentiles(latencies), lastError: lastError || undefined };
}

// ---- SRP sign-ins ----------------------------------------------------------------------------

const INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
function srpTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

async function post(conn: LiteConnection, url: URL, op: string, input: unknown): Promise<{ status: number; body: any }> {
  const bytes = encodeRequest(url.host, {
    method: 'POST',
    path: '/',
    headers: { 'content-type': JSON_TYPE, 'x-amz-target': `${IDP}.${op}` },
    body: JSON.stringify(input),
  });
  const r = await send(conn, bytes);
  return { status: r.status, body: JSON.parse(r.body.toString('utf8') || '{}') };
}

/**
 * Complete SRP sign-ins. Before the timed loop: per user k·g^x (x from the password and the salt
 * the bench seeded) and a pool of client ephemerals (a of 256 bits, A = g^a), reused round-robin.
 * In the loop the client pays one exponentiation, (B − k·g^x)^(a + u·x) mod N, and the hashing.
 */
async function runSrp(job: SrpJob): Promise<LoadResult> {
  const url = new URL(job.url);
  const poolName = job.poolId.split('_')[1];
  const users = job.users.map((u) => ({ username: u.username, x: fromHex(u.x), kgx: (k * powG(fromHex(u.x))) % N }));
  const ephemerals = Array.from({ length: job.ephemerals }, () => {
    const a = fromHex(randomBytes(32).toString('hex'));
    const A = powG(a);
    return { a, A, Ahex: A.toString(16), Apad: padHex(A) };
  });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let next = 0;
  let lastError = '';
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const until = started + job.seconds * 1000;
  const loop = async () => {
    let conn = new LiteConnection(url.hostname, Number(url.port));
    while (performance.now() < until) {
      const user = users[next % users.length];
      const e = ephemerals[next++ % ephemerals.length];
      const t0 = performance.now();
      try {
        const first = await post(conn, url, 'InitiateAuth', {
          ClientId: job.clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: user.username, SRP_A: e.Ahex },
        });
        const c = first.body.ChallengeParameters;
        if (first.status !== 200 || !c) throw new Error(`InitiateAuth ${first.status} ${first.body.__type}`);
        const B = fromHex(c.SRP_B);
        const u = fromHex(hashHex(e.Apad + padHex(B)));
        const S = modPowN((((B - user.kgx) % N) + N) % N, e.a + u * user.x);
        const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
        const key = createHmac('sha256', prk).update(INFO).digest().subarray(0, 16);
        const TIMESTAMP = srpTimestamp(Date.now());
        const PASSWORD_CLAIM_SIGNATURE = createHmac('sha256', key)
          .update(Buffer.from(poolName))
          .update(Buffer.from(c.USER_ID_FOR_SRP))
          .update(Buffer.from(c.SECRET_BLOCK, 'base64'))
          .update(Buffer.from(TIMESTAMP))
          .digest('base64');
        const second = await post(conn, url, 'RespondToAuthChallenge', {
          ClientId: job.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: first.body.Session,
          ChallengeResponses: { USERNAME: c.USERNAME, PASSWORD_CLAIM_SECRET_BLOCK: c.SECRET_BLOCK, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE },
        });
        if (second.status !== 200 || !second.body.AuthenticationResult?.AccessToken) {
          throw new Error(`RespondToAuthChallenge ${second.status} ${second.body.__type}: ${second.body.message}`);
        }
        ok++;
        latencies.push(performance.now() - t0);
      } catch (err) {
        failed++;
        lastError = String((err as Error).message);
        conn.close();
        conn = new LiteConnection(url.hostname, Number(url.port));
      }
    }
    conn.close();
  };
  await Promise.all(Array.from({ length: job.connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // CPU from the first sign-in on: the precomputed ephemerals are not the loop's cost.
  const clientCpuMs = ok ? (cpu.user + cpu.system) / 1000 / ok : NaN;
  return { ok, failed, seconds, rps: ok / seconds, ...percentiles(latencies), clientCpuMs, lastError: lastError || undefined };
}

process.on('message', async (job: Job & { id: number }) => {
  if (job.kind === 'exit') process.exit(0);
  try {
    const before = process.cpuUsage();
    const result: LoadResult = job.kind === 'srp' ? await runSrp(job) : await runCannon(job);
    const used = process.cpuUsage(before);
    result.clientCpuMs ??= result.ok ? (used.user + used.system) / 1000 / result.ok : NaN;
    process.send!({ id: job.id, result });
  } catch (e) {
    process.send!({ id: job.id, error: String((e as Error).stack ?? e) });
  }
});
process.send!({ ready: true });
