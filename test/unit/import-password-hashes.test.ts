// Imported password hashes: each encoded form verifies the right password and refuses a wrong one,
// checked against vectors published elsewhere (RFC 7914 for scrypt and PBKDF2-SHA256, Firebase's
// own example for its scrypt variant) and against hashes made by the bcrypt and argon2 libraries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import argon2 from 'argon2';
import bcrypt from 'bcrypt';
import { HashFormatError, parseImportedHash, verifyImportedHash } from '../../src/import/password-hashes.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex').toString('base64');

async function accepts(encoded: string, password: string, wrong = password + 'x') {
  const h = parseImportedHash(encoded);
  assert.equal(await verifyImportedHash(h, password), true, `${h.algorithm} accepts the password`);
  assert.equal(await verifyImportedHash(h, wrong), false, `${h.algorithm} refuses another`);
  return h;
}

test('bcrypt $2b$, $2a$ and $2y$ hashes verify', async () => {
  const h = await bcrypt.hash('Correct horse 1!', 4);
  assert.equal((await accepts(h, 'Correct horse 1!')).algorithm, 'bcrypt');
  await accepts(h.replace('$2b$', '$2a$'), 'Correct horse 1!');
  await accepts(h.replace('$2b$', '$2y$'), 'Correct horse 1!');
});

test('argon2id hashes verify', async () => {
  const h = await argon2.hash('pässword', { type: argon2.argon2id, memoryCost: 4096, timeCost: 2 });
  assert.equal((await accepts(h, 'pässword')).algorithm, 'argon2id');
});

test('scrypt in the $scrypt$ form: RFC 7914 §12 vector (N=1024, r=8, p=16)', async () => {
  const dk = hex(`fd ba be 1c 9d 34 72 00 78 56 e7 19 0d 01 e9 fe 7c 6a d7 cb c8 23 78 30 e7 73 76 63 4b 37 31 62
                  2e af 30 d9 2e 22 a3 88 6f f1 09 27 9d 98 30 da c7 27 af b9 4a 83 ee 6d 83 60 cb df a2 cc 06 40`);
  const salt = Buffer.from('NaCl').toString('base64').replace(/=+$/, '');
  await accepts(`$scrypt$ln=10,r=8,p=16$${salt}$${dk.replace(/=+$/, '')}`, 'password');
});

test('PBKDF2-SHA256 in the passlib form: RFC 7914 §11 vector (c=1)', async () => {
  const dk = hex(`55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc
                  49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31 7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83`);
  const salt = Buffer.from('salt').toString('base64');
  // passlib's adapted base64: '.' for '+', no padding.
  const adapted = (s: string) => s.replace(/\+/g, '.').replace(/=+$/, '');
  const h = await accepts(`$pbkdf2-sha256$1$${adapted(salt)}$${adapted(dk)}`, 'passwd');
  assert.equal(h.algorithm, 'pbkdf2-sha256');
});

test("Firebase scrypt: the example of Firebase's own scrypt repository", async () => {
  const key = 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==';
  const encoded = `$firebase-scrypt$rounds=8,mem=14,sep=Bw==,key=${key}$42xEC+ixf3L2lw==$lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==`;
  assert.equal((await accepts(encoded, 'user1password')).algorithm, 'firebase-scrypt');
});

test('malformed or unbounded hashes are refused when parsed, with the reason', () => {
  assert.throws(() => parseImportedHash('plaintext'), HashFormatError);
  assert.throws(() => parseImportedHash('$2b$31$' + 'a'.repeat(53)), /cost/);
  assert.throws(() => parseImportedHash('$scrypt$ln=30,r=8,p=1$c2FsdA$' + 'A'.repeat(43)), /out of bounds/);
  assert.throws(() => parseImportedHash('$pbkdf2-sha256$0$c2FsdA$' + 'A'.repeat(43)), /iterations/);
});

test("the job's PasswordHashingAlgorithm narrows what a row may carry", async () => {
  const h = await bcrypt.hash('x', 4);
  assert.equal(parseImportedHash(h, 'BCRYPT').algorithm, 'bcrypt');
  assert.throws(() => parseImportedHash(h, 'ARGON2ID'), /not ARGON2ID/);
});
