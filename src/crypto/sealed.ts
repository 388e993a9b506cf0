// Secrets at rest and self-contained tokens: AES-256-GCM under a key derived from the master key.
// A sealed value is `v1.<base64url(iv ‖ ciphertext ‖ tag)>`, bound to a purpose string (the AAD),
// so a blob sealed for one use cannot be opened as another.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export class Sealer {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  private keyFor(purpose: string): Buffer {
    let k = this.keys.get(purpose);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', this.masterKey, Buffer.alloc(0), `tessera:${purpose}`, 32));
      this.keys.set(purpose, k);
    }
    return k;
  }

  seal(purpose: string, plaintext: string | Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(purpose), iv);
    cipher.setAAD(Buffer.from(purpose));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return 'v1.' + Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url');
  }

  /** Returns the plaintext, or undefined when the blob is malformed, tampered with or of another purpose. */
  open(purpose: string, sealed: string): Buffer | undefined {
    if (typeof sealed !== 'string' || !sealed.startsWith('v1.')) return undefined;
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    if (raw.length < 12 + 16) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyFor(purpose), raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    } catch {
      return undefined;
    }
  }

  sealJson(purpose: string, value: unknown): string {
    return this.seal(purpose, JSON.stringify(value));
  }

  openJson<T>(purpose: string, sealed: string): T | undefined {
    const buf = this.open(purpose, sealed);
    if (!buf) return undefined;
    try {
      return JSON.parse(buf.toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }
}
