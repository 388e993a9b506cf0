// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as Cognito's software token MFA
// and every authenticator app use them: HMAC-SHA1, 30-second steps counted from the Unix epoch,
// 6 digits, secrets of 20 random bytes shown in base32 (RFC 4648, no padding).
//
// Checking accepts the current step and one on each side (RFC 6238 §5.2 allows for clock drift
// and for the time a user takes to type), compares every candidate in constant time and looks
// at all three whatever matches, and reports *which* step matched, so that the caller can refuse
// a step already used (see TotpStepRepo.advance: a code is good once, and so is any older one).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const STEP_SECONDS = 30;
export const DIGITS = 6;
/** Steps accepted on each side of the current one. */
export const WINDOW = 1;
const SECRET_BYTES = 20;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 20 random bytes, base32 (32 characters): what AssociateSoftwareToken answers as SecretCode. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

export function base32Encode(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Base32 to bytes; case, spaces and padding are forgiven (people copy secrets by hand). */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new Error('not base32');
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The time step of an instant (epoch ms). */
export function stepAt(ms: number): number {
  return Math.floor(ms / 1000 / STEP_SECONDS);
}

/** HOTP (RFC 4226 §5.3) of `counter` under `key`: dynamic truncation, DIGITS decimal digits. */
export function hotp(key: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** DIGITS;
  return String(bin).padStart(DIGITS, '0');
}

/** The code an authenticator shows at `ms` for a base32 secret. */
export function totpAt(secret: string, ms: number): string {
  return hotp(base32Decode(secret), stepAt(ms));
}

/**
 * The step whose code `code` is, within ±WINDOW of the step at `ms`, or undefined. Constant time
 * over the candidates: every one is computed and compared.
 * @example const step = matchTotp(secret, '123456', clock.now()); if (step !== undefined && await steps.advance(userId, step)) ...
 */
export function matchTotp(secret: string, code: string, ms: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const key = base32Decode(secret);
  const given = Buffer.from(code, 'utf8');
  const now = stepAt(ms);
  let found: number | undefined;
  for (let step = now - WINDOW; step <= now + WINDOW; step++) {
    const hit = timingSafeEqual(Buffer.from(hotp(key, step), 'utf8'), given);
    if (hit && found === undefined) found = step;
  }
  return found;
}
