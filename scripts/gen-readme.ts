// Regenerates the configuration and compatibility tables in README.md (see readme-tables.ts).
//   npm run gen:readme            rewrite README.md
//   npm run gen:readme -- --check exit 1 when README.md is stale (what test/drift/readme.test.ts checks)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '../src/operations/registry.js';
import { renderReadme } from './readme-tables.js';

const file = join(fileURLToPath(new URL('..', import.meta.url)), 'README.md');
const current = readFileSync(file, 'utf8');
const fresh = renderReadme(current, await loadRegistry());
if (process.argv.includes('--check')) {
  if (fresh !== current) {
    console.error('README.md is stale: run `npm run gen:readme`');
    process.exit(1);
  }
} else if (fresh !== current) {
  writeFileSync(file, fresh);
  console.log('README.md updated');
} else {
  console.log('README.md is up to date');
}
