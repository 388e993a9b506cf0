// The server's side of Cognito's SRP (shared/spec/srp.md §3) with the exponentiations on the
// worker pool. The arithmetic is crypto/srp.ts's (verified against the spec's fixed vector); this
// file only splits it so that each modexp can be awaited. test/unit/auth-srp-server.test.ts
// checks that both give the same results.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { N, computeX, fromHex, hashHex, k, newSalt, padHex, type Verifier } from '../crypto/srp.js';
import type { CryptoWorkers } from '../crypto/workers.js';

const INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);

export interface Ephemeral {
  /** Server secret b, hex. */
  b: string;
  /** B = (k·v + g^b) mod N, hex as sent on the wire (no padding). */
  B: string;
}

/** b (256 random bits) and B = (k·v + g^b) mod N for the verifier `verifierHex`. */
export async function serverEphemeral(pool: CryptoWorkers, verifierHex: string): Promise<Ephemeral> {
  const v = fromHex(verifierHex);
  for (;;) {
    const b = fromHex(randomBytes(32).toString('hex'));
    const B = (k * v + (await pool.powG(b))) % N;
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

/** What the claim is checked against. */
export interface ClaimCheck {
  /** Pool name (the part of the pool id after `_`). */
  poolName: string;
  /** USER_ID_FOR_SRP. */
  userId: string;
  verifier: string;
  A: string;
  b: string;
  B: string;
  /** SECRET_BLOCK as the client echoed it (base64). */
  secretBlock: string;
  /** TIMESTAMP exactly as the client sent it. */
  timestamp: string;
}

/** K = HKDF(IKM = padHex(S), salt = padHex(u), "Caldera Derived Key"), 16 bytes; undefined when A or u is degenerate. */
export async function sessionKey(pool: CryptoWorkers, c: Pick<ClaimCheck, 'verifier' | 'A' | 'b' | 'B'>): Promise<Buffer | undefined> {
  const A = fromHex(c.A);
  if (A % N === 0n) return undefined;
  const u = fromHex(hashHex(padHex(A) + padHex(fromHex(c.B))));
  if (u === 0n) return undefined;
  const S = await pool.srpSecret(A, fromHex(c.verifier), u, fromHex(c.b));
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  return createHmac('sha256', prk).update(INFO).digest().subarray(0, 16);
}

/** PASSWORD_CLAIM_SIGNATURE = base64(HMAC(K, poolName ‖ userId ‖ secretBlockBytes ‖ TIMESTAMP)). */
export function claimSignature(key: Buffer, c: Pick<ClaimCheck, 'poolName' | 'userId' | 'secretBlock' | 'timestamp'>): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.from(c.poolName, 'utf8'))
    .update(Buffer.from(c.userId, 'utf8'))
    .update(Buffer.from(c.secretBlock, 'base64'))
    .update(Buffer.from(c.timestamp, 'utf8'))
    .digest();
}

/**
 * Whether `signature` (base64) is the claim of someone who knows the password, compared in
 * constant time. The work is the same whether it matches or not.
 */
export async function verifyClaim(pool: CryptoWorkers, c: ClaimCheck, signature: string): Promise<boolean> {
  const key = await sessionKey(pool, c);
  const want = key ? claimSignature(key, c) : Buffer.alloc(32);
  const given = Buffer.from(signature, 'base64');
  return given.length === want.length && timingSafeEqual(given, want) && key !== undefined;
}

/**
 * The salt and verifier kept for a password, as crypto/srp.ts's makeVerifier computes them (same
 * bytes), with g^x on the worker pool: hashing x stays here, the exponentiation does not.
 */
export async function makeVerifier(pool: CryptoWorkers, poolName: string, userId: string, password: string, saltHex?: string): Promise<Verifier> {
  const salt = saltHex ?? newSalt();
  return { salt, verifier: padHex(await pool.powG(computeX(poolName, userId, password, salt))) };
}

/** USER_PASSWORD_AUTH and ChangePassword: v recomputed on the worker pool and compared in constant time. */
export async function checkPassword(pool: CryptoWorkers, poolName: string, userId: string, password: string, v: Verifier): Promise<boolean> {
  const mine = Buffer.from((await makeVerifier(pool, poolName, userId, password, v.salt)).verifier, 'hex');
  const theirs = Buffer.from(v.verifier, 'hex');
  return mine.length === theirs.length && timingSafeEqual(mine, theirs);
}
