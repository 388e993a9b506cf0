import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two strings of any length (compares SHA-256 digests). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export const sha256Hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
