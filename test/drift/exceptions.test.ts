// The error catalogue against the models (fastify checks its errors the same way):
// every generated exception class is an exception of a model and carries its own name; the
// protocol-level ones are known to the strict-errors check; and every exception an operation file
// constructs is one the model lists for that operation (domain code is covered at run time: every API
// test runs with strictErrors, where an undeclared exception answers 500).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as errors from '../../src/errors.js';
import * as generated from '../../src/models/exceptions.js';
import { model as identityModel } from '../../src/models/identity.js';
import { model as idpModel } from '../../src/models/idp.js';
import { model as syncModel } from '../../src/models/sync.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const models = { idp: idpModel, identity: identityModel, sync: syncModel } as const;

/** Exception shape names straight from ../shared/aws-models (plus the newer operations' errors). */
function rawModelExceptions(): Set<string> {
  const names = new Set<string>();
  for (const dir of ['cognito-idp', 'cognito-identity', 'cognito-sync']) {
    const raw = JSON.parse(readFileSync(join(root, '../shared/aws-models', dir, 'service-2.json'), 'utf8'));
    for (const [name, shape] of Object.entries<{ exception?: boolean }>(raw.shapes)) if (shape.exception) names.add(name);
  }
  const newer = JSON.parse(readFileSync(join(root, '../shared/aws-models/cognito-idp/newer-operations.json'), 'utf8'));
  for (const op of Object.values<{ errors: string[] }>(newer.operations)) for (const e of op.errors) names.add(e);
  return names;
}

const exceptionClasses = (mod: Record<string, unknown>) =>
  Object.entries(mod).filter(
    (e): e is [string, new (m: string) => errors.CognitoException] =>
      typeof e[1] === 'function' && (e[1] as { prototype: unknown }).prototype instanceof errors.CognitoException,
  );

test('each class in src/models/exceptions.ts is an exception of a model, named as its class', () => {
  const raw = rawModelExceptions();
  const classes = exceptionClasses(generated);
  assert.equal(classes.length, raw.size);
  for (const [exportName, Cls] of classes) {
    assert.ok(raw.has(exportName), `${exportName} is not an exception in ../shared/aws-models`);
    const e = new Cls('m');
    assert.equal(e.name, exportName);
    assert.ok(e instanceof errors.CognitoException);
  }
  assert.deepEqual([...generated.modelExceptionNames].sort(), [...raw].sort());
  for (const f of generated.faultExceptionNames) assert.ok(raw.has(f));
});

test('the protocol-level classes in src/errors.ts are named as exported and known to strictErrors', () => {
  const own = exceptionClasses(errors).filter(([n]) => !Object.hasOwn(generated, n));
  assert.ok(own.length >= 8);
  for (const [exportName, Cls] of own) {
    assert.equal(new Cls('m').name, exportName);
    assert.ok(errors.protocolExceptionNames.has(exportName), `${exportName} missing from protocolExceptionNames`);
  }
});

test('every exception an operation file constructs is listed for that operation in its model', () => {
  const problems: string[] = [];
  for (const [service, model] of Object.entries(models)) {
    const dir = join(root, 'src/operations', service);
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => /^[A-Z]\w+\.ts$/.test(f));
    } catch {
      continue;
    }
    for (const f of files) {
      const op = f.replace(/\.ts$/, '');
      const allowed = new Set([...(model.operations[op]?.errors ?? []), ...errors.protocolExceptionNames]);
      const source = readFileSync(join(dir, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      const named = new Set<string>();
      // What the file constructs is what it throws (catching one to remap it, `instanceof X`, is fine).
      for (const m of source.matchAll(/\bnew ([A-Z][A-Za-z]*Exception)\(/g)) if (m[1] !== 'CognitoException') named.add(m[1]);
      for (const m of source.matchAll(/new CognitoException\(\s*['"`](\w+)['"`]/g)) named.add(m[1]);
      for (const name of named) if (!allowed.has(name)) problems.push(`${service}/${op} constructs ${name}, which the model does not list for ${op}`);
    }
  }
  assert.deepEqual(problems, []);
});
