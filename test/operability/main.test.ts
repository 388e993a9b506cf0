// Tessera as an operator runs it: `npm start` (src/main.ts) on a fresh folder, generated admin
// credentials printed on the first start only, health, JSON logs, refusal of bad configuration
// with exit code 2, a graceful SIGTERM, and PostgreSQL with migrations applied at start.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { migrations } from '../../src/store/migrations/index.js';
import { listening, spawnTessera, stop } from './tessera-process.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const client = (url: string, credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1 });

describe('src/main.ts (what npm start runs) on a fresh folder', () => {
  let cwd: string;
  before(() => (cwd = mkdtempSync(join(tmpdir(), 'tessera-start-'))));
  after(() => rmSync(cwd, { recursive: true, force: true }));

  test('first start: SQLite in ./.tessera, credentials printed once and usable, health 200, JSON request logs', async () => {
    const p = spawnTessera({ PORT: '0' }, cwd);
    const url = await listening(p);
    assert.ok(existsSync(join(cwd, '.tessera', 'tessera.db')), 'the database is in ./.tessera');
    const id = /AWS_ACCESS_KEY_ID=(\S+)/.exec(p.stdout())?.[1];
    const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(p.stdout())?.[1];
    assert.ok(id && secret, `credentials printed: ${p.stdout()}`);
    assert.equal(p.stdout().split(secret).length - 1, 1, 'the secret is printed exactly once');

    assert.equal((await fetch(`${url}/health`)).status, 200);
    const idp = client(url, { accessKeyId: id, secretAccessKey: secret });
    await idp.send(new CreateUserPoolCommand({ PoolName: 'survives-restart' }));
    idp.destroy();

    assert.equal(await stop(p), 0);
    const listen = p.logs().find((l) => l.msg === 'Tessera is listening')!;
    assert.equal(listen.store, 'sqlite');
    const requests = p.logs().filter((l) => l.msg === 'request');
    assert.ok(requests.some((l) => l.path === '/health' && l.status === 200));
    assert.ok(requests.some((l) => l.op === 'CreateUserPool' && l.status === 200 && typeof l.ms === 'number' && typeof l.requestId === 'string'));
    assert.ok(p.logs().some((l) => l.msg === 'stopped'));
  });

  test('second start: the same credentials work, the secret is not printed again, the data is still there', async () => {
    const p = spawnTessera({ PORT: '0' }, cwd);
    const url = await listening(p);
    const { readFileSync } = await import('node:fs');
    const creds = JSON.parse(readFileSync(join(cwd, '.tessera', 'admin-credentials.json'), 'utf8'));
    assert.ok(!p.stdout().includes(creds.secretAccessKey), 'the secret is not printed on a later start');
    assert.ok(!p.stderr().includes(creds.secretAccessKey));
    const idp = client(url, creds);
    const pools = await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.deepEqual(pools.UserPools?.map((u) => u.Name), ['survives-restart']);
    idp.destroy();
    assert.equal(await stop(p), 0);
    assert.ok(!p.stdout().includes(creds.secretAccessKey), 'nor logged while serving');
  });
});

