// The configuration schema: defaults for a fresh clone, every variable validated with a message
// naming it (and never echoing a secret), a config file under the environment.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { ConfigError, configFields, loadConfig } from '../../src/config/index.js';

test('a fresh clone listens on 127.0.0.1:9229 with SQLite in ./.tessera', () => {
  const c = loadConfig({});
  assert.equal(c.port, 9229);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.dataDir, resolve('.tessera'));
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.region, 'us-east-1');
  assert.deepEqual(c.extraRegions, []);
  assert.equal(c.publicUrl, 'http://localhost:9229');
  assert.equal(c.trustProxy, false);
  assert.equal(c.bodyLimitBytes, 1024 * 1024);
  assert.equal(c.sigv4SkewSeconds, 300);
});

test('an invalid value is a ConfigError naming the variable', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^Invalid PORT="abc"/],
    [{ PORT: '70000' }, /^Invalid PORT/],
    [{ TESSERA_REGION: 'nowhere' }, /^Invalid TESSERA_REGION="nowhere"/],
    [{ TESSERA_DATABASE_URL: 'mysql://x' }, /^Invalid TESSERA_DATABASE_URL: only postgres/],
    [{ TESSERA_DATABASE_URL: 'not a url' }, /^Invalid TESSERA_DATABASE_URL/],
    [{ TESSERA_DATABASE_SCHEMA: 'Robert"; drop' }, /^Invalid TESSERA_DATABASE_SCHEMA/],
    [{ TESSERA_EXTRA_REGIONS: 'eu-west-1,moon-base' }, /^Invalid TESSERA_EXTRA_REGIONS.*'moon-base'/],
    [{ TESSERA_LOG_LEVEL: 'loud' }, /^Invalid TESSERA_LOG_LEVEL.*one of fatal/],
    [{ TESSERA_BODY_LIMIT_BYTES: '-1' }, /^Invalid TESSERA_BODY_LIMIT_BYTES/],
    [{ TESSERA_TRUST_PROXY: 'maybe' }, /^Invalid TESSERA_TRUST_PROXY/],
    [{ TESSERA_SMTP_URL: 'http://mail' }, /^Invalid TESSERA_SMTP_URL/],
    [{ TESSERA_PUBLIC_URL: 'ftp://x' }, /^Invalid TESSERA_PUBLIC_URL/],
    [{ TESSERA_ADMIN_ACCESS_KEY_ID: 'AKID' }, /TESSERA_ADMIN_SECRET_ACCESS_KEY: set both or neither/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig(env), (e: Error) => {
      assert.ok(e instanceof ConfigError, JSON.stringify(env));
      assert.match(e.message, message);
      return true;
    });
  }
});

test('error messages never echo a secret', () => {
  const secrets: [Record<string, string>, string][] = [
    [{ TESSERA_MASTER_KEY: 'short-but-secret-value' }, 'short-but-secret-value'],
    [{ TESSERA_DATABASE_URL: 'postgres://app:hunter2@db:notaport/x' }, 'hunter2'],
    [{ TESSERA_SMTP_URL: 'smtp://mailer:s3cr3t@[bad' }, 's3cr3t'],
  ];
  for (const [env, secret] of secrets) {
    assert.throws(() => loadConfig(env), (e: Error) => {
      assert.match(e.message, new RegExp(`^Invalid ${Object.keys(env)[0]}`));
      assert.ok(!e.message.includes(secret), e.message);
      return true;
    });
  }
});

test('valid values are parsed into their types', () => {
  const c = loadConfig({
    PORT: '0',
    TESSERA_EXTRA_REGIONS: ' eu-west-1 , us-gov-west-1 ',
    TESSERA_TRUST_PROXY: 'true',
    TESSERA_MASTER_KEY: 'ab'.repeat(32),
    TESSERA_DATABASE_URL: 'postgresql://u:p@localhost:5432/db',
    TESSERA_PUBLIC_URL: 'https://id.example.com/',
  });
  assert.equal(c.port, 0);
  assert.deepEqual(c.extraRegions, ['eu-west-1', 'us-gov-west-1']);
  assert.equal(c.trustProxy, true);
  assert.equal(c.publicUrl, 'https://id.example.com');
  assert.equal(loadConfig({ TESSERA_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') }).masterKey, Buffer.alloc(32, 1).toString('base64'));
});

test('a config file sets values; the environment wins over it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
  try {
    const file = join(dir, 'tessera.json');
    writeFileSync(file, JSON.stringify({ PORT: 7001, region: 'eu-central-1', TESSERA_LOG_LEVEL: 'warn' }));
    const c = loadConfig({ TESSERA_CONFIG_FILE: file, TESSERA_LOG_LEVEL: 'debug' });
    assert.equal(c.port, 7001);
    assert.equal(c.region, 'eu-central-1');
    assert.equal(c.logLevel, 'debug');
    writeFileSync(file, '{ nope');
    assert.throws(() => loadConfig({ TESSERA_CONFIG_FILE: file }), { message: /^Invalid TESSERA_CONFIG_FILE/ });
    writeFileSync(file, JSON.stringify({ PORT: 'abc' }));
    assert.throws(() => loadConfig({ TESSERA_CONFIG_FILE: file }), { message: /^Invalid PORT/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every setting is documented once, under its own variable', () => {
  const envs = configFields.map((f) => f.env);
  assert.equal(new Set(envs).size, envs.length);
  assert.equal(new Set(configFields.map((f) => f.key)).size, envs.length);
  for (const f of configFields) assert.ok(f.doc.length > 10, `${f.env} has a description`);
  // Every key of a loaded config comes from a field.
  const keys = new Set<string>(configFields.map((f) => f.key));
  for (const k of Object.keys(loadConfig({}))) assert.ok(keys.has(k), k);
});
