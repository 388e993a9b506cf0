// Imported password hashes (a Tessera extension of user import): the encoded forms accepted in the
// CSV column `tessera:password_hash`, and their verification at the user's first password sign-in.
//
//   bcrypt           $2a$ / $2b$ / $2y$<cost>$<22-char salt><31-char hash>     (cost 4..17)
//   argon2           $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash> (any order; argon2i, argon2d too)
//   scrypt           $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>              (passlib / PHC form)
//   Firebase scrypt  $firebase-scrypt$rounds=<r>,mem=<memCost>,sep=<b64>,key=<b64>$<salt b64>$<hash b64>
//   PBKDF2           $pbkdf2-sha256$<iterations>$<salt>$<hash>                  (passlib form; also -sha512)
// Salts and hashes are base64, with or without padding; passlib's "adapted" base64 (`.` for `+`)
// is accepted too. Parameters are bounded (memory, iterations) so that one sign-in cannot take
// the server's memory or minutes of CPU.
//
// Verification runs off the event loop: bcrypt and argon2 through their native bindings' async
// calls, scrypt and PBKDF2 through node:crypto's async functions, all on the libuv thread pool.
import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import bcrypt from 'bcrypt';
import { firebaseParamsAllowed, firebaseScrypt, type FirebaseScryptParams } from './firebase-scrypt.js';

export type HashAlgorithm = 'bcrypt' | 'argon2id' | 'argon2i' | 'argon2d' | 'scrypt' | 'firebase-scrypt' | 'pbkdf2-sha256' | 'pbkdf2-sha512';

/** CreateUserImportJob's PasswordHashingAlgorithm and the encoded forms each admits. */
export const DECLARED_ALGORITHMS: Readonly<Record<string, readonly HashAlgorithm[]>> = {
  BCRYPT: ['bcrypt'],
  ARGON2ID: ['argon2id'],
  SCRYPT: ['scrypt', 'firebase-scrypt'],
  PBKDF2_SHA256: ['pbkdf2-sha256'],
};

/** A hash as kept in PasswordMaterial `{ kind: 'hash' }`. */
export interface ImportedHash {
  algorithm: HashAlgorithm;
  hash: string;
}

export class HashFormatError extends Error {}

const B64 = '[A-Za-z0-9+/.]+={0,2}';
const BCRYPT = /^\$2([aby])\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const ARGON2 = new RegExp(`^\\$(argon2(?:id|i|d))\\$v=(\\d+)\\$([mtp]=\\d+,[mtp]=\\d+,[mtp]=\\d+)\\$(${B64})\\$(${B64})$`);
const SCRYPT = new RegExp(`^\\$scrypt\\$ln=(\\d+),r=(\\d+),p=(\\d+)\\$(${B64})\\$(${B64})$`);
const FIREBASE = new RegExp(`^\\$firebase-scrypt\\$([^$]+)\\$(${B64})\\$(${B64})$`);
const PBKDF2 = new RegExp(`^\\$pbkdf2-(sha256|sha512)\\$(\\d+)\\$(${B64})\\$(${B64})$`);

const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const MAX_ARGON2_KIB = 1024 * 1024;
const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** Base64 in its standard, URL-less and passlib-adapted spellings. */
function b64(s: string): Buffer {
  return Buffer.from(s.replace(/\./g, '+'), 'base64');
}

/**
 * The algorithm of an encoded hash, checked for shape and bounds; `declared` (the job's
 * PasswordHashingAlgorithm) narrows what is accepted. Throws HashFormatError saying why not.
 * @example parseImportedHash('$2b$10$...') // { algorithm: 'bcrypt', hash: '$2b$10$...' }
 */
export function parseImportedHash(value: string, declared?: string): ImportedHash {
  const algorithm = recognize(value);
  const allowed = declared ? DECLARED_ALGORITHMS[declared] : undefined;
  if (allowed && !allowed.includes(algorithm)) throw new HashFormatError(`the hash is ${algorithm}, not ${declared} as the job declares`);
  return { algorithm, hash: value };
}

