// Keyed one-way hashes for short secrets kept only to be checked (verification and reset codes):
// HMAC-SHA256 under a key derived from the master key per purpose. A six-digit code hashed
// without a key could be brute-forced from a stolen database in microseconds; with the key
// (which never sits in the database) it cannot.
import { createHmac, hkdfSync } from 'node:crypto';

export class KeyedHash {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  private keyFor(purpose: string): Buffer {
    let k = this.keys.get(purpose);
    if (!k) {
      // A different info string from the sealer's, so no hash key ever equals an encryption key.
      k = Buffer.from(hkdfSync('sha256', this.masterKey, Buffer.alloc(0), `tessera-hmac:${purpose}`, 32));
      this.keys.set(purpose, k);
    }
    return k;
  }

  /**
   * Hex HMAC of `parts` joined unambiguously (each is length-prefixed), under the purpose's key.
   * @example hasher.digest('code', userId, 'signup', '123456')
   */
  digest(purpose: string, ...parts: string[]): string {
    const mac = createHmac('sha256', this.keyFor(purpose));
    for (const p of parts) {
      const bytes = Buffer.from(p, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      mac.update(len).update(bytes);
    }
    return mac.digest('hex');
  }
}
