// Attribute writes against a pool's schema (src/userpools/attributes.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaAttributeType } from '../../src/models/idp-types.js';
import type { AppClient, PoolSettings, UserPool } from '../../src/userpools/pools.js';
import { buildSchema } from '../../src/userpools/custom-attributes.js';
import {
  checkAttributeWrites,
  checkRemovals,
  checkRequiredAttributes,
  clientReadableAttributes,
  isClientWritable,
  poolSchema,
} from '../../src/userpools/attributes.js';

function pool(schema: SchemaAttributeType[] = [], settings: Partial<PoolSettings> = {}): UserPool {
  return {
    id: 'us-east-1_Abc123xyz',
    name: 'p',
    arn: 'arn',
    srpName: 'Abc123xyz',
    settings: { SchemaAttributes: buildSchema(schema), ...settings },
    createdAt: 0,
    updatedAt: 0,
  };
}

function client(settings: AppClient['settings'] = {}): AppClient {
  return { id: 'client1', poolId: 'us-east-1_Abc123xyz', name: 'c', secrets: [], settings, createdAt: 0, updatedAt: 0 };
}

const p = pool([
  { Name: 'email', Required: true },
  { Name: 'tier', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '5' } },
  { Name: 'code', AttributeDataType: 'String', Mutable: false, StringAttributeConstraints: { MinLength: '2', MaxLength: '4' } },
  { Name: 'vip', AttributeDataType: 'Boolean' },
  { Name: 'secret', DeveloperOnlyAttribute: true },
]);