function recognize(v: string): HashAlgorithm {
  let m: RegExpExecArray | null;
  if ((m = BCRYPT.exec(v))) {
    const cost = Number(m[2]);
    if (cost < 4 || cost > 17) throw new HashFormatError('bcrypt cost must be 4 to 17');
    return 'bcrypt';
  }
  if ((m = ARGON2.exec(v))) {
    // The parameters come in either order (the reference encoder writes m,t,p; others m,p,t).
    const params = Object.fromEntries(m[3]!.split(',').map((kv) => [kv[0], Number(kv.slice(2))]));
    const [kib, passes, lanes] = [params.m, params.t, params.p];
    if (kib === undefined || passes === undefined || lanes === undefined) throw new HashFormatError('argon2 needs m=, t= and p=');
    if (kib > MAX_ARGON2_KIB || passes > 64 || lanes > 64) throw new HashFormatError('argon2 parameters are too large (m <= 1048576, t <= 64, p <= 64)');
    return m[1] as HashAlgorithm;
  }
  if ((m = SCRYPT.exec(v))) {
    const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (ln < 1 || ln > 24 || r < 1 || p < 1 || p > 16 || 128 * 2 ** ln * r > MAX_SCRYPT_MEMORY) {
      throw new HashFormatError('scrypt parameters are out of bounds (memory 128*N*r <= 256 MiB, p <= 16)');
    }
    if (b64(m[5]!).length < 16) throw new HashFormatError('scrypt hash is shorter than 16 bytes');
    return 'scrypt';
  }
  if ((m = FIREBASE.exec(v))) {
    const params = firebaseParams(m[1]!);
    if (!firebaseParamsAllowed(params)) throw new HashFormatError('Firebase scrypt parameters are out of bounds');
    return 'firebase-scrypt';
  }
  if ((m = PBKDF2.exec(v))) {
    const iterations = Number(m[2]);
    if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) throw new HashFormatError('PBKDF2 iterations must be 1 to 10000000');
    if (b64(m[4]!).length < 16) throw new HashFormatError('PBKDF2 hash is shorter than 16 bytes');
    return `pbkdf2-${m[1]}` as HashAlgorithm;
  }
  throw new HashFormatError('unrecognized hash format (expected $2b$, $argon2id$, $scrypt$, $firebase-scrypt$ or $pbkdf2-sha256$)');
}

/** `rounds=8,mem=14,sep=Bw==,key=...` */
function firebaseParams(list: string): FirebaseScryptParams {
  const kv = new Map<string, string>();
  for (const part of list.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) kv.set(part.slice(0, i), part.slice(i + 1));
  }
  const [rounds, mem, sep, key] = [kv.get('rounds'), kv.get('mem'), kv.get('sep'), kv.get('key')];
  if (!rounds || !mem || sep === undefined || !key || !/^\d+$/.test(rounds) || !/^\d+$/.test(mem)) {
    throw new HashFormatError('Firebase scrypt needs rounds=, mem=, sep= and key=');
  }
  return { rounds: Number(rounds), memCost: Number(mem), saltSeparator: b64(sep), signerKey: b64(key) };
}

/**
 * Whether `password` matches an imported hash. Runs on the libuv thread pool; a malformed hash
 * is simply no match.
 */
export async function verifyImportedHash(h: ImportedHash, password: string): Promise<boolean> {
  try {
    return await verify(h, password);
  } catch {
    return false;
  }
}

async function verify(h: ImportedHash, password: string): Promise<boolean> {
  const v = h.hash;
  let m: RegExpExecArray | null;
  switch (h.algorithm) {
    case 'bcrypt':
      // $2y$ (PHP) and $2a$ are the same algorithm as $2b$ for every password under 255 bytes.
      return bcrypt.compare(password, v.replace(/^\$2[ay]\$/, '$2b$'));
    case 'argon2id':
    case 'argon2i':
    case 'argon2d':
      return argon2.verify(v, password);
    case 'scrypt': {
      if (!(m = SCRYPT.exec(v))) return false;
      const expected = b64(m[5]!);
      const opts = { N: 2 ** Number(m[1]), r: Number(m[2]), p: Number(m[3]), maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024 };
      const got = await new Promise<Buffer>((res, rej) => scrypt(password, b64(m![4]!), expected.length, opts, (e, k) => (e ? rej(e) : res(k))));
      return timingSafeEqual(got, expected);
    }
    case 'firebase-scrypt': {
      if (!(m = FIREBASE.exec(v))) return false;
      const expected = b64(m[3]!);
      const got = await firebaseScrypt(password, b64(m[2]!), firebaseParams(m[1]!));
      return got.length === expected.length && timingSafeEqual(got, expected);
    }
    case 'pbkdf2-sha256':
    case 'pbkdf2-sha512': {
      if (!(m = PBKDF2.exec(v))) return false;
      const expected = b64(m[4]!);
      const got = await new Promise<Buffer>((res, rej) =>
        pbkdf2(password, b64(m![3]!), Number(m![2]), expected.length, m![1]!, (e, k) => (e ? rej(e) : res(k))),
      );
      return timingSafeEqual(got, expected);
    }
  }
}
