// The README's generated tables (configuration, compatibility) match the code: a new setting, an
// implemented operation or a changed reason fails here until `npm run gen:readme` is run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configFields } from '../../src/config/index.js';
import { loadRegistry } from '../../src/operations/registry.js';
import { renderReadme } from '../../scripts/readme-tables.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('the README tables are current (fix: npm run gen:readme)', async () => {
  const fresh = renderReadme(readme, await loadRegistry());
  assert.ok(fresh === readme, 'README.md is stale: run `npm run gen:readme`');
});

test('the README names every configuration variable and every implemented operation', async () => {
  for (const f of configFields) assert.ok(readme.includes(`| \`${f.env}\` |`), f.env);
  const registry = await loadRegistry();
  for (const op of registry.idp.keys()) assert.ok(readme.includes(`| ${op} | yes |`), op);
});
