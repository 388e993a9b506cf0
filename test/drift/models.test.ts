// The generated models are current: regenerating from ../shared/aws-models into a temporary folder
// gives byte-for-byte the files committed in src/models (fix: `npm run gen:models`). And the
// product itself never reads ../shared: only the generator and tests do.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const GENERATED = ['idp.ts', 'idp-types.ts', 'identity.ts', 'identity-types.ts', 'sync.ts', 'sync-types.ts', 'exceptions.ts'];

test('src/models matches a fresh run of scripts/gen-models.ts over ../shared/aws-models', () => {
  const out = mkdtempSync(join(tmpdir(), 'tessera-models-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/gen-models.ts'), '--out', out], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), [...GENERATED].sort());
    for (const f of GENERATED) {
      const fresh = readFileSync(join(out, f), 'utf8');
      const committed = readFileSync(join(root, 'src/models', f), 'utf8');
      assert.ok(fresh === committed, `src/models/${f} is stale: run \`npm run gen:models\``);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the generated runtime models carry the operation counts of the AWS models', async () => {
  const { model: idp } = await import('../../src/models/idp.js');
  const { model: identity } = await import('../../src/models/identity.js');
  const { model: sync } = await import('../../src/models/sync.js');
  const raw = (dir: string) => JSON.parse(readFileSync(join(root, '../shared/aws-models', dir, 'service-2.json'), 'utf8'));
  const newer = JSON.parse(readFileSync(join(root, '../shared/aws-models/cognito-idp/newer-operations.json'), 'utf8'));
  assert.deepEqual(
    Object.keys(idp.operations).sort(),
    [...new Set([...Object.keys(raw('cognito-idp').operations), ...Object.keys(newer.operations)])].sort(),
  );
  assert.deepEqual(Object.keys(identity.operations).sort(), Object.keys(raw('cognito-identity').operations).sort());
  assert.deepEqual(Object.keys(sync.operations).sort(), Object.keys(raw('cognito-sync').operations).sort());
  // Unsigned operations as the model marks them (api-surface.md §2.1: 32 in service-2.json, 2 newer).
  const unsigned = Object.entries(idp.operations).filter(([, o]) => o.auth === 'none').map(([n]) => n);
  assert.equal(unsigned.length, 34);
  assert.ok(unsigned.includes('SignUp') && unsigned.includes('InitiateAuth') && unsigned.includes('ListUserSessions'));
  assert.equal(idp.operations.GetClientToken.auth, 'sigv4');
});

test('no product file reads ../shared (the models are generated into src/models)', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|js|mjs)$/.test(f) && /shared[\\/]+aws-models|\.\.[\\/]shared\b|TESSERA_MODELS_DIR/.test(readFileSync(p, 'utf8'))) offenders.push(p.slice(root.length));
    }
  };
  walk(join(root, 'src'));
  assert.deepEqual(offenders, []);
});
