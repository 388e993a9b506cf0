// verifySigV4 against fixed inputs: AWS's published example, and requests signed by a small
// reference signer written here from the SigV4 specification (independent of @smithy/signature-v4,
// which the verifier uses).
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { verifySigV4, type Credential, type SignedRequest, type VerifyOptions } from '../../src/protocol/sigv4.js';

const KEY = { id: 'AKIDEXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const admin: Credential = { secretAccessKey: KEY.secret, principal: { kind: 'admin', accessKeyId: KEY.id } };

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** The SigV4 recipe, step by step (canonical request, string to sign, derived key). */
function referenceSign(opts: {
  method?: string;
  path?: string;
  query?: string;
  headers: Record<string, string>;
  signed: string[];
  body: string;
  at: number;
  region?: string;
  service?: string;
  secret?: string;
  accessKeyId?: string;
}): string {
  const date = amzDate(opts.at);
  const region = opts.region ?? 'us-east-1';
  const service = opts.service ?? 'cognito-idp';
  const signed = [...opts.signed].sort();
  // Non-S3 services encode each path segment once more than it arrived.
  const path = (opts.path ?? '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  const canonical = [
    opts.method ?? 'POST',
    path,
    opts.query ?? '',
    ...signed.map((h) => `${h}:${opts.headers[h].trim().replace(/\s+/g, ' ')}`),
    '',
    signed.join(';'),
    sha256(opts.body),
  ].join('\n');
  const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  let k = hmac(`AWS4${opts.secret ?? KEY.secret}`, date.slice(0, 8));
  for (const part of [region, service, 'aws4_request']) k = hmac(k, part);
  const signature = createHmac('sha256', k).update(toSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${opts.accessKeyId ?? KEY.id}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
}

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const BODY = '{"UserPoolId":"us-east-1_abc123"}';

/** A botocore-style request: signs content-type;host;x-amz-date;x-amz-target only. */
function botocoreRequest(over: { at?: number; body?: string; sendBody?: string; extra?: Record<string, string>; sign?: Partial<Parameters<typeof referenceSign>[0]> } = {}): SignedRequest {
  const at = over.at ?? NOW;
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: 'localhost:9229',
    'x-amz-date': amzDate(at),
    'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPool',
    'user-agent': 'Boto3/1.40 md/Botocore#1.43.11',
  };
  const body = over.body ?? BODY;
  headers.authorization = referenceSign({
    headers,
    signed: ['content-type', 'host', 'x-amz-date', 'x-amz-target'],
    body,
    at,
    ...over.sign,
  });
  return { method: 'POST', rawUrl: '/', headers: { ...headers, ...over.extra }, body: Buffer.from(over.sendBody ?? body) };
}

function options(over: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    service: 'cognito-idp',
    regions: new Set(['us-east-1']),
    skewSeconds: 300,
    now: NOW,
    lookup: async (id) => (id === KEY.id ? admin : undefined),
    ...over,
  };
}

