// Input validation against the models, worded as AWS words it: wrong JSON types are
// SerializationException, broken constraints one InvalidParameterException listing them all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { model } from '../../src/models/idp.js';
import { compilePattern, validateInput } from '../../src/models/validate.js';

function failure(shape: string, input: unknown): { name: string; message: string } {
  try {
    validateInput(model, shape, input);
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error(`${JSON.stringify(input)} passed`);
}

test('valid input passes, unknown members included', () => {
  validateInput(model, 'SignUpRequest', {
    ClientId: 'abc123',
    Username: 'ålice😀',
    Password: 'Pass-word1',
    UserAttributes: [{ Name: 'email', Value: 'a@b.c' }],
    ClientMetadata: { k: 'v' },
    SomethingNewer: { any: ['thing'] },
  });
  validateInput(model, 'ListUsersRequest', { UserPoolId: 'us-east-1_abc', Limit: 60 });
});

test('a wrong JSON type is SerializationException naming the member path', () => {
  const cases: [string, unknown, RegExp][] = [
    ['ListUsersRequest', { UserPoolId: 'us-east-1_abc', Limit: '10' }, /an integer at 'limit' but found a string/],
    ['ListUsersRequest', { UserPoolId: 'us-east-1_abc', Limit: 1.5 }, /an integer at 'limit'/],
    ['ListUsersRequest', { UserPoolId: { S: 'x' } }, /a string at 'userPoolId' but found an object/],
    ['SignUpRequest', { ClientId: 'a', Username: 'b', UserAttributes: { Name: 'email' } }, /a list at 'userAttributes'/],
    ['SignUpRequest', { ClientId: 'a', Username: 'b', UserAttributes: ['email'] }, /an object at 'userAttributes.1.member'/],
    ['SignUpRequest', { ClientId: 'a', Username: 'b', ClientMetadata: ['x'] }, /a map at 'clientMetadata'/],
    ['SignUpRequest', { ClientId: 'a', Username: 'b', ClientMetadata: { k: 1 } }, /a string at 'clientMetadata.k'/],
    ['CreateUserPoolRequest', { PoolName: 'p', DeletionProtection: true }, /a string at 'deletionProtection'/],
    ['AdminCreateUserRequest', { UserPoolId: 'us-east-1_a', Username: 'u', ForceAliasCreation: 'true' }, /a boolean at 'forceAliasCreation'/],
  ];
  for (const [shape, input, message] of cases) {
    const e = failure(shape, input);
    assert.equal(e.name, 'SerializationException', JSON.stringify(input));
    assert.match(e.message, message);
  }
});

test('broken constraints are collected into one InvalidParameterException, in AWS wording', () => {
  const e = failure('SignUpRequest', {
    ClientId: '',
    Username: 'has space',
    UserAttributes: [{ Name: 'email', Value: 'x' }, { Value: 'no name' }],
  });
  assert.equal(e.name, 'InvalidParameterException');
  assert.match(e.message, /^4 validation errors detected: /);
  // Client ids are sensitive in the model too: the value is not repeated.
  assert.match(e.message, /Value at 'clientId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\w\+\]\+;/);
  assert.match(e.message, /Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null/);
  // Usernames are sensitive: the value is not repeated.
  assert.match(e.message, /Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  assert.ok(!e.message.includes('has space'));

  const range = failure('ListUsersRequest', { UserPoolId: 'us-east-1_abc', Limit: 61 });
  assert.equal(range.message, "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60");
  const en = failure('InitiateAuthRequest', { ClientId: 'c', AuthFlow: 'MAGIC' });
  assert.match(en.message, /Value 'MAGIC' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: \[USER_SRP_AUTH, /);
});

test('passwords are never echoed, whatever the constraint', () => {
  const e = failure('SignUpRequest', { ClientId: 'c', Username: 'u', Password: 'x'.repeat(300) });
  assert.match(e.message, /Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256/);
  assert.ok(!e.message.includes('xxxx'));
});

test('lengths count characters, not UTF-16 units', () => {
  // 128 emoji are 256 UTF-16 units but 128 characters: a valid username length.
  validateInput(model, 'AdminGetUserRequest', { UserPoolId: 'us-east-1_abc', Username: '😀'.repeat(128) });
  assert.match(failure('AdminGetUserRequest', { UserPoolId: 'us-east-1_abc', Username: '😀'.repeat(129) }).message, /less than or equal to 128/);
});

test('NUL and unpaired surrogates are refused in any string, patterned or not', () => {
  for (const bad of ['a\u0000b', 'x\ud800', '\udc00y']) {
    const e = failure('SignUpRequest', { ClientId: 'c', Username: 'u', ClientMetadata: { k: bad } });
    assert.equal(e.name, 'InvalidParameterException');
    assert.match(e.message, /at 'clientMetadata.k' failed to satisfy constraint: Member must not contain NUL characters or unpaired surrogates/);
  }
  // A well-formed surrogate pair is fine.
  validateInput(model, 'SignUpRequest', { ClientId: 'c', Username: 'u', ClientMetadata: { k: '\ud83d\ude00' } });
});

test("patterns follow Java's meaning of \\s and \\S (ASCII whitespace only)", () => {
  const password = compilePattern('[\\S]+')!;
  assert.ok(password.test('non\u00a0breaking'), 'NBSP is not whitespace in Java');
  assert.ok(!password.test('has space') && !password.test('has\ttab'));
  const poolName = compilePattern('[\\w\\s+=,.@-]+')!;
  assert.ok(poolName.test('my pool'));
  assert.ok(!poolName.test('my\u3000pool'), 'ideographic space is not in Java\'s \\s');
  assert.ok(compilePattern('(?s)a.b')!.test('a\nb'));
});
