// SigV4 on the real server: signed operations take only requests signed with the admin
// credentials (by SDK v3, or botocore-style over four headers); unsigned ones (SignUp,
// InitiateAuth) never look at an Authorization header.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { ADMIN, engines, startServer, type TestServer } from '../../support/server.js';
import { IDP, call, errorOf } from './raw.js';

const MISSING_POOL = { UserPoolId: 'us-east-1_nothere1' };

for (const engine of engines) {
  describe(`SigV4 (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine, env: { TESSERA_EXTRA_REGIONS: 'eu-west-1, ap-south-2' } })));
    after(() => s.close());

    const sdk = (credentials: { accessKeyId: string; secretAccessKey: string }, region = 'us-east-1') =>
      new CognitoIdentityProviderClient({ region, endpoint: s.url, credentials, maxAttempts: 1 });
    const nameOf = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'ok';
      } catch (e) {
        return { name: (e as Error).name, message: (e as Error).message };
      }
    };

    test('signed by SDK v3 with the admin credentials: the operation runs', async () => {
      // The pool does not exist: that answer proves the request got past the signature check.
      const r = await nameOf(s.idp.send(new DescribeUserPoolCommand(MISSING_POOL)));
      assert.equal((r as { name: string }).name, 'ResourceNotFoundException');
    });

    test('a wrong secret is InvalidSignatureException', async () => {
      const r = await nameOf(sdk({ accessKeyId: ADMIN.accessKeyId, secretAccessKey: 'wrong' }).send(new DescribeUserPoolCommand(MISSING_POOL)));
      assert.equal((r as { name: string }).name, 'InvalidSignatureException');
    });

    test('an unknown access key is UnrecognizedClientException', async () => {
      const r = await nameOf(sdk({ accessKeyId: 'AKIDNOBODY', secretAccessKey: ADMIN.secretAccessKey }).send(new DescribeUserPoolCommand(MISSING_POOL)));
      assert.equal((r as { name: string }).name, 'UnrecognizedClientException');
    });

    test('no Authorization on a signed operation is MissingAuthenticationTokenException', async () => {
      const r = await call(s.url, `${IDP}.DescribeUserPool`, { body: MISSING_POOL });
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).__type, 'MissingAuthenticationTokenException');
    });

    test('a malformed Authorization is IncompleteSignatureException', async () => {
      for (const authorization of ['AWS4-HMAC-SHA256 Credential=x', 'Basic dXNlcjpwYXNz', 'AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00']) {
        const r = await call(s.url, `${IDP}.DescribeUserPool`, { body: MISSING_POOL, headers: { authorization, 'x-amz-date': '20260101T000000Z' } });
        assert.equal(errorOf(r).__type, 'IncompleteSignatureException', authorization);
      }
    });

    test("an X-Amz-Date 6 minutes off is InvalidSignatureException 'Signature expired'", async () => {
      const date = new Date(Date.now() - 6 * 60_000);
      const r = await call(s.url, `${IDP}.DescribeUserPool`, { body: MISSING_POOL, sign: { ...ADMIN, date } });
      const e = errorOf(r);
      assert.equal(e.__type, 'InvalidSignatureException');
      assert.match(e.message, /^Signature expired: /);
      // SDK v3 reads the server's Date header to correct its clock offset after such an error.
      assert.ok(r.headers.get('date'));
    });

    test('a scope naming another service, or a region not served, is InvalidSignatureException', async () => {
      const wrongService = errorOf(await call(s.url, `${IDP}.DescribeUserPool`, { body: MISSING_POOL, sign: { ...ADMIN, service: 'cognito-identity' } }));
      assert.equal(wrongService.__type, 'InvalidSignatureException');
      assert.match(wrongService.message, /service/);
      const wrongRegion = await nameOf(sdk(ADMIN, 'us-west-2').send(new DescribeUserPoolCommand(MISSING_POOL)));
      assert.equal((wrongRegion as { name: string }).name, 'InvalidSignatureException');
      assert.match((wrongRegion as { message: string }).message, /region/);
      // TESSERA_EXTRA_REGIONS adds regions.
      const extra = await nameOf(sdk(ADMIN, 'eu-west-1').send(new DescribeUserPoolCommand(MISSING_POOL)));
      assert.equal((extra as { name: string }).name, 'ResourceNotFoundException');
    });

    test('a body altered after signing is refused', async () => {
      const body = JSON.stringify(MISSING_POOL);
      const { signHeaders } = await import('./raw.js');
      const u = new URL(s.url);
      const headers = await signHeaders(
        s.url,
        { host: u.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${IDP}.DescribeUserPool` },
        body,
        ADMIN,
      );
      const { host: _h, ...sent } = headers;
      assert.ok(sent['x-amz-content-sha256'], 'the SDK signer sends the payload hash');
      // The same signed headers with another body: x-amz-content-sha256 no longer matches.
      const r = await fetch(`${s.url}/`, { method: 'POST', headers: sent, body: JSON.stringify({ UserPoolId: 'us-east-1_other99' }) });
      const e = await r.json();
      assert.equal(r.status, 400);
      assert.equal(e.__type, 'InvalidSignatureException');
      // And with the hash header dropped, the signature itself no longer matches.
      const { 'x-amz-content-sha256': _c, ...noHash } = sent;
      const r2 = await fetch(`${s.url}/`, { method: 'POST', headers: noHash, body: JSON.stringify({ UserPoolId: 'us-east-1_other99' }) });
      assert.equal((await r2.json()).__type, 'InvalidSignatureException');
      // The untouched request passes.
      const r3 = await fetch(`${s.url}/`, { method: 'POST', headers: sent, body });
      assert.equal((await r3.json()).__type, 'ResourceNotFoundException');
    });

    test('a botocore-style signature over content-type;host;x-amz-date;x-amz-target is accepted', async () => {
      const r = await call(s.url, `${IDP}.DescribeUserPool`, {
        body: MISSING_POOL,
        sign: 'admin',
        signableHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target'],
        headers: { 'user-agent': 'Boto3/1.40.0 md/Botocore#1.43.11', 'x-amz-user-agent': 'unsigned' },
      });
      assert.match(r.sent.authorization, /SignedHeaders=content-type;host;x-amz-date;x-amz-target,/);
      assert.equal(r.sent['x-amz-content-sha256'], undefined);
      assert.equal(errorOf(r).__type, 'ResourceNotFoundException');
    });

    test('unsigned operations (SignUp, InitiateAuth) accept requests with or without Authorization', async () => {
      const input = { ClientId: 'nosuchclient0000000000000', Username: 'someone', Password: 'Passw0rd!' };
      for (const [op, body] of [
        ['SignUp', input],
        ['InitiateAuth', { ClientId: input.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'someone', PASSWORD: 'Passw0rd!' } }],
      ] as const) {
        const plain = await call(s.url, `${IDP}.${op}`, { body });
        const signedWrong = await call(s.url, `${IDP}.${op}`, { body, sign: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } });
        const garbage = await call(s.url, `${IDP}.${op}`, { body, headers: { authorization: 'garbage' } });
        for (const r of [plain, signedWrong, garbage]) {
          const type = r.status === 200 ? 'ok' : errorOf(r).__type;
          assert.doesNotMatch(type, /Signature|Authentication|UnrecognizedClient/, `${op}: ${type}`);
        }
        // The same answer whatever the Authorization header said.
        assert.equal(errorOf(signedWrong).__type, errorOf(plain).__type);
        assert.equal(errorOf(garbage).__type, errorOf(plain).__type);
      }
      // Through the SDK, which sends these unsigned.
      const viaSdk = await nameOf(sdk(ADMIN).send(new SignUpCommand(input)));
      const viaSdk2 = await nameOf(sdk(ADMIN).send(new InitiateAuthCommand({ ClientId: input.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a', PASSWORD: 'b' } })));
      for (const r of [viaSdk, viaSdk2]) assert.doesNotMatch(typeof r === 'string' ? r : r.name, /Signature|Authentication|UnrecognizedClient/);
    });
  });
}

describe('SigV4 clock skew', () => {
  test("an SDK client whose clock is 10 minutes behind the server's recovers from the Date header", async () => {
    const clock = new ManualClock(Date.now() + 10 * 60_000);
    const s = await startServer({ engine: 'sqlite', clock });
    try {
      // Two attempts: the first is refused as expired, the SDK corrects its offset and signs again.
      const client = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: s.url, credentials: ADMIN, maxAttempts: 2 });
      await assert.rejects(client.send(new DescribeUserPoolCommand(MISSING_POOL)), { name: 'ResourceNotFoundException' });
      const offset = await client.config.systemClockOffset;
      assert.ok(Math.abs(offset - 10 * 60_000) < 30_000, `offset ${offset}`);
      // Without the header's time the retry would be refused again.
      const once = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: s.url, credentials: ADMIN, maxAttempts: 1 });
      await assert.rejects(once.send(new DescribeUserPoolCommand(MISSING_POOL)), { name: 'InvalidSignatureException' });
    } finally {
      await s.close();
    }
  });
});
