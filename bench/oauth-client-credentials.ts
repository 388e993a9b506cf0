// The client_credentials token endpoint of Tessera against panva's oidc-provider 8 configured
// for the same grant with RS256 JWT access tokens (resource indicators, a default resource with
// two scopes), in one run with one load generator (autocannon, same connections and duration),
// both servers in this process on 127.0.0.1. Prints requests/s and p99 of each and the ratio.
// Both are warmed up before either is measured, then measured in the order A B B A (half the
// duration each time): whichever ran first used to pay the process's own warm-up (JIT of the
// load generator, the first major GCs after start-up) and drift in a shared machine's load.
// Then a hosted-UI round trip per second: GET /oauth2/authorize -> GET /login (form, CSRF
// cookie) -> POST /login (password) -> POST /oauth2/token (code + PKCE), `--loops` at once.
// Run: npm run bench -- oauth-client-credentials [--engine sqlite|postgres] [--seconds 10]
//      [--connections 16] [--loops 8]
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import autocannon from 'autocannon';
import Provider from 'oidc-provider';
import type { Engine } from '../test/support/server.js';
import { PASSWORD, seedMachineClient, seedOAuthPool, seedUser, seedWebClient, CALLBACK } from '../test/oauth/support.js';
import { availableEngines, benchServer, flags, machineNotes } from './lib/env.js';

const f = flags();
const engine = (f.get('engine') ?? 'sqlite') as Engine;
// Finds the PostgreSQL server (TESSERA_TEST_PG, else the local one) as the other benches do;
// without it a postgres run would quietly start on SQLite.
if (!(await availableEngines([engine])).includes(engine)) throw new Error(`no ${engine} to run on`);
const seconds = Number(f.get('seconds') ?? 10);
const connections = Number(f.get('connections') ?? 16);
const loops = Number(f.get('loops') ?? 8);

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

interface Target {
  name: string;
  url: string;
  auth: string;
  body: string;
}

async function load(t: Target, duration: number, conns = connections, warmUp = false) {
  const r = await autocannon({
    url: t.url,
    connections: conns,
    duration,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: t.auth }, body: t.body }],
  });
  // A warm-up may end before the first answer (the pool's keys are being made): not checked.
  if (!warmUp && (r.non2xx || r.errors || r.timeouts || !r['2xx'])) throw new Error(`${t.name}: ${r['2xx']} answered, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return r;
}

/**
 * One answered request to each first (Tessera makes a pool's signing keys on its first token, two
 * RSA key generations that otherwise land in the measured run), a warm-up of both (caches, JIT),
 * then A B B A; figures are the means of each one's two runs.
 */
async function compare(a: Target, b: Target) {
  for (const t of [a, b]) {
    const r = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: t.auth }, body: t.body });
    if (r.status !== 200) throw new Error(`${t.name}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  }
  for (const t of [a, b]) await load(t, 2, 4, true);
  const runs = new Map<Target, Awaited<ReturnType<typeof load>>[]>([[a, []], [b, []]]);
  for (const t of [a, b, b, a]) {
    const r = await load(t, Math.max(1, seconds / 2));
    console.log(`${t.name}: ${r.requests.average.toFixed(0)} requests/s, p99 ${r.latency.p99} ms`);
    runs.get(t)!.push(r);
  }
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  return [a, b].map((t) => {
    const rs = runs.get(t)!;
    return { name: t.name, rps: mean(rs.map((r) => r.requests.average)), p99: mean(rs.map((r) => r.latency.p99)), p50: mean(rs.map((r) => r.latency.p50)) };
  });
}

async function startOidcProvider(): Promise<{ url: string; clientId: string; secret: string; server: Server }> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const clientId = 'bench-m2m';
  const secret = randomBytes(24).toString('base64url');
  const resource = 'https://api.example.test';
  const provider = new Provider(url, {
    clients: [{ client_id: clientId, client_secret: secret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
    jwks: { keys: [jwk as never] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'read write', accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'RS256' } } }),
      },
    },
  });
  server.on('request', provider.callback());
  return { url, clientId, secret, server };
}

/** One hosted-UI sign-in as a browser does it, ending in the token exchange; throws on any surprise. */
async function roundTrip(base: string, clientId: string): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
  const a = await fetch(`${base}/oauth2/authorize?${q}`, { redirect: 'manual' });
  const loginUrl = new URL(a.headers.get('location')!, base).toString();
  const page = await fetch(loginUrl, { redirect: 'manual' });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const post = await fetch(loginUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, username: 'bench', password: PASSWORD }).toString(),
  });
  const code = new URL(post.headers.get('location')!).searchParams.get('code');
  if (!code) throw new Error(`no code: ${post.status}`);
  const t = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
  });
  if (t.status !== 200) throw new Error(`token: ${t.status} ${await t.text()}`);
  await t.arrayBuffer();
}

async function hostedUiRoundTrips(base: string, clientId: string) {
  for (let i = 0; i < 3; i++) await roundTrip(base, clientId);
  const times: number[] = [];
  const until = Date.now() + seconds * 1000;
  const loop = async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      await roundTrip(base, clientId);
      times.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: loops }, loop));
  const elapsed = (performance.now() - t0) / 1000;
  times.sort((x, y) => x - y);
  return { perSecond: times.length / elapsed, p50: times[Math.floor(times.length * 0.5)], p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))], n: times.length };
}

const s = await benchServer(engine);
const op = await startOidcProvider();
try {
  const o = await seedOAuthPool(s);
  const m2m = await seedMachineClient(s, o.poolId);
  const web = await seedWebClient(s, o.poolId);
  await seedUser(s, o.poolId, 'bench');
  s.app.auth.limits.ipFailures = Number.MAX_SAFE_INTEGER;

  const body = 'grant_type=client_credentials&scope=' + encodeURIComponent('https://api.example.test/read');
  const [tessera, oidc] = await compare(
    { name: 'Tessera', url: `${o.base}/oauth2/token`, auth: basic(m2m.clientId, m2m.secret), body },
    { name: 'oidc-provider 8', url: `${op.url}/token`, auth: basic(op.clientId, op.secret), body: 'grant_type=client_credentials&scope=read' },
  );
  const ui = await hostedUiRoundTrips(o.base, web.clientId);

  console.log(`\n## OAuth bench (${engine})\n`);
  for (const n of await machineNotes()) console.log(`- ${n}`);
  console.log(`- client_credentials: autocannon, ${connections} connections, ${seconds} s each (A B B A, ${Math.max(1, seconds / 2)} s a run) after a 2 s warm-up of both; RS256 JWT access tokens on both sides\n`);
  console.log('| server | requests/s | p50 ms | p99 ms |');
  console.log('|---|---:|---:|---:|');
  for (const r of [tessera, oidc]) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} |`);
  console.log(`\nTessera / oidc-provider: ${(tessera.rps / oidc.rps).toFixed(2)}× the requests/s, ${(tessera.p99 / oidc.p99).toFixed(2)}× the p99.`);
  console.log(`\nHosted-UI round trip (authorize -> login page -> login POST -> token), ${loops} at once for ${seconds} s: ` +
    `${ui.perSecond.toFixed(1)} round trips/s (${ui.n} done), p50 ${ui.p50.toFixed(1)} ms, p99 ${ui.p99.toFixed(1)} ms.`);
} finally {
  op.server.close();
  await s.close();
}
