// The server's SRP steps on the worker pool give exactly what crypto/srp.ts (checked against
// srp.md's fixed vector) gives, and the pool survives bad input and many parallel jobs.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { N, expectedClaim, fromHex, g, k, makeVerifier, modPowN, padHex, powG } from '../../src/crypto/srp.js';
import { CryptoWorkers } from '../../src/crypto/workers.js';
import { checkPassword as checkPooled, claimSignature, makeVerifier as makePooledVerifier, serverEphemeral, sessionKey, verifyClaim } from '../../src/auth/srp-server.js';

const pool = new CryptoWorkers(2);
after(() => pool.close());

test('pooled exponentiation equals the native one', async () => {
  const e = fromHex('fedcba9876543210'.repeat(4));
  const base = fromHex('1234567890abcdef'.repeat(40));
  assert.equal(await pool.powG(e), powG(e));
  assert.equal(await pool.modPow(base, e), modPowN(base, e));
  assert.equal(await pool.modPow(base + N, e), modPowN(base, e));
});

test('a verifier made on the pool has the same bytes as the in-thread one', async () => {
  const cases: Array<[string, string, string, string]> = [
    ['TesseraT1', 'jane', 'Passw0rd!', 'f0e1d2c3b4a5968778695a4b3c2d1e0f'],
    ['Abc123xyz', 'b1f6a0c2-3d4e-4f50-8a9b-0c1d2e3f4a5b', 'Zz9$ünïcødé', padHex(0x80n)],
    ['PoolX', 'bob', 'S3cret!pw', padHex(0x1234567890n)],
  ];
  for (const [poolName, user, pw, salt] of cases) {
    const inThread = makeVerifier(poolName, user, pw, salt);
    const pooled = await makePooledVerifier(pool, poolName, user, pw, salt);
    assert.deepEqual(pooled, inThread);
  }
  // The srp.md §8 vector's v, spelled out: a change of bytes would break every stored password.
  const v = (await makePooledVerifier(pool, 'TesseraT1', 'jane', 'Passw0rd!', 'f0e1d2c3b4a5968778695a4b3c2d1e0f')).verifier;
  assert.equal(v, makeVerifier('TesseraT1', 'jane', 'Passw0rd!', 'f0e1d2c3b4a5968778695a4b3c2d1e0f').verifier);
  // A fresh salt is canonical (padHex form) and the pair checks out both ways.
  const fresh = await makePooledVerifier(pool, 'PoolX', 'bob', 'S3cret!pw');
  assert.equal(fresh.salt, padHex(fromHex(fresh.salt)));
  assert.equal(fresh.verifier, makeVerifier('PoolX', 'bob', 'S3cret!pw', fresh.salt).verifier);
  assert.equal(await checkPooled(pool, 'PoolX', 'bob', 'S3cret!pw', fresh), true);
  assert.equal(await checkPooled(pool, 'PoolX', 'bob', 'S3cret!pW', fresh), false);
  assert.equal(await checkPooled(pool, 'PoolX', 'bobby', 'S3cret!pw', fresh), false);
});

test('the fixed vector of srp.md §8 through the pool', async () => {
  const salt = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
  const v = makeVerifier('TesseraT1', 'jane', 'Passw0rd!', salt).verifier;
  const a = fromHex('11'.repeat(32));
  const b = fromHex('22'.repeat(32));
  const A = powG(a).toString(16);
  const B = ((k * fromHex(v) + powG(b)) % N).toString(16);
  const key = await sessionKey(pool, { verifier: v, A, b: b.toString(16), B });
  assert.equal(key?.toString('hex'), '0fa7140db4ecd55a01527417b360184f');
  const c = { poolName: 'TesseraT1', userId: 'jane', secretBlock: 'c2VjcmV0LWJsb2NrLWJ5dGVz', timestamp: 'Tue Sep 25 00:09:40 UTC 2018' };
  assert.equal(claimSignature(key!, c).toString('base64'), 'SpRc9hCHb9KJUCsBTjSjfWgzZH3ZaP8O71VcWFpMDpA=');
  const check = { ...c, verifier: v, A, b: b.toString(16), B };
  assert.equal(await verifyClaim(pool, check, 'SpRc9hCHb9KJUCsBTjSjfWgzZH3ZaP8O71VcWFpMDpA='), true);
  assert.equal(await verifyClaim(pool, check, 'TpRc9hCHb9KJUCsBTjSjfWgzZH3ZaP8O71VcWFpMDpA='), false);
  assert.equal(await verifyClaim(pool, { ...check, timestamp: 'Tue Sep 25 00:09:41 UTC 2018' }, 'SpRc9hCHb9KJUCsBTjSjfWgzZH3ZaP8O71VcWFpMDpA='), false);
});

test('a fresh ephemeral agrees with crypto/srp.ts and a client computing S its own way', async () => {
  const salt = padHex(0x1234567890n);
  const v = makeVerifier('PoolX', 'bob', 'S3cret!pw', salt).verifier;
  const { b, B } = await serverEphemeral(pool, v);
  assert.equal(fromHex(B), (k * fromHex(v) + powG(fromHex(b))) % N);
  const A = powG(fromHex('33'.repeat(128))).toString(16);
  const input = { poolName: 'PoolX', userId: 'bob', verifier: v, A, b, B, secretBlock: 'AAAA', timestamp: 'Fri Nov 7 09:05:03 UTC 2025' };
  assert.equal(await verifyClaim(pool, input, expectedClaim(input)!), true);
});

test('A = 0 mod N never verifies', async () => {
  const v = makeVerifier('PoolX', 'bob', 'pw', padHex(7n)).verifier;
  const input = { poolName: 'PoolX', userId: 'bob', verifier: v, A: N.toString(16), b: '5', B: g.toString(16), secretBlock: '', timestamp: 't' };
  assert.equal(await verifyClaim(pool, input, Buffer.alloc(32).toString('base64')), false);
});

test('many parallel jobs all come back right', async () => {
  const exps = Array.from({ length: 40 }, (_, i) => BigInt(i + 3) * 0x10001n);
  const got = await Promise.all(exps.map((e) => pool.powG(e)));
  assert.deepEqual(got, exps.map((e) => powG(e)));
});
