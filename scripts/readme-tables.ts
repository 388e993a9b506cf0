// The generated parts of README.md: the configuration table (from src/config) and the
// compatibility table (from the operation registry and src/operations/unsupported.ts). Each sits
// between a BEGIN and an END marker; scripts/gen-readme.ts rewrites them and
// test/drift/readme.test.ts fails when they are stale.
import { configFields } from '../src/config/index.js';
import { model as identityModel } from '../src/models/identity.js';
import { model as idpModel } from '../src/models/idp.js';
import { model as syncModel } from '../src/models/sync.js';
import type { ServiceId } from '../src/operations/operation.js';
import type { Registry } from '../src/operations/registry.js';
import { unsupportedReason } from '../src/operations/unsupported.js';

const services: { id: ServiceId; name: string; operations: string[] }[] = [
  { id: 'idp', name: 'cognito-idp (user pools)', operations: Object.keys(idpModel.operations) },
  { id: 'identity', name: 'cognito-identity (identity pools)', operations: Object.keys(identityModel.operations) },
  { id: 'sync', name: 'cognito-sync', operations: Object.keys(syncModel.operations) },
];

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function configTable(): string {
  const rows = configFields.map((f) => `| \`${f.env}\` | ${cell(f.defaultDoc ?? '—')} | ${cell(f.doc)} |`);
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}

/** `registry` says what is implemented; `reasonOf` why the rest is not (src/operations/unsupported.ts). */
export function compatTable(registry: Pick<Registry, ServiceId>, reasonOf = unsupportedReason): string {
  const out: string[] = [];
  const summary = services.map((s) => {
    const done = s.operations.filter((op) => registry[s.id].has(op)).length;
    return `${s.name}: ${done} of ${s.operations.length}`;
  });
  out.push(`Operations implemented: ${summary.join('; ')}.`, '');
  for (const s of services) {
    out.push(`### ${s.name}`, '', '| Operation | Implemented |', '|---|---|');
    for (const op of [...s.operations].sort()) {
      const status = registry[s.id].has(op) ? 'yes' : cell(reasonOf(s.id, op) ?? 'not yet');
      out.push(`| ${op} | ${status} |`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

const begin = (name: string) => `<!-- BEGIN GENERATED ${name}: npm run gen:readme -->`;
const end = (name: string) => `<!-- END GENERATED ${name} -->`;

/** Replaces the text between the markers of `name`; throws when they are missing. */
export function replaceSection(text: string, name: string, body: string): string {
  const b = text.indexOf(begin(name));
  const e = text.indexOf(end(name));
  if (b < 0 || e < b) throw new Error(`README.md lacks the markers ${begin(name)} ... ${end(name)}`);
  return text.slice(0, b) + `${begin(name)}\n${body}\n` + text.slice(e);
}

/** README.md with both generated sections brought up to date. */
export function renderReadme(text: string, registry: Pick<Registry, ServiceId>, reasonOf = unsupportedReason): string {
  return replaceSection(replaceSection(text, 'config', configTable()), 'compatibility', compatTable(registry, reasonOf));
}
