// CORS for browser clients (amazon-cognito-identity-js, Amplify): pre-flights answer 204 with the
// headers of api-surface.md §1.1 rule 5, and every response lets scripts read the AWS headers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { IDP, call } from './raw.js';

const MUST_ALLOW = [
  'content-type',
  'x-amz-target',
  'x-amz-user-agent',
  'cache-control',
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
];
const MUST_EXPOSE = ['x-amzn-requestid', 'x-amzn-errortype', 'x-amzn-errormessage', 'date'];
const list = (v: string | null) => (v ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);

for (const engine of engines) {
  describe(`CORS (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine })));
    after(() => s.close());

    test('a pre-flight answers 204 allowing POST and the AWS request headers', async () => {
      for (const path of ['/', '/some/prefix/']) {
        const r = await fetch(`${s.url}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://app.example.com',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent,cache-control',
          },
        });
        assert.equal(r.status, 204, path);
        assert.equal(await r.text(), '');
        assert.equal(r.headers.get('access-control-allow-origin'), '*');
        assert.ok(list(r.headers.get('access-control-allow-methods')).includes('post'));
        const allowed = list(r.headers.get('access-control-allow-headers'));
        for (const h of MUST_ALLOW) assert.ok(allowed.includes(h), `allows ${h}`);
        const exposed = list(r.headers.get('access-control-expose-headers'));
        for (const h of MUST_EXPOSE) assert.ok(exposed.includes(h), `exposes ${h}`);
        assert.ok(Number(r.headers.get('access-control-max-age')) > 0);
      }
    });

    test('a pre-flight also allows other well-formed headers the browser asks for, and nothing malformed', async () => {
      const r = await fetch(`${s.url}/`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-custom-trace, bad header, x-amz-target' },
      });
      const allowed = list(r.headers.get('access-control-allow-headers'));
      assert.ok(allowed.includes('x-custom-trace'));
      assert.ok(!allowed.includes('bad header'));
    });

    test('success and error responses let scripts read the request id and error type', async () => {
      const ok = await fetch(`${s.url}/health`, { headers: { origin: 'https://app.example.com' } });
      assert.equal(ok.headers.get('access-control-allow-origin'), '*');
      assert.match(ok.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
      const err = await call(s.url, `${IDP}.SignUp`, { body: '{', headers: { origin: 'https://app.example.com' } });
      assert.equal(err.status, 400);
      assert.equal(err.headers.get('access-control-allow-origin'), '*');
      const exposed = list(err.headers.get('access-control-expose-headers'));
      for (const h of MUST_EXPOSE) assert.ok(exposed.includes(h), `exposes ${h}`);
    });
  });
}
