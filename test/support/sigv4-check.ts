// For the local stand-ins of AWS services (aws-services.ts, kms-server.ts): computes a request's
// SigV4 signature again with @smithy/signature-v4 and the credentials its Authorization header
// names, as the real service does, so that a call signed wrongly is refused as AWS refuses it.
import type { IncomingMessage } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** The parts of an `AWS4-HMAC-SHA256` Authorization header; undefined when it is not one. */
export function parseAuthorization(header: string | undefined) {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header ?? '');
  return m ? { accessKeyId: m[1], date: m[2], region: m[3], service: m[4], signedHeaders: m[5].split(';'), signature: m[6] } : undefined;
}

/** Whether the request's signature is the one these credentials make for it. */
export async function signatureMatches(
  req: IncomingMessage,
  body: string,
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<boolean> {
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth) return false;
  const headers: Record<string, string> = {};
  for (const h of auth.signedHeaders) if (h !== 'x-amz-date' && h !== 'x-amz-security-token') headers[h] = String(req.headers[h] ?? '');
  const url = new URL(req.url ?? '/', 'http://localhost');
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: String(req.headers.host).split(':')[0],
    port: Number(String(req.headers.host).split(':')[1]) || undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
  });
  const signer = new SignatureV4({
    credentials: creds.sessionToken ? creds : { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: auth.service === 's3',
    uriEscapePath: auth.service !== 's3',
  });
  const amzDate = String(req.headers['x-amz-date']);
  const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const again = await signer.sign(request, { signingDate: date });
  return /Signature=([0-9a-f]{64})/.exec(String(again.headers.authorization))?.[1] === auth.signature;
}
