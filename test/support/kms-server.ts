// A small stand-in for AWS KMS, speaking its JSON 1.1 protocol (X-Amz-Target TrentService.*), so
// that the AWS Encryption SDK's KMS keyring talks to it unchanged: Tessera's when it encrypts a
// custom sender's code, and the test function's when it decrypts it as a function written for
// Cognito does.
//   GenerateDataKey  KeyId (a key ARN this server holds), NumberOfBytes, EncryptionContext
//   Encrypt          KeyId, Plaintext, EncryptionContext
//   Decrypt          CiphertextBlob, EncryptionContext, KeyId (optional)
// A ciphertext blob is this server's own format (as KMS's is opaque): the key ARN, then AES-256-GCM
// under that key's material with the canonical encryption context as AAD, so Decrypt fails as KMS
// does (InvalidCiphertextException) when the context differs. Every call must carry a SigV4
// signature for service kms in the key's region, made with credentials the test accepted.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { parseAuthorization, signatureMatches } from './sigv4-check.js';

export interface KmsCall {
  op: string;
  input: Record<string, any>;
  accessKeyId: string;
}

export interface KmsServer {
  url: string;
  /** ARN of a new key (region us-east-1 unless given). */
  createKey(region?: string): string;
  /** Every call answered, in order (refused ones included). */
  calls: KmsCall[];
  /** Refuses the key's use from now on (AccessDeniedException), as a key policy would. */
  deny(keyArn: string): void;
  close(): Promise<void>;
}

/** Credentials this stand-in accepts: the ones Tessera uses at a local endpoint without any of its own, and the test function's. */
export const KMS_TEST_CREDENTIALS = { accessKeyId: 'AKIDKMSTESTFUNCTION', secretAccessKey: 'kms-test-function-secret' };
const ACCEPTED = new Map([
  ['tessera-local', 'tessera-local'],
  [KMS_TEST_CREDENTIALS.accessKeyId, KMS_TEST_CREDENTIALS.secretAccessKey],
]);

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const contextAad = (ctx: Record<string, string> | undefined) =>
  Buffer.from(JSON.stringify(Object.entries(ctx ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

export async function startKmsServer(): Promise<KmsServer> {
  const keys = new Map<string, Buffer>();
  const denied = new Set<string>();
  const calls: KmsCall[] = [];

  const keyOf = (keyId: unknown): string => {
    if (typeof keyId !== 'string' || !keys.has(keyId)) throw new KmsError('NotFoundException', `Key '${String(keyId)}' does not exist`);
    if (denied.has(keyId)) throw new KmsError('AccessDeniedException', `User is not authorized to use key ${keyId}`);
    return keyId;
  };
  const seal = (arn: string, plaintext: Buffer, ctx: Record<string, string> | undefined): string => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', keys.get(arn)!, iv);
    c.setAAD(contextAad(ctx));
    const ct = Buffer.concat([c.update(plaintext), c.final()]);
    const name = Buffer.from(arn, 'utf8');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(name.length);
    return Buffer.concat([len, name, iv, ct, c.getAuthTag()]).toString('base64');
  };
  const open = (blob: unknown, ctx: Record<string, string> | undefined): { arn: string; plaintext: Buffer } => {
    const invalid = () => new KmsError('InvalidCiphertextException', '');
    const raw = typeof blob === 'string' ? Buffer.from(blob, 'base64') : Buffer.alloc(0);
    if (raw.length < 2) throw invalid();
    const n = raw.readUInt16BE(0);
    const arn = raw.subarray(2, 2 + n).toString('utf8');
    const rest = raw.subarray(2 + n);
    if (!keys.has(arn) || rest.length < 28) throw invalid();
    keyOf(arn);
    try {
      const d = createDecipheriv('aes-256-gcm', keys.get(arn)!, rest.subarray(0, 12));
      d.setAAD(contextAad(ctx));
      d.setAuthTag(rest.subarray(rest.length - 16));
      return { arn, plaintext: Buffer.concat([d.update(rest.subarray(12, rest.length - 16)), d.final()]) };
    } catch {
      throw invalid();
    }
  };

  const ops: Record<string, (input: Record<string, any>) => Record<string, unknown>> = {
    GenerateDataKey(input) {
      const arn = keyOf(input.KeyId);
      const bytes = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : input.KeySpec === 'AES_256' ? 32 : undefined);
      if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) throw new KmsError('ValidationException', 'NumberOfBytes or KeySpec is required');
      const plaintext = randomBytes(bytes);
      return { KeyId: arn, Plaintext: plaintext.toString('base64'), CiphertextBlob: seal(arn, plaintext, input.EncryptionContext) };
    },
    Encrypt(input) {
      const arn = keyOf(input.KeyId);
      return { KeyId: arn, CiphertextBlob: seal(arn, Buffer.from(String(input.Plaintext ?? ''), 'base64'), input.EncryptionContext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    Decrypt(input) {
      const { arn, plaintext } = open(input.CiphertextBlob, input.EncryptionContext);
      if (input.KeyId !== undefined && input.KeyId !== arn) throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext.');
      return { KeyId: arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const op = String(req.headers['x-amz-target'] ?? '').replace(/^TrentService\./, '');
    const auth = parseAuthorization(req.headers.authorization);
    let input: Record<string, any> = {};
    let status = 200;
    let out: Record<string, unknown>;
    try {
      try {
        input = JSON.parse(body || '{}');
      } catch {
        throw new KmsError('SerializationException', 'Malformed JSON');
      }
      calls.push({ op, input, accessKeyId: auth?.accessKeyId ?? '' });
      const secret = auth && ACCEPTED.get(auth.accessKeyId);
      if (!auth || !secret || auth.service !== 'kms') throw new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      if (!(await signatureMatches(req, body, { accessKeyId: auth.accessKeyId, secretAccessKey: secret }))) {
        throw new KmsError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
      }
      const region = /^arn:aws:kms:([^:]+):/.exec(String(input.KeyId ?? ''))?.[1];
      if (region && region !== auth.region) throw new KmsError('NotFoundException', `Key '${input.KeyId}' does not exist in ${auth.region}`);
      const run = ops[op];
      if (!run) throw new KmsError('UnknownOperationException', `Unknown operation ${op}`);
      out = run(input);
    } catch (e) {
      const err = e instanceof KmsError ? e : new KmsError('KMSInternalException', String((e as Error).message), 500);
      status = err.status;
      out = { __type: err.type, message: err.message };
      res.setHeader('x-amzn-errortype', err.type);
    }
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(out));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    createKey(region = 'us-east-1') {
      const arn = `arn:aws:kms:${region}:123456789012:key/${randomUUID()}`;
      keys.set(arn, randomBytes(32));
      return arn;
    },
    deny(keyArn) {
      denied.add(keyArn);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
