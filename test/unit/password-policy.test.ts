// The password policy check, temporary password generation and what is kept of a password.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CryptoWorkers } from '../../src/crypto/workers.js';
import { checkPassword } from '../../src/crypto/srp.js';
import type { PasswordPolicyType } from '../../src/models/idp-types.js';
import type { UserPool } from '../../src/userpools/pools.js';
import {
  checkPasswordPolicy,
  generateTemporaryPassword,
  makePasswordMaterial,
  policyViolation,
  temporaryPasswordExpiry,
} from '../../src/userpools/passwords.js';

function pool(policy?: PasswordPolicyType): UserPool {
  return {
    id: 'us-east-1_Abc123xyz',
    name: 'p',
    arn: 'arn',
    srpName: 'Abc123xyz',
    settings: policy ? { Policies: { PasswordPolicy: policy } } : {},
    createdAt: 0,
    updatedAt: 0,
  };
}

const strict = pool({ MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true });

test('each broken rule is named in Cognito\'s words', () => {
  assert.equal(policyViolation(strict, 'Aa1!short'), 'Password not long enough');
  assert.equal(policyViolation(strict, 'AAAAAAAA1!'), 'Password must have lowercase characters');
  assert.equal(policyViolation(strict, 'aaaaaaaa1!'), 'Password must have uppercase characters');
  assert.equal(policyViolation(strict, 'aaaaaaaaA!'), 'Password must have numeric characters');
  assert.equal(policyViolation(strict, 'aaaaaaaaA1'), 'Password must have symbol characters');
  assert.equal(policyViolation(strict, 'aaaaaaaA1!'), undefined);
});

test('InvalidPasswordException carries the policy prefix', () => {
  assert.throws(
    () => checkPasswordPolicy(strict, 'aaaaaaaaA1'),
    (e: Error) => e.name === 'InvalidPasswordException' && e.message === 'Password did not conform with policy: Password must have symbol characters',
  );
});

test('every character of Cognito\'s symbol set counts as a symbol', () => {
  for (const c of '^$*.[]{}()?-"!@#%&/\\,><\':;|_~`+=') {
    assert.equal(policyViolation(strict, `aaaaaaaA1${c}`), undefined, c);
  }
  // Letters outside ASCII are neither symbols nor upper/lower-case letters for the policy.
  assert.equal(policyViolation(strict, 'aaaaaaaA1é'), 'Password must have symbol characters');
});

test('length counts characters, not UTF-16 units', () => {
  const p = pool({ MinimumLength: 6, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false });
  assert.equal(policyViolation(p, '😀😀😀'), 'Password not long enough');
  assert.equal(policyViolation(p, '😀😀😀😀😀😀'), undefined);
});

test('a pool without a policy gets Cognito\'s default (8, all four classes)', () => {
  assert.equal(policyViolation(pool(), 'Aa1!aaa'), 'Password not long enough');
  assert.equal(policyViolation(pool(), 'Aa1!aaaa'), undefined);
  assert.equal(policyViolation(pool(), 'Aa1aaaaa'), 'Password must have symbol characters');
});

test('a relaxed policy accepts what it does not require', () => {
  const p = pool({ MinimumLength: 6, RequireUppercase: false, RequireLowercase: true, RequireNumbers: false, RequireSymbols: false });
  assert.equal(policyViolation(p, 'abcdef'), undefined);
});

test('generated temporary passwords satisfy the policy', () => {
  const long = pool({ MinimumLength: 30, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true });
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    for (const p of [strict, long, pool()]) {
      const pw = generateTemporaryPassword(p);
      assert.equal(policyViolation(p, pw), undefined, pw);
      assert.match(pw, /^\S+$/);
      seen.add(pw);
    }
  }
  assert.equal(seen.size, 600, 'passwords are random');
});

const modPow = new CryptoWorkers(1);
after(() => modPow.close());

test('password material is an SRP verifier bound to the pool and the canonical username', async () => {
  const p = pool();
  const m = await makePasswordMaterial(p, 'alice', 'Passw0rd!', { temporary: false, now: 0, modPow });
  assert.equal(m.kind, 'srp');
  assert.equal(m.expiresAt, undefined);
  assert.ok(m.kind === 'srp' && checkPassword(p.srpName, 'alice', 'Passw0rd!', m));
  assert.ok(m.kind === 'srp' && !checkPassword(p.srpName, 'alice', 'Passw0rd?', m));
  assert.ok(m.kind === 'srp' && !checkPassword(p.srpName, 'bob', 'Passw0rd!', m));
  assert.ok(!JSON.stringify(m).includes('Passw0rd!'));
});

test('temporary passwords expire after TemporaryPasswordValidityDays', async () => {
  const p = pool({ TemporaryPasswordValidityDays: 3 });
  const now = 1_700_000_000_000;
  assert.equal(temporaryPasswordExpiry(p, now), now + 3 * 86_400_000);
  assert.equal((await makePasswordMaterial(p, 'alice', 'x', { temporary: true, now, modPow })).expiresAt, now + 3 * 86_400_000);
  assert.equal(temporaryPasswordExpiry(pool(), now), now + 7 * 86_400_000);
});
