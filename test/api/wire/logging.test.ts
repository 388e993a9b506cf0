// The request log: one JSON line per request with requestId (the x-amzn-RequestId the client
// got), op, status, error name and duration; never a body, password, token, code or signature.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createLogger } from '../../../src/logger.js';
import { ADMIN, engines, startServer, type TestServer } from '../../support/server.js';
import { IDP, call } from './raw.js';

const PASSWORD = 'Pa55word-never-logged!';
const CODE = '938271';
const TOKEN = 'eyJraWQiOiJub3QtYS1yZWFsLXRva2VuIn0.never-logged.sig';

for (const engine of engines) {
  describe(`request log (${engine})`, () => {
    let s: TestServer;
    const lines: string[] = [];
    before(async () => {
      const log = createLogger({ logLevel: 'info' }, { write: (l: string) => void lines.push(l) });
      s = await startServer({ engine, log });
    });
    after(() => s.close());

    test('one line per request, carrying the id the client saw, with no secrets', async () => {
      lines.length = 0;
      const replies = [
        await call(s.url, `${IDP}.SignUp`, { body: { ClientId: 'nosuchclient', Username: 'alice', Password: PASSWORD } }),
        await call(s.url, `${IDP}.ConfirmSignUp`, { body: { ClientId: 'nosuchclient', Username: 'alice', ConfirmationCode: CODE } }),
        await call(s.url, `${IDP}.GetUser`, { body: { AccessToken: TOKEN } }),
        await call(s.url, `${IDP}.DescribeUserPool`, { sign: 'admin', body: { UserPoolId: 'us-east-1_nothere1' } }),
        await call(s.url, `${IDP}.InitiateAuth`, {
          body: { ClientId: 'nosuchclient', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } },
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
        await call(s.url, `${IDP}.SignUp`, { body: '{"Password": "' + PASSWORD }),
      ];
      const health = await fetch(`${s.url}/health?code=${CODE}&token=${TOKEN}`);
      await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nothere2' })).catch(() => undefined);
      // A log line is written once its response has been sent: wait for the last ones.
      const requestLines = () => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      for (let i = 0; i < 100 && requestLines().length < replies.length + 2; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 50));
      const requests = requestLines();
      assert.equal(requests.length, replies.length + 2);
      for (const r of replies) {
        const id = r.headers.get('x-amzn-requestid');
        const mine = requests.filter((l) => l.requestId === id);
        assert.equal(mine.length, 1, `exactly one line for ${id}`);
        const [line] = mine;
        assert.equal(line.status, r.status);
        assert.equal(line.error, (r.json as { __type?: string })?.__type);
        assert.equal(typeof line.ms, 'number');
        assert.equal(line.method, 'POST');
      }
      const byOp = (op: string) => requests.filter((l) => l.op === op);
      assert.equal(byOp('SignUp').length, 2);
      assert.equal(byOp('DescribeUserPool').length, 2);
      assert.equal(byOp('DescribeUserPool')[0].error, 'ResourceNotFoundException');
      const healthLine = requests.find((l) => l.requestId === health.headers.get('x-amzn-requestid'));
      assert.equal(healthLine?.path, '/health');
      assert.equal(healthLine?.status, 200);

      const all = lines.join('\n');
      for (const secret of [PASSWORD, CODE, TOKEN, ADMIN.secretAccessKey, 'Signature=']) {
        assert.ok(!all.includes(secret), `the log must not contain ${secret}`);
      }
    });
  });
}