test('an invalid configuration value stops the start with exit code 2 and a message naming it', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-badconfig-'));
  try {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'abc' }, /Invalid PORT="abc"/],
      [{ PORT: '0', TESSERA_REGION: 'nowhere' }, /Invalid TESSERA_REGION="nowhere"/],
      [{ PORT: '0', TESSERA_DATABASE_URL: 'mysql://x' }, /Invalid TESSERA_DATABASE_URL/],
    ];
    await Promise.all(
      cases.map(async ([env, message]) => {
        const p = spawnTessera(env, cwd);
        assert.equal(await p.exited, 2, JSON.stringify(env));
        assert.match(p.stderr(), message);
        assert.ok(!p.logs().some((l) => l.msg === 'Tessera is listening'));
      }),
    );
    assert.ok(!existsSync(join(cwd, '.tessera')), 'nothing was created');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('a database that does not answer stops the start with exit code 1, without showing its password', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-nodb-'));
  try {
    const p = spawnTessera({ PORT: '0', TESSERA_DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/tessera' }, cwd);
    assert.equal(await p.exited, 1);
    assert.match(p.stderr(), /^tessera: failed to start: /m);
    assert.ok(!`${p.stdout()}${p.stderr()}`.includes('hunter2'));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('SIGTERM lets an in-flight request finish, then exits 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-sigterm-'));
  const p = spawnTessera({ PORT: '0', TESSERA_DATA_DIR: dataDir });
  try {
    const url = new URL(await listening(p));
    const body = JSON.stringify({ ClientId: 'nosuchclient', Username: 'slow', Password: 'Passw0rd!' });
    const socket = connect(Number(url.port), url.hostname);
    let response = '';
    socket.on('data', (d) => (response += d));
    const closed = new Promise((r) => socket.on('close', r));
    await new Promise((r) => socket.on('connect', r));
    // Headers and half the body now; the rest after SIGTERM.
    socket.write(
      `POST / HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
        `X-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n` +
        body.slice(0, 20),
    );
    // Time for the server to read the headers: from then on the request is in flight.
    await new Promise((r) => setTimeout(r, 1000));
    p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(p.child.exitCode, null, 'still running while a request is in flight');
    // A new connection is no longer served.
    await assert.rejects(fetch(`${url.origin}/health`, { signal: AbortSignal.timeout(2000) }));
    socket.write(body.slice(20));
    await closed;
    assert.match(response, /^HTTP\/1\.1 400 /);
    assert.match(response, /"__type":"(ResourceNotFoundException|UnsupportedOperationException)"/);
    assert.equal(await p.exited, 0);
    assert.ok(p.logs().some((l) => l.msg === 'request' && l.op === 'SignUp'));
  } finally {
    await stop(p);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('npm start passes SIGTERM on to Tessera, which stops cleanly', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-npm-'));
  const p = spawnTessera({ PORT: '0', TESSERA_DATA_DIR: dataDir }, undefined, { npm: true });
  try {
    const url = await listening(p);
    assert.equal((await fetch(`${url}/health`)).status, 200);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    assert.ok(p.logs().some((l) => l.msg === 'stopped'), 'Tessera itself got the signal');
    await assert.rejects(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }), 'nothing is left listening');
  } finally {
    await stop(p);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('TESSERA_DATABASE_URL runs on PostgreSQL with the migrations applied at start', { skip: !process.env.TESSERA_TEST_PG && 'no PostgreSQL (TESSERA_TEST_PG)' }, async () => {
  const schema = `t_start_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-pg-'));
  const db = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
  await db.connect();
  const p = spawnTessera({
    PORT: '0',
    TESSERA_DATA_DIR: dataDir,
    TESSERA_DATABASE_URL: process.env.TESSERA_TEST_PG!,
    TESSERA_DATABASE_SCHEMA: schema,
    TESSERA_ADMIN_ACCESS_KEY_ID: 'AKIDPGSTART',
    TESSERA_ADMIN_SECRET_ACCESS_KEY: 'pg-start-secret',
  });
  try {
    const url = await listening(p);
    assert.equal(p.logs().find((l) => l.msg === 'Tessera is listening')!.store, 'postgres');
    assert.ok(!p.stdout().includes('pg-start-secret'), 'configured credentials are not printed');
    const applied = await db.query(`SELECT name FROM ${schema}.schema_migrations ORDER BY name`);
    assert.deepEqual(applied.rows.map((r) => r.name), migrations.map((m) => m.name).sort());
    assert.equal((await fetch(`${url}/health`)).status, 200);
    const idp = client(url, { accessKeyId: 'AKIDPGSTART', secretAccessKey: 'pg-start-secret' });
    await idp.send(new CreateUserPoolCommand({ PoolName: 'on-postgres' }));
    idp.destroy();
    const rows = await db.query(`SELECT count(*)::int AS n FROM ${schema}.user_pools`);
    assert.equal(rows.rows[0].n, 1);
    assert.ok(!existsSync(join(dataDir, 'tessera.db')), 'no SQLite file when on PostgreSQL');
    assert.equal(await stop(p), 0);
  } finally {
    await stop(p);
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
