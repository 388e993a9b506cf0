// Cognito's SRP-6a (shared/spec/srp.md): SHA-256, the 3072-bit group of RFC 5054, Java-style
// padHex of every hashed integer, the pool name inside x, HKDF "Caldera Derived Key" and an HMAC
// password claim instead of M1/M2. Modular exponentiation runs in OpenSSL through node:crypto's
// Diffie-Hellman (computeSecret is base^privateKey mod N), about ten times faster than BigInt.
import { createDiffieHellman, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt('0x' + N_HEX);
export const g = 2n;
const N_BYTES = Buffer.from(N_HEX, 'hex');
const G_BYTES = Buffer.from([2]);

/** Minimal signed big-endian hex of a non-negative integer (Java BigInteger.toByteArray). */
export function padHex(n: bigint): string {
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  if (/^[89a-f]/.test(h)) h = '00' + h;
  return h;
}

const toBytes = (n: bigint): Buffer => {
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  return Buffer.from(h, 'hex');
};
const fromBytes = (b: Buffer): bigint => (b.length ? BigInt('0x' + b.toString('hex')) : 0n);
export const fromHex = (h: string): bigint => BigInt('0x' + h);

/** SHA-256 of the bytes that a hex string spells, as hex. */
export const hashHex = (hex: string): string => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

export const k = fromHex(hashHex(padHex(N) + padHex(g)));

/** base^exp mod N in native code. */
export function modPowN(base: bigint, exp: bigint): bigint {
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(toBytes(exp));
  return fromBytes(dh.computeSecret(toBytes(base % N)));
}

/** g^exp mod N in native code. */
export function powG(exp: bigint): bigint {
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(toBytes(exp));
  dh.generateKeys();
  return fromBytes(dh.getPublicKey());
}

/** x = H(padHex(salt) ‖ H_utf8(poolName ‖ userId ‖ ":" ‖ password)). */
export function computeX(poolName: string, userId: string, password: string, saltHex: string): bigint {
  const inner = createHash('sha256').update(`${poolName}${userId}:${password}`, 'utf8').digest('hex');
  return fromHex(hashHex(padHex(fromHex(saltHex)) + inner));
}

export interface Verifier {
  /** Canonical salt: padHex of 16 random bytes (what the client re-derives from SALT). */
  salt: string;
  /** padHex(v). */
  verifier: string;
}

/** A fresh canonical salt: padHex of 16 random bytes (never zero). */
export const newSalt = (): string => padHex(fromHex(randomBytes(16).toString('hex')) || 1n);

/** The salt and verifier kept for a password (the pool name and username are inside x). */
export function makeVerifier(poolName: string, userId: string, password: string, saltHex?: string): Verifier {
  const salt = saltHex ?? newSalt();
  return { salt, verifier: padHex(powG(computeX(poolName, userId, password, salt))) };
}

/** USER_PASSWORD_AUTH: recompute v from the password and compare in constant time. */
export function checkPassword(poolName: string, userId: string, password: string, v: Verifier): boolean {
  const mine = Buffer.from(makeVerifier(poolName, userId, password, v.salt).verifier, 'hex');
  const theirs = Buffer.from(v.verifier, 'hex');
  return mine.length === theirs.length && timingSafeEqual(mine, theirs);
}

export interface ServerEphemeral {
  /** server secret b, hex */
  b: string;
  /** B = k·v + g^b mod N, hex (the wire form: no padding) */
  B: string;
}

/** The server's half of the exchange: a 256-bit secret b and B = (k·v + g^b) mod N. */
export function serverEphemeral(verifierHex: string, bHex?: string): ServerEphemeral {
  const v = fromHex(verifierHex);
  for (;;) {
    const b = bHex ? fromHex(bHex) : fromHex(randomBytes(32).toString('hex'));
    const B = (k * v + powG(b)) % N;
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

const INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);

export interface ClaimInput {
  /** Pool name (the part of the pool id after `_`), or the DeviceGroupKey for device SRP. */
  poolName: string;
  /** USER_ID_FOR_SRP, or the DeviceKey for device SRP. */
  userId: string;
  verifier: string;
  A: string;
  b: string;
  B: string;
  secretBlock: string;
  timestamp: string;
}

/** The session key K (16 bytes), or undefined when A or u is degenerate. */
export function sessionKey(verifierHex: string, AHex: string, bHex: string, BHex: string): Buffer | undefined {
  const A = fromHex(AHex);
  if (A % N === 0n) return undefined;
  const B = fromHex(BHex);
  const u = fromHex(hashHex(padHex(A) + padHex(B)));
  if (u === 0n) return undefined;
  const v = fromHex(verifierHex);
  const S = modPowN((A * modPowN(v, u)) % N, fromHex(bHex));
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  return createHmac('sha256', prk).update(INFO).digest().subarray(0, 16);
}

/** PASSWORD_CLAIM_SIGNATURE the client must have sent, base64. */
export function expectedClaim(input: ClaimInput): string | undefined {
  const key = sessionKey(input.verifier, input.A, input.b, input.B);
  if (!key) return undefined;
  return createHmac('sha256', key)
    .update(Buffer.from(input.poolName, 'utf8'))
    .update(Buffer.from(input.userId, 'utf8'))
    .update(Buffer.from(input.secretBlock, 'base64'))
    .update(Buffer.from(input.timestamp, 'utf8'))
    .digest('base64');
}

/** Checks the client's password claim in constant time. */
export function verifyClaim(input: ClaimInput, signature: string): boolean {
  const want = expectedClaim(input);
  if (!want) return false;
  const a = Buffer.from(want, 'base64');
  const b = Buffer.from(signature ?? '', 'base64');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses the client's TIMESTAMP (`Tue Sep 25 00:09:40 UTC 2018`, day not zero-padded). */
export function parseSrpTimestamp(ts: string): number | undefined {
  const m = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/.exec(
    ts,
  );
  if (!m) return undefined;
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(m[2]) / 3;
  return Date.UTC(+m[7], month, +m[3], +m[4], +m[5], +m[6]);
}
