// Raw AWS JSON 1.1 calls for wire tests: exactly the bytes and headers a test chooses, optionally
// signed with the admin credentials by AWS's own signer (as SDK v3 signs them).
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { ADMIN } from '../../support/server.js';

export const IDP = 'AWSCognitoIdentityProviderService';
export const IDENTITY = 'AWSCognitoIdentityService';

export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body (undefined when not JSON). */
  json: Record<string, unknown> | undefined;
  /** The request headers as sent (with the signature). */
  sent: Record<string, string>;
}

export interface RawOptions {
  /** Raw body; objects are JSON-encoded. */
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  /** Sign with these credentials (default: unsigned). */
  sign?: { accessKeyId: string; secretAccessKey: string; region?: string; service?: string; date?: Date } | 'admin';
  /** Sign exactly these headers, without x-amz-content-sha256, as botocore does. */
  signableHeaders?: string[];
}

/** POST / with an X-Amz-Target (when `target` is given). */
export async function call(url: string, target: string | undefined, opts: RawOptions = {}): Promise<RawReply> {
  const body =
    opts.body === undefined ? '{}' : typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
  const u = new URL(url);
  let headers: Record<string, string> = {
    host: u.host,
    'content-type': 'application/x-amz-json-1.1',
    ...(target ? { 'x-amz-target': target } : {}),
    ...(opts.headers ?? {}),
  };
  if (opts.sign) {
    headers = await signHeaders(url, headers, body, opts.sign === 'admin' ? ADMIN : opts.sign, opts.signableHeaders);
  }
  const { host: _host, ...sent } = headers;
  const r = await fetch(`${url}/`, { method: 'POST', headers: sent, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await r.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json, sent };
}

/** The headers of a SigV4-signed request (Authorization, X-Amz-Date, X-Amz-Content-Sha256 ...). */
export async function signHeaders(
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
  creds: { accessKeyId: string; secretAccessKey: string; region?: string; service?: string; date?: Date },
  signableHeaders?: string[],
): Promise<Record<string, string>> {
  const u = new URL(url);
  const signer = new SignatureV4({
    service: creds.service ?? 'cognito-idp',
    region: creds.region ?? 'us-east-1',
    sha256: Sha256,
    applyChecksum: !signableHeaders,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
  });
  const req = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: '/',
    headers: { ...headers, host: u.host },
    body,
  });
  const signed = await signer.sign(req, {
    signingDate: creds.date ?? new Date(),
    ...(signableHeaders
      ? {
          signableHeaders: new Set(signableHeaders),
          unsignableHeaders: new Set(Object.keys(headers).filter((h) => !signableHeaders.includes(h))),
        }
      : {}),
  });
  return signed.headers as Record<string, string>;
}

/** Asserts the AWS JSON error format of api-surface.md §1.1 and returns the body. */
export function errorOf(r: RawReply): { __type: string; message: string } {
  const body = r.json as { __type: string; message: string } | undefined;
  if (!body || typeof body.__type !== 'string' || typeof body.message !== 'string') {
    throw new Error(`not an AWS JSON error (status ${r.status}): ${r.text.slice(0, 300)}`);
  }
  if (r.headers.get('x-amzn-errortype') !== `${body.__type}:`) {
    throw new Error(`x-amzn-ErrorType ${r.headers.get('x-amzn-errortype')} does not name ${body.__type}`);
  }
  if (!/^[0-9a-f-]{36}$/.test(r.headers.get('x-amzn-requestid') ?? '')) {
    throw new Error(`x-amzn-RequestId missing or malformed: ${r.headers.get('x-amzn-requestid')}`);
  }
  if (r.headers.get('content-type') !== 'application/x-amz-json-1.1') {
    throw new Error(`content-type ${r.headers.get('content-type')}`);
  }
  return body;
}