const throwsNamed = (fn: () => unknown, name: string, message?: RegExp | string) =>
  assert.throws(fn, (e: Error) => {
    assert.equal(e.name, name, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });

test('the schema holds standard, custom: and dev:custom: names', () => {
  const names = [...poolSchema(p).keys()];
  for (const n of ['sub', 'email', 'email_verified', 'custom:tier', 'custom:code', 'custom:vip', 'dev:custom:secret']) assert.ok(names.includes(n), n);
  assert.ok(!names.includes('custom:secret'));
});

test('unknown attributes are refused with Cognito\'s message', () => {
  throwsNamed(
    () => checkAttributeWrites(p, [{ Name: 'custom:nope', Value: 'x' }], { by: 'admin', creating: true }),
    'InvalidParameterException',
    'Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined',
  );
});

test('formats: e-mail, E.164 phone, numbers in range, booleans, string lengths', () => {
  const w = (Name: string, Value: string) => () => checkAttributeWrites(p, [{ Name, Value }], { by: 'admin', creating: true });
  throwsNamed(w('email', 'not-an-email'), 'InvalidParameterException', 'Invalid email address format.');
  throwsNamed(w('phone_number', '555-1234'), 'InvalidParameterException', 'Invalid phone number format.');
  throwsNamed(w('phone_number', '+1 555 1234'), 'InvalidParameterException', 'Invalid phone number format.');
  throwsNamed(w('custom:tier', 'seven'), 'InvalidParameterException', /custom:tier/);
  throwsNamed(w('custom:tier', '9'), 'InvalidParameterException', /no greater than 5/);
  throwsNamed(w('custom:code', 'x'), 'InvalidParameterException', /no shorter than 2/);
  throwsNamed(w('custom:code', 'xxxxx'), 'InvalidParameterException', /no longer than 4/);
  throwsNamed(w('custom:vip', 'yes'), 'InvalidParameterException', /custom:vip/);
  throwsNamed(w('name', 'n'.repeat(2049)), 'InvalidParameterException', /name: String must be no longer than 2048/);
  const ok = checkAttributeWrites(
    p,
    [
      { Name: 'email', Value: 'ünïcødé@exämple.com' },
      { Name: 'phone_number', Value: '+14155550100' },
      { Name: 'custom:tier', Value: '3' },
      { Name: 'custom:vip', Value: 'TRUE' },
      { Name: 'name', Value: '名前 🎉' },
    ],
    { by: 'admin', creating: true },
  );
  assert.deepEqual(ok.set, {
    email: 'ünïcødé@exämple.com',
    phone_number: '+14155550100',
    'custom:tier': '3',
    'custom:vip': 'true',
    name: '名前 🎉',
  });
});

test('sub is never written; immutable attributes only at creation', () => {
  throwsNamed(() => checkAttributeWrites(p, [{ Name: 'sub', Value: 'x' }], { by: 'admin', creating: true }), 'InvalidParameterException');
  assert.deepEqual(checkAttributeWrites(p, [{ Name: 'custom:code', Value: 'ab' }], { by: 'admin', creating: true }).set, { 'custom:code': 'ab' });
  throwsNamed(
    () => checkAttributeWrites(p, [{ Name: 'custom:code', Value: 'cd' }], { by: 'admin', creating: false }),
    'InvalidParameterException',
    'custom:code: Attribute cannot be updated.',
  );
});

test('clients write only their WriteAttributes, never *_verified, sub or developer-only ones', () => {
  const open = client();
  const narrow = client({ WriteAttributes: ['name'] });
  const unauthorized = 'A client attempted to write unauthorized attribute';
  assert.ok(isClientWritable(p, open, 'custom:tier'));
  assert.ok(!isClientWritable(p, open, 'email_verified'));
  assert.ok(!isClientWritable(p, open, 'dev:custom:secret'));
  assert.ok(!isClientWritable(p, open, 'sub'));
  throwsNamed(() => checkAttributeWrites(p, [{ Name: 'email_verified', Value: 'true' }], { by: open, creating: true }), 'NotAuthorizedException', unauthorized);
  throwsNamed(() => checkAttributeWrites(p, [{ Name: 'email', Value: 'a@b.c' }], { by: narrow, creating: true }), 'NotAuthorizedException', unauthorized);
  assert.deepEqual(checkAttributeWrites(p, [{ Name: 'name', Value: 'N' }], { by: narrow, creating: true }).set, { name: 'N' });
  // Admins may set the verification flags and developer-only attributes.
  assert.deepEqual(
    checkAttributeWrites(p, [{ Name: 'email_verified', Value: 'true' }, { Name: 'dev:custom:secret', Value: 's' }], { by: 'admin', creating: true }).set,
    { email_verified: 'true', 'dev:custom:secret': 's' },
  );
});

test('clients read ReadAttributes (or all but developer-only ones), and always sub', () => {
  assert.deepEqual([...clientReadableAttributes(p, client({ ReadAttributes: ['email'] }))].sort(), ['email', 'sub']);
  const all = clientReadableAttributes(p, client());
  assert.ok(all.has('custom:tier') && all.has('email_verified') && !all.has('dev:custom:secret'));
});

test('required attributes must be present at sign-up and cannot be removed', () => {
  throwsNamed(() => checkRequiredAttributes(p, { name: 'x' }), 'InvalidParameterException', 'Attributes did not conform to the schema: email: The attribute is required');
  checkRequiredAttributes(p, { email: 'a@b.c' });
  throwsNamed(() => checkRemovals(p, ['email'], { by: 'admin' }), 'InvalidParameterException', 'Attributes did not conform to the schema: email: The attribute is required');
  throwsNamed(() => checkRemovals(p, ['custom:code'], { by: 'admin' }), 'InvalidParameterException', /cannot be updated/);
  checkRemovals(p, ['name', 'custom:tier'], { by: 'admin' });
});

test('an empty value on an update is a removal, checked as one', () => {
  const r = checkAttributeWrites(p, [{ Name: 'name', Value: '' }, { Name: 'custom:tier', Value: '2' }], { by: 'admin', creating: false });
  assert.deepEqual(r, { set: { 'custom:tier': '2' }, remove: ['name'] });
  throwsNamed(() => checkAttributeWrites(p, [{ Name: 'email', Value: '' }], { by: 'admin', creating: false }), 'InvalidParameterException', /required/);
});

test('a username attribute cannot be removed', () => {
  const q = pool([], { UsernameAttributes: ['email'] as never });
  throwsNamed(() => checkRemovals(q, ['email'], { by: 'admin' }), 'InvalidParameterException', /sign-in username/);
});
