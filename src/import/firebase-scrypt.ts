// Firebase Authentication's variant of scrypt (its published algorithm, github.com/firebase/scrypt):
// the project's signer key encrypted under a key derived from the password.
//   derived = scrypt(password, salt ‖ saltSeparator, N = 2^memCost, r = rounds, p = 1, 64 bytes)
//   hash    = AES-256-CTR(key = derived[0..32], iv = 16 zero bytes, plaintext = signerKey)
// The project's parameters (signer key, salt separator, rounds, memory cost) come from the Firebase
// console ("Password hash parameters"); the salt and hash are per user in `auth:export` files.
import { createCipheriv, scrypt } from 'node:crypto';

export interface FirebaseScryptParams {
  signerKey: Buffer;
  saltSeparator: Buffer;
  rounds: number;
  memCost: number;
}

/** scrypt's memory is 128·N·r bytes; allow what the largest Firebase settings need, and some room. */
const MAX_MEMORY = 256 * 1024 * 1024;

/** The Firebase hash of `password` with this salt and these project parameters (libuv thread pool). */
export function firebaseScrypt(password: string, salt: Buffer, p: FirebaseScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const N = 2 ** p.memCost;
    scrypt(Buffer.from(password, 'utf8'), Buffer.concat([salt, p.saltSeparator]), 64, { N, r: p.rounds, p: 1, maxmem: MAX_MEMORY }, (err, derived) => {
      if (err) return reject(err);
      const cipher = createCipheriv('aes-256-ctr', derived.subarray(0, 32), Buffer.alloc(16, 0));
      resolve(Buffer.concat([cipher.update(p.signerKey), cipher.final()]));
    });
  });
}

/** Whether the parameters are within what a sign-in may spend (memory of scrypt). */
export function firebaseParamsAllowed(p: FirebaseScryptParams): boolean {
  return p.rounds >= 1 && p.rounds <= 32 && p.memCost >= 1 && p.memCost <= 20 && 128 * 2 ** p.memCost * p.rounds <= MAX_MEMORY;
}
