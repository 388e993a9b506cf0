import assert from 'node:assert/strict';
import { test } from 'node:test';
import { N, computeX, expectedClaim, fromHex, g, k, makeVerifier, modPowN, padHex, parseSrpTimestamp, powG, hashHex, checkPassword } from '../../src/crypto/srp.js';

test('padHex follows the signed two\'s-complement rule', () => {
  assert.equal(padHex(0x7fn), '7f');
  assert.equal(padHex(0x80n), '0080');
  assert.equal(padHex(0x1n), '01');
  assert.equal(padHex(0x0fffn), '0fff');
  assert.ok(padHex(N).startsWith('00ffff'));
});

test('k matches the value the clients compute', () => {
  assert.equal(k.toString(16), '538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
});

test('native modular exponentiation agrees with BigInt', () => {
  const big = (b: bigint, e: bigint) => {
    let r = 1n;
    b %= N;
    while (e > 0n) {
      if (e & 1n) r = (r * b) % N;
      b = (b * b) % N;
      e >>= 1n;
    }
    return r;
  };
  const base = fromHex('1234567890abcdef'.repeat(40));
  const e = fromHex('fedcba9876543210'.repeat(4));
  assert.equal(modPowN(base, e), big(base, e));
  assert.equal(powG(e), big(g, e));
});

test('the fixed vector of srp.md §8', () => {
  const poolName = 'TesseraT1';
  const user = 'jane';
  const salt = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
  const x = computeX(poolName, user, 'Passw0rd!', salt);
  assert.equal(x.toString(16), '5b0c3c25e281eeefe0e88aef8ff2f2728815267e02af5a77f53d8e52f1eebd3d');
  const a = fromHex('11'.repeat(32));
  const b = fromHex('22'.repeat(32));
  const A = powG(a);
  const v = powG(x);
  const B = (k * v + powG(b)) % N;
  assert.ok(A.toString(16).startsWith('f2c4e7407ccfac452a7c7e1034e8388b'));
  assert.ok(B.toString(16).startsWith('78199dea4a2b73d4f65d13121186d596'));
  assert.ok(v.toString(16).startsWith('4cbb41901a1ba4fc58a4cd0eac8fbc1a'));
  assert.equal(hashHex(padHex(A) + padHex(B)), '5b6e58fc3b3ab1099172b421d6b28ab8a31dff1319d22cd9a69d013b4cea3e8d');
  const sig = expectedClaim({
    poolName,
    userId: user,
    verifier: padHex(v),
    A: A.toString(16),
    b: b.toString(16),
    B: B.toString(16),
    secretBlock: 'c2VjcmV0LWJsb2NrLWJ5dGVz',
    timestamp: 'Tue Sep 25 00:09:40 UTC 2018',
  });
  assert.equal(sig, 'SpRc9hCHb9KJUCsBTjSjfWgzZH3ZaP8O71VcWFpMDpA=');
});

test('a password checks against its own verifier only', () => {
  const v = makeVerifier('Pool1', 'bob', 'Correct horse 1!');
  assert.ok(checkPassword('Pool1', 'bob', 'Correct horse 1!', v));
  assert.ok(!checkPassword('Pool1', 'bob', 'Correct horse 2!', v));
  assert.ok(!checkPassword('Pool2', 'bob', 'Correct horse 1!', v));
});

test('TIMESTAMP parsing is strict about the unpadded day', () => {
  assert.equal(parseSrpTimestamp('Fri Nov 7 09:05:03 UTC 2025'), Date.UTC(2025, 10, 7, 9, 5, 3));
  assert.equal(parseSrpTimestamp('Fri Nov 07 09:05:03 UTC 2025'), undefined);
  assert.equal(parseSrpTimestamp('garbage'), undefined);
});
