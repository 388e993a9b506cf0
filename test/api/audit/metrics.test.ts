// GET /metrics: admin HTTP Basic only; after real SDK traffic the Prometheus text counts requests
// by operation and outcome, their latency, sign-ins by flow and result, lockouts and store queries.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser } from '../auth/support.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(name + '{') && want.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

for (const engine of engines) {
  describe(`metrics (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    const scrape = async () => {
      const r = await fetch(`${s.url}/metrics`, { headers: { authorization: basic(ADMIN.accessKeyId, ADMIN.secretAccessKey) } });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
      return r.text();
    };

    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('refused without the admin credentials', async () => {
      assert.equal((await fetch(`${s.url}/metrics`)).status, 401);
      const wrong = await fetch(`${s.url}/metrics`, { headers: { authorization: basic(ADMIN.accessKeyId, 'nope') } });
      assert.equal(wrong.status, 401);
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic/);
    });

    test('requests, latency, sign-ins, lockouts and store queries are counted', async () => {
      const poolId = await makePool(s);
      const clientId = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'metered');
      s.app.auth.limits.failuresBeforeLock = 1;
      const signIn = (pw: string) =>
        pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'metered', PASSWORD: pw } }));
      const before = await scrape();
      await signIn(PASSWORD);
      await errorOf(signIn(WRONG));
      await errorOf(signIn(WRONG));
      assert.equal((await errorOf(signIn(PASSWORD))).message, 'Password attempts exceeded');
      s.app.auth.limits.failuresBeforeLock = 5;
      await new Promise((r) => setTimeout(r, 50));
      const text = await scrape();
      const delta = (name: string, labels: Record<string, string>) => sample(text, name, labels) - sample(before, name, labels);
      assert.equal(delta('tessera_requests_total', { operation: 'InitiateAuth', outcome: 'OK' }), 1);
      assert.equal(delta('tessera_requests_total', { operation: 'InitiateAuth', outcome: 'NotAuthorizedException' }), 3);
      assert.equal(delta('tessera_request_duration_seconds_count', { operation: 'InitiateAuth' }), 4);
      assert.equal(delta('tessera_sign_ins_total', { flow: 'USER_PASSWORD_AUTH', result: 'Pass' }), 1);
      assert.equal(delta('tessera_sign_ins_total', { flow: 'USER_PASSWORD_AUTH', result: 'Fail' }), 3);
      assert.ok(delta('tessera_lockouts_total', { kind: 'user' }) >= 1);
      assert.ok(delta('tessera_store_query_duration_seconds_count', { kind: 'select' }) > 0);
      assert.ok(sample(text, 'tessera_requests_total', { operation: 'CreateUserPool', outcome: 'OK' }) >= 1);
      assert.match(text, /tessera_process_cpu_user_seconds_total/);
    });
  });
}