async function rejects(req: SignedRequest, name: string, message?: RegExp, opts?: Partial<VerifyOptions>) {
  await assert.rejects(verifySigV4(req, options(opts)), (e: Error) => {
    assert.equal(e.name, name);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe('verifySigV4', () => {
  test("accepts AWS's published example request (IAM ListUsers, 2015-08-30)", async () => {
    const principal = await verifySigV4(
      {
        method: 'GET',
        rawUrl: '/?Action=ListUsers&Version=2010-05-08',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          host: 'iam.amazonaws.com',
          'x-amz-date': '20150830T123600Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
        },
        body: Buffer.alloc(0),
      },
      options({ service: 'iam', now: Date.UTC(2015, 7, 30, 12, 36, 0) }),
    );
    assert.deepEqual(principal, admin.principal);
  });

  test('accepts a botocore-style signature over four headers, ignoring unsigned ones', async () => {
    const req = botocoreRequest({ extra: { 'x-amz-user-agent': 'changed in transit', 'cache-control': 'no-store' } });
    assert.deepEqual(await verifySigV4(req, options()), admin.principal);
  });

  test('accepts a signature that includes x-amz-content-sha256 when it matches the body', async () => {
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.1',
      host: 'localhost:9229',
      'x-amz-date': amzDate(NOW),
      'x-amz-content-sha256': sha256(BODY),
    };
    headers.authorization = referenceSign({ headers, signed: Object.keys(headers), body: BODY, at: NOW });
    assert.deepEqual(await verifySigV4({ method: 'POST', rawUrl: '/', headers, body: Buffer.from(BODY) }, options()), admin.principal);
  });

  test('accepts encoded path segments as the client sent them (cognito-sync ids with %3A)', async () => {
    const rawPath = '/identitypools/us-east-1%3Aabc/identities/us-east-1%3Adef/datasets';
    const headers: Record<string, string> = { host: 'localhost:9229', 'x-amz-date': amzDate(NOW) };
    headers.authorization = referenceSign({
      method: 'GET',
      path: decodeURIComponent(rawPath),
      headers,
      signed: ['host', 'x-amz-date'],
      body: '',
      at: NOW,
      service: 'cognito-sync',
    });
    // The reference signer encoded the decoded path once; the verifier re-encodes the raw one,
    // which is what SDK clients did: both must agree for the signature to match.
    const pathOnce = rawPath.split('/').map((s) => encodeURIComponent(decodeURIComponent(s))).join('/');
    assert.equal(pathOnce, rawPath);
    const req = { method: 'GET', rawUrl: rawPath, headers, body: Buffer.alloc(0) };
    await assert.rejects(verifySigV4(req, options({ service: 'cognito-sync' })), /signature/i);
    headers.authorization = referenceSign({ method: 'GET', path: rawPath, headers, signed: ['host', 'x-amz-date'], body: '', at: NOW, service: 'cognito-sync' });
    assert.deepEqual(await verifySigV4({ ...req, headers }, options({ service: 'cognito-sync' })), admin.principal);
  });

  test('a wrong secret is InvalidSignatureException', async () => {
    await rejects(botocoreRequest({ sign: { secret: 'not-the-secret' } }), 'InvalidSignatureException', /does not match/);
  });

  test('a body changed after signing is InvalidSignatureException', async () => {
    await rejects(botocoreRequest({ sendBody: '{"UserPoolId":"us-east-1_other1"}' }), 'InvalidSignatureException');
  });

  test('a signed header changed after signing is InvalidSignatureException', async () => {
    await rejects(botocoreRequest({ extra: { 'x-amz-target': 'AWSCognitoIdentityProviderService.DeleteUserPool' } }), 'InvalidSignatureException');
  });

  test('x-amz-content-sha256 must be the hash of the body received (UNSIGNED-PAYLOAD included)', async () => {
    for (const claimed of [sha256('{}'), 'UNSIGNED-PAYLOAD']) {
      const headers: Record<string, string> = { host: 'h', 'x-amz-date': amzDate(NOW), 'x-amz-content-sha256': claimed };
      headers.authorization = referenceSign({ headers, signed: ['host', 'x-amz-date'], body: BODY, at: NOW });
      await rejects({ method: 'POST', rawUrl: '/', headers, body: Buffer.from(BODY) }, 'InvalidSignatureException', /x-amz-content-sha256/);
    }
  });

  test('an unknown access key is UnrecognizedClientException', async () => {
    await rejects(botocoreRequest({ sign: { accessKeyId: 'AKIDUNKNOWN' } }), 'UnrecognizedClientException', /security token included in the request is invalid/);
  });

  test('no Authorization header is MissingAuthenticationTokenException', async () => {
    const req = botocoreRequest();
    delete req.headers.authorization;
    await rejects(req, 'MissingAuthenticationTokenException');
  });

  test('a malformed Authorization header is IncompleteSignatureException', async () => {
    const good = String(botocoreRequest().headers.authorization);
    for (const auth of [
      'Bearer abc',
      'AWS4-HMAC-SHA256',
      good.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'),
      good.replace(/, SignedHeaders=[^,]+/, ''),
      good.replace(/Signature=[0-9a-f]+/, 'Signature=xyz'),
      good.replace(/Credential=[^,]+/, 'Credential=AKIDEXAMPLE/20261127/us-east-1/cognito-idp'),
      good.replace('aws4_request', 'aws5_request'),
    ]) {
      await assert.rejects(verifySigV4(botocoreRequest({ extra: { authorization: auth } }), options()), (e: Error) => {
        assert.equal(e.name, 'IncompleteSignatureException', auth);
        return true;
      });
    }
    const noDate = botocoreRequest();
    delete noDate.headers['x-amz-date'];
    await rejects(noDate, 'IncompleteSignatureException', /X-Amz-Date/);
    await rejects(botocoreRequest({ extra: { 'x-amz-date': '20261327T120000Z' } }), 'IncompleteSignatureException', /ISO-8601/);
  });

  test('an X-Amz-Date 6 minutes old is "Signature expired"; 6 minutes ahead is "not yet current"; 4 minutes is fine', async () => {
    await rejects(botocoreRequest({ at: NOW - 6 * 60_000 }), 'InvalidSignatureException', /^Signature expired: 20261127T115400Z is now earlier than 20261127T115500Z/);
    await rejects(botocoreRequest({ at: NOW + 6 * 60_000 }), 'InvalidSignatureException', /^Signature not yet current/);
    assert.deepEqual(await verifySigV4(botocoreRequest({ at: NOW - 4 * 60_000 }), options()), admin.principal);
    assert.deepEqual(await verifySigV4(botocoreRequest({ at: NOW + 4 * 60_000 }), options()), admin.principal);
  });

  test('a scope date other than the X-Amz-Date is InvalidSignatureException', async () => {
    const req = botocoreRequest();
    req.headers.authorization = String(req.headers.authorization).replace('/20261127/', '/20261126/');
    await rejects(req, 'InvalidSignatureException', /Date in Credential scope does not match/);
  });

  test('a scope naming another service or region is InvalidSignatureException', async () => {
    await rejects(botocoreRequest({ sign: { service: 'cognito-identity' } }), 'InvalidSignatureException', /scoped to correct service: 'cognito-idp'/);
    await rejects(botocoreRequest({ sign: { region: 'eu-west-1' } }), 'InvalidSignatureException', /valid region, not 'eu-west-1'/);
    // ... unless that region is configured as an extra one.
    const ok = await verifySigV4(botocoreRequest({ sign: { region: 'eu-west-1' } }), options({ regions: new Set(['us-east-1', 'eu-west-1']) }));
    assert.deepEqual(ok, admin.principal);
  });

  test('host must be signed, and every signed header must be present', async () => {
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', host: 'h', 'x-amz-date': amzDate(NOW) };
    headers.authorization = referenceSign({ headers, signed: ['content-type', 'x-amz-date'], body: BODY, at: NOW });
    await rejects({ method: 'POST', rawUrl: '/', headers, body: Buffer.from(BODY) }, 'InvalidSignatureException', /'Host' must be a 'SignedHeader'/);
    const req = botocoreRequest();
    delete req.headers['x-amz-target'];
    await rejects(req, 'InvalidSignatureException', /x-amz-target/);
  });

  test('temporary credentials: the session token must match, and expired ones are refused', async () => {
    const temp: Credential = { secretAccessKey: KEY.secret, sessionToken: 'tok-1', expiresAt: NOW + 60_000, principal: { kind: 'identity', accessKeyId: KEY.id, identityId: 'us-east-1:x' } };
    const withToken = (token: string | undefined, cred: Credential) => {
      const headers: Record<string, string> = { host: 'h', 'x-amz-date': amzDate(NOW), ...(token ? { 'x-amz-security-token': token } : {}) };
      headers.authorization = referenceSign({ headers, signed: Object.keys(headers), body: BODY, at: NOW });
      return verifySigV4({ method: 'POST', rawUrl: '/', headers, body: Buffer.from(BODY) }, options({ lookup: async () => cred }));
    };
    assert.equal((await withToken('tok-1', temp)).identityId, 'us-east-1:x');
    await assert.rejects(withToken('tok-2', temp), { name: 'UnrecognizedClientException' });
    await assert.rejects(withToken(undefined, temp), { name: 'UnrecognizedClientException' });
    await assert.rejects(withToken('tok-1', { ...temp, expiresAt: NOW - 1 }), { name: 'ExpiredTokenException' });
    // Admin keys carry no token: a request with one is not theirs.
    await assert.rejects(withToken('tok-1', admin), { name: 'UnrecognizedClientException' });
  });
});
