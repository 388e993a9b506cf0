// Model coverage: every operation of the three AWS models is either implemented (a file in
// src/operations/<service>/) or listed, with a reason, in src/operations/unsupported.ts; never
// both, and nothing else. Fixing a failure: implementing an operation means deleting its line
// from unsupported.ts (then `npm run gen:readme` refreshes the README's table).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { model as identityModel } from '../../src/models/identity.js';
import { model as idpModel } from '../../src/models/idp.js';
import { model as syncModel } from '../../src/models/sync.js';
import type { ServiceId } from '../../src/operations/operation.js';
import { loadRegistry } from '../../src/operations/registry.js';
import { unsupported } from '../../src/operations/unsupported.js';

const models = { idp: idpModel, identity: identityModel, sync: syncModel } as const;

test('every model operation is implemented or listed as unsupported', async () => {
  const registry = await loadRegistry();
  const missing: string[] = [];
  for (const [service, model] of Object.entries(models) as [ServiceId, (typeof models)[ServiceId]][]) {
    for (const op of Object.keys(model.operations)) {
      if (!registry[service].has(op) && !Object.hasOwn(unsupported, `${service}/${op}`)) missing.push(`${service}/${op}`);
    }
  }
  assert.deepEqual(missing, [], 'neither implemented nor in src/operations/unsupported.ts');
});

test('no implemented operation is listed as unsupported', async () => {
  const registry = await loadRegistry();
  const both = Object.keys(unsupported).filter((key) => {
    const [service, op] = key.split('/') as [ServiceId, string];
    return registry[service]?.has(op);
  });
  assert.deepEqual(both, [], 'implemented: delete these lines from src/operations/unsupported.ts, then run `npm run gen:readme`');
});

test('the unsupported list names model operations only, each with a reason', () => {
  for (const [key, reason] of Object.entries(unsupported)) {
    const m = /^(idp|identity|sync)\/([A-Za-z]+)$/.exec(key);
    assert.ok(m, `${key} is <service>/<Operation>`);
    assert.ok(Object.hasOwn(models[m[1] as ServiceId].operations, m[2]), `${key} is not an operation of the ${m[1]} model`);
    assert.ok(reason.trim().length > 10, `${key} needs a reason`);
  }
});

test('every operation file is an operation of its service model', async () => {
  const registry = await loadRegistry();
  for (const [service, ops] of Object.entries(registry) as [ServiceId, Map<string, unknown>][]) {
    for (const op of ops.keys()) assert.ok(Object.hasOwn(models[service].operations, op), `src/operations/${service}/${op}.ts: no such operation in the model`);
  }
});
