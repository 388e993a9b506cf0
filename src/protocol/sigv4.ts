// Verifies AWS Signature Version 4 on IAM-authorised requests (api-surface.md §2.2), with AWS's
// own signer (@smithy/signature-v4) recomputing the signature over exactly the headers the client
// signed. There is no IAM: a verified access key maps to a Tessera principal.
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  CognitoException,
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from '../errors.js';

export interface Principal {
  kind: 'admin' | 'identity';
  accessKeyId: string;
  /** For temporary identity credentials: the identity they act for. */
  identityId?: string;
  identityPoolId?: string;
}

export interface Credential {
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: number;
  principal: Principal;
}

/** Finds the secret behind an access key id (admin keys, or temporary identity credentials). */
export type CredentialLookup = (accessKeyId: string) => Promise<Credential | undefined>;

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received on the wire (not decoded). */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256 +Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*SignedHeaders=([a-z0-9;_.-]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;
const DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const header = (h: SignedRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export interface VerifyOptions {
  service: string;
  regions: ReadonlySet<string>;
  skewSeconds: number;
  now: number;
  lookup: CredentialLookup;
}

export async function verifySigV4(req: SignedRequest, opts: VerifyOptions): Promise<Principal> {
  const auth = header(req.headers, 'authorization');
  if (!auth) throw new MissingAuthenticationTokenException('Missing Authentication Token');
  const m = AUTH_RE.exec(auth);
  if (!m) {
    throw new IncompleteSignatureException(
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of the AWS4-HMAC-SHA256 algorithm.`,
    );
  }
  const [, accessKeyId, scopeDate, region, service, signedHeaders, signature] = m;
  const amzDate = header(req.headers, 'x-amz-date');
  const d = amzDate ? DATE_RE.exec(amzDate) : null;
  if (!d) throw new IncompleteSignatureException(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
  const signingDate = new Date(Date.UTC(+d[1], +d[2] - 1, +d[3], +d[4], +d[5], +d[6]));
  if (Number.isNaN(signingDate.getTime()) || fmt(signingDate.getTime()) !== amzDate) {
    throw new IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  }
  if (amzDate!.slice(0, 8) !== scopeDate) {
    throw new InvalidSignatureException(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate!.slice(0, 8)}'.`);
  }
  if (service !== opts.service) {
    throw new InvalidSignatureException(`Credential should be scoped to correct service: '${opts.service}'.`);
  }
  if (!opts.regions.has(region)) {
    throw new InvalidSignatureException(`Credential should be scoped to a valid region, not '${region}'.`);
  }
  // AWS's wording for both directions; SDKs recognise them and correct their clock offset.
  const skewMs = opts.skewSeconds * 1000;
  if (signingDate.getTime() < opts.now - skewMs) {
    throw new InvalidSignatureException(
      `Signature expired: ${amzDate} is now earlier than ${fmt(opts.now - skewMs)} (${fmt(opts.now)} - ${minutes(opts.skewSeconds)} min.)`,
    );
  }
  if (signingDate.getTime() > opts.now + skewMs) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${amzDate} is still later than ${fmt(opts.now + skewMs)} (${fmt(opts.now)} + ${minutes(opts.skewSeconds)} min.)`,
    );
  }
  const cred = await opts.lookup(accessKeyId);
  if (!cred) throw new UnrecognizedClientException('The security token included in the request is invalid.');
  const token = header(req.headers, 'x-amz-security-token');
  if (!safeStrEq(cred.sessionToken ?? '', token ?? '')) {
    throw new UnrecognizedClientException('The security token included in the request is invalid.');
  }
  if (cred.expiresAt !== undefined && cred.expiresAt <= opts.now) {
    throw new CognitoException('ExpiredTokenException', 'The security token included in the request is expired');
  }
  // The signer trusts x-amz-content-sha256 as the payload hash: it must match the body we got.
  // UNSIGNED-PAYLOAD (an S3 convention) is refused too: the body would not be covered.
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  const claimed = header(req.headers, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== bodyHash) {
    throw new InvalidSignatureException('The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const signedList = signedHeaders.split(';');
  if (!signedList.includes('host')) throw new InvalidSignatureException("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const headers: Record<string, string> = {};
  for (const h of signedList) {
    const v = header(req.headers, h);
    if (v === undefined) throw new InvalidSignatureException(`The request signature we calculated does not match the signature you provided. Signed header '${h}' is missing.`);
    headers[h] = v;
  }
  const q = req.rawUrl.indexOf('?');
  const path = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const query: Record<string, string | string[]> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(req.rawUrl.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: headers.host ?? 'localhost',
    path,
    query,
    headers,
    body: req.body,
  });
  const signer = new SignatureV4({
    service,
    region,
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: false,
    credentials: { accessKeyId, secretAccessKey: cred.secretAccessKey, sessionToken: token },
  });
  const signed = await signer.sign(request, {
    signingDate,
    signingRegion: region,
    signingService: service,
    signableHeaders: new Set(signedList),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization']))?.[1] ?? '';
  if (!safeStrEq(expected, signature)) {
    throw new InvalidSignatureException(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return cred.principal;
}

/**
 * SHA-256 and HMAC-SHA256 for the signer from node:crypto (native code) rather than the pure
 * JavaScript @aws-crypto/sha256-js: the signer hashes every signed body.
 */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(
      typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data),
    );
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function safeStrEq(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const minutes = (seconds: number) => Math.round((seconds / 60) * 100) / 100;
const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
