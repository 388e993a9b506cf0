// The code a custom sender function receives, encrypted so that only the function can read it.
// Cognito encrypts it with the AWS Encryption SDK under the pool's KMS key (KMSKeyID); Tessera,
// which has no KMS, encrypts under TESSERA_CUSTOM_SENDER_KEY, a 32-byte key the operator shares
// with the function (README "Triggers"), and says so in the event (request.codeEncryption):
//
//   code = base64( iv (12 bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes) ), AAD = the user pool id
//
// Decrypting in a Node function:
//   const raw = Buffer.from(event.request.code, 'base64');
//   const d = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
//   d.setAAD(Buffer.from(event.userPoolId)); d.setAuthTag(raw.subarray(raw.length - 16));
//   const code = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const CODE_ENCRYPTION = 'TESSERA_AES_256_GCM';

/** The key of TESSERA_CUSTOM_SENDER_KEY (64 hex digits or base64 of 32 bytes). */
export function senderKeyOf(value: string | undefined): Buffer | undefined {
  if (!value) return undefined;
  return /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

export function encryptCode(key: Buffer, poolId: string, code: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(poolId, 'utf8'));
  const ct = Buffer.concat([c.update(code, 'utf8'), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64');
}

/** The inverse (what a function does); undefined when the key or pool does not match. */
export function decryptCode(key: Buffer, poolId: string, sealed: string): string | undefined {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 28) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(poolId, 'utf8'));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
