// The code a custom sender function receives, encrypted so that only the function can read it.
//
// As Cognito (the default): an AWS Encryption SDK message under the pool's KMS key (KMSKeyID),
// base64. The data key comes from KMS's GenerateDataKey at AWS (the key's region, Tessera's AWS
// credentials) or at TESSERA_KMS_ENDPOINT (LocalStack, local-kms). The message is what a real
// Cognito event carries: format version 1, suite AES-256-GCM with HKDF-SHA384 and an ECDSA P-384
// signature (0x0378, not key-committing, so Encryption SDK 1.x decrypts it too) and the encryption
// context {"userpool-id": <pool id>}. KMSKeyID is best a key ARN: KMS writes the key's ARN into the
// message, so a function whose keyring names an alias ARN finds no key it knows. Tessera's own AWS
// principal needs kms:GenerateDataKey on the key (at AWS, Cognito's key policy names the
// cognito-idp service instead). A function written for Cognito decrypts it unchanged:
//   const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
//   const { plaintext } = await decrypt(new KmsKeyringNode({ keyIds: [keyArn] }), Buffer.from(event.request.code, 'base64'));
//
// Tessera's local mode, for a deployment without KMS: with TESSERA_CUSTOM_SENDER_KEY, a 32-byte key
// the operator shares with the function (README "Triggers"), and the event says so
// (request.codeEncryption):
//
//   code = base64( iv (12 bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes) ), AAD = the user pool id
//
// Decrypting in a Node function:
//   const raw = Buffer.from(event.request.code, 'base64');
//   const d = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
//   d.setAAD(Buffer.from(event.userPoolId)); d.setAuthTag(raw.subarray(raw.length - 16));
//   const code = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
import { AlgorithmSuiteIdentifier, CommitmentPolicy, KmsKeyringNode, buildClient, cacheClients, getClient } from '@aws-crypto/client-node';
import { KMS } from '@aws-sdk/client-kms';
import { credentialsFor } from '../aws-credentials.js';
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

/** The encryption context of Cognito's custom sender codes. */
export const encryptionContextOf = (poolId: string) => ({ 'userpool-id': poolId });

/** Encrypts codes as Cognito does: AWS Encryption SDK messages under a KMS key (see the top of this file). */
export class KmsCodeEncryptor {
  // Non-committing suites can only be written under FORBID_ENCRYPT; 0x0378 is what Cognito writes.
  private readonly sdk = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  private readonly clients;
  private readonly keyrings = new Map<string, KmsKeyringNode>();
  private readonly defaultRegion: string;

  /** `region`: for a KMSKeyID that names none (a bare key id); an ARN's region wins. */
  constructor(opts: { endpoint?: string; region: string }) {
    // One KMS client per region. A call that fails after its retries, or takes too long, drops
    // the message (logged): nothing may wait forever on KMS.
    this.clients = cacheClients(
      getClient(KMS, {
        endpoint: opts.endpoint,
        credentials: credentialsFor(opts.endpoint),
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
      }),
    );
    this.defaultRegion = opts.region;
  }

  /** base64 of the Encryption SDK message of `code` under the KMS key `keyId` (an ARN), for pool `poolId`. */
  async encrypt(keyId: string, poolId: string, code: string): Promise<string> {
    let keyring = this.keyrings.get(keyId);
    if (!keyring) {
      const clients = this.clients;
      const region = this.defaultRegion;
      keyring = new KmsKeyringNode({ generatorKeyId: keyId, clientProvider: (r?: string) => clients(r || region) });
      if (this.keyrings.size >= 1000) this.keyrings.clear();
      this.keyrings.set(keyId, keyring);
    }
    const { result } = await this.sdk.encrypt(keyring, Buffer.from(code, 'utf8'), {
      encryptionContext: encryptionContextOf(poolId),
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    });
    return result.toString('base64');
  }
}
