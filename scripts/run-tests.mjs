#!/usr/bin/env node
// `npm test`: installs what the suite needs from Debian when missing (the AWS CLI v2, chromium),
// finds PostgreSQL (TESSERA_TEST_PG, else the local server if it answers), then runs every
// test/**/*.test.ts with Node's test runner. Extra arguments narrow the files: `npm test -- users`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;

function ensureDebian(pkgs) {
  const missing = pkgs.filter((p) => !existsSync(p.bin));
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    console.warn(`test setup: ${missing.map((p) => p.pkg).join(', ')} missing and not root; their tests will be skipped`);
    return;
  }
  console.log(`test setup: installing ${missing.map((p) => p.pkg).join(' ')} from Debian`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing.map((p) => p.pkg)], { stdio: 'inherit', env });
  const still = missing.filter((p) => !existsSync(p.bin));
  if (update.status !== 0 || install.status !== 0 || still.length) {
    console.warn(`test setup: could not install ${still.map((p) => p.pkg).join(', ') || 'everything'}; their tests will be skipped`);
  }
}

async function findPostgres() {
  if (process.env.TESSERA_TEST_PG === 'off') return undefined;
  const url = process.env.TESSERA_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    await c.end();
    return url;
  } catch (e) {
    if (process.env.TESSERA_TEST_PG) throw new Error(`TESSERA_TEST_PG=${url} does not answer: ${e.message}`);
    console.warn(`test setup: no PostgreSQL at ${url}; running on SQLite only`);
    return undefined;
  }
}

function findTests(dir, out = []) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (f.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

ensureDebian([
  { pkg: 'awscli', bin: '/usr/bin/aws' },
  { pkg: 'chromium', bin: '/usr/bin/chromium' },
]);
const pgUrl = await findPostgres();
const filters = process.argv.slice(2);
// Filters match the path inside the repository (`npm test -- wire/` or `-- users`), not the
// checkout's own location.
const files = findTests(join(root, 'test'))
  .filter((f) => !filters.length || filters.some((x) => relative(root, f).includes(x)))
  .sort();
if (!files.length) {
  console.error(`no test file matches ${filters.join(', ')}`);
  process.exit(1);
}
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
if (pgUrl) env.TESSERA_TEST_PG = pgUrl;
else delete env.TESSERA_TEST_PG;
console.log(`running ${files.length} test files on ${pgUrl ? 'SQLite and PostgreSQL' : 'SQLite'}`);
// Two files at a time (two cores; each API file runs its own servers). The timeout also bounds a
// whole file, which on a busy machine can take minutes: it catches hangs, not slowness.
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { stdio: 'inherit', env, cwd: root },
);
process.exit(r.status ?? 1);
