// Generates src/models/<service>.ts from the official AWS API models kept in ../shared/aws-models.
// The output carries names, shapes and constraints only (no documentation prose), so the
// product never reads ../shared at run or build time. Run with `npm run gen:models`.
//   --models <dir>   where the AWS models are (default: $TESSERA_MODELS_DIR, else ../shared/aws-models)
//   --out <dir>      where to write (default: src/models); test/drift regenerates into a temporary
//                    folder and compares, so committed files that lag the models fail a test.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { models: { type: 'string' }, out: { type: 'string' } } });
const modelsDir = resolve(args.models ?? process.env.TESSERA_MODELS_DIR ?? join(root, '..', 'shared', 'aws-models'));
const outDir = resolve(args.out ?? join(root, 'src', 'models'));
mkdirSync(outDir, { recursive: true });

interface RawShape {
  type: string;
  members?: Record<string, { shape: string; location?: string; locationName?: string; [k: string]: unknown }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  exception?: boolean;
  fault?: boolean;
  document?: boolean;
  error?: { httpStatusCode?: number; code?: string };
}

const services = [
  { id: 'idp', dir: 'cognito-idp' },
  { id: 'identity', dir: 'cognito-identity' },
  { id: 'sync', dir: 'cognito-sync' },
] as const;

function compactShape(s: RawShape): Record<string, unknown> {
  const out: Record<string, unknown> = { type: s.document ? 'document' : s.type };
  if (s.members) {
    out.members = Object.fromEntries(
      Object.entries(s.members).map(([name, m]) => {
        const mm: Record<string, unknown> = { shape: m.shape };
        if (m.location) mm.location = m.location;
        if (m.locationName) mm.locationName = m.locationName;
        return [name, mm];
      }),
    );
  }
  if (s.required?.length) out.required = s.required;
  if (s.member) out.member = s.member.shape;
  if (s.key) out.key = s.key.shape;
  if (s.value) out.value = s.value.shape;
  for (const k of ['min', 'max', 'pattern', 'enum', 'sensitive', 'exception', 'fault'] as const) {
    if (s[k] !== undefined) out[k] = s[k];
  }
  if (s.error?.httpStatusCode) out.httpStatus = s.error.httpStatusCode;
  return out;
}

function tsType(shapes: Record<string, RawShape>, name: string): string {
  const s = shapes[name];
  if (!s) return 'unknown';
  if (s.document) return 'unknown';
  switch (s.type) {
    case 'structure':
      return name;
    case 'list': {
      // A list of enum values is `("A" | "B")[]`, not `"A" | "B"[]`.
      const member = tsType(shapes, s.member!.shape);
      return member.includes(' | ') ? `(${member})[]` : `${member}[]`;
    }
    case 'map':
      return `{ [key: string]: ${tsType(shapes, s.value!.shape)} }`;
    case 'string':
      return s.enum ? s.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
    case 'timestamp':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'blob':
      return 'string';
    default:
      return 'unknown';
  }
}

for (const svc of services) {
  const model = JSON.parse(readFileSync(join(modelsDir, svc.dir, 'service-2.json'), 'utf8'));
  const shapes: Record<string, RawShape> = model.shapes;
  const operations: Record<string, unknown> = {};
  for (const [name, op] of Object.entries<any>(model.operations)) {
    operations[name] = {
      http: op.http,
      input: op.input?.shape,
      output: op.output?.shape,
      errors: (op.errors ?? []).map((e: { shape: string }) => e.shape),
      auth: op.authtype === 'none' ? 'none' : 'sigv4',
    };
  }
  if (svc.id === 'idp') {
    const newer = JSON.parse(readFileSync(join(modelsDir, svc.dir, 'newer-operations.json'), 'utf8'));
    for (const [name, op] of Object.entries<any>(newer.operations)) {
      if (operations[name]) continue;
      // Member types of these operations are not in the botocore model yet: inputs are typed
      // loosely (known member names, any value) until a newer model replaces them.
      const inputName = `${name}Request`;
      shapes[inputName] = {
        type: 'structure',
        members: Object.fromEntries(op.inputMembers.map((m: string) => [m, { shape: '__Any' }])),
      };
      operations[name] = {
        http: { method: 'POST', requestUri: '/' },
        input: inputName,
        errors: op.errors,
        auth: op.auth === 'smithy.api#noAuth' ? 'none' : 'sigv4',
        newer: true,
      };
    }
    shapes.__Any = { type: 'document', document: true };
  }
  const compact = Object.fromEntries(Object.entries(shapes).map(([n, s]) => [n, compactShape(s)]));
  const meta = {
    protocol: model.metadata.protocol,
    targetPrefix: model.metadata.targetPrefix,
    signingName: model.metadata.signingName ?? model.metadata.endpointPrefix,
  };
  const header = '// Generated by scripts/gen-models.ts from the AWS API model. Do not edit by hand.\n';
  writeFileSync(
    join(outDir, `${svc.id}.ts`),
    header +
      `import type { ServiceModel } from './types.js';\n\n` +
      `export const model: ServiceModel = ${JSON.stringify({ metadata: meta, operations, shapes: compact })};\n`,
  );
  // Input and output types, for typed operation handlers.
  let types = header;
  for (const [name, s] of Object.entries(shapes)) {
    if (s.type !== 'structure' || s.document) continue;
    const req = new Set(s.required ?? []);
    const members = Object.entries(s.members ?? {})
      .map(([m, ref]) => `  ${m}${req.has(m) ? '' : '?'}: ${tsType(shapes, ref.shape)};`)
      .join('\n');
    types += `export interface ${name} {\n${members}\n}\n`;
  }
  writeFileSync(join(outDir, `${svc.id}-types.ts`), types);
  console.log(`${svc.id}: ${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes`);
}

// One class per exception name found in any of the models (src/models/exceptions.ts).
{
  const names = new Map<string, { fault: boolean; status?: number }>();
  for (const svc of services) {
    const model = JSON.parse(readFileSync(join(modelsDir, svc.dir, 'service-2.json'), 'utf8'));
    for (const [n, s] of Object.entries<RawShape>(model.shapes)) {
      if (!s.exception) continue;
      const prev = names.get(n);
      names.set(n, { fault: !!s.fault || !!prev?.fault, status: prev?.status ?? s.error?.httpStatusCode });
    }
    if (svc.id === 'idp') {
      const newer = JSON.parse(readFileSync(join(modelsDir, svc.dir, 'newer-operations.json'), 'utf8'));
      for (const op of Object.values<any>(newer.operations)) for (const e of op.errors) if (!names.has(e)) names.set(e, { fault: false });
    }
  }
  const sorted = [...names.keys()].sort();
  let out = '// Generated by scripts/gen-models.ts from the AWS API models. Do not edit by hand.\n';
  out += "import { CognitoException } from '../cognito-exception.js';\n\n";
  out += `export const modelExceptionNames = ${JSON.stringify(sorted)} as const;\n`;
  out += 'export type ModelExceptionName = (typeof modelExceptionNames)[number];\n';
  out += `/** Exceptions the models mark as server faults. */\nexport const faultExceptionNames: ReadonlySet<string> = new Set(${JSON.stringify(sorted.filter((n) => names.get(n)!.fault))});\n\n`;
  for (const n of sorted) {
    out += `export class ${n} extends CognitoException {\n  constructor(message: string, extra?: Record<string, unknown>) {\n    super('${n}', message, extra);\n  }\n}\n`;
  }
  writeFileSync(join(outDir, 'exceptions.ts'), out);
  console.log(`exceptions: ${sorted.length}`);
}
