import assert from 'node:assert/strict';
import { describe, test, before, after } from 'node:test';
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../support/server.js';

for (const engine of engines) {
  describe(`wire basics (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine })));
    after(() => s.close());

    test('an unknown pool is ResourceNotFoundException through the SDK', async () => {
      await assert.rejects(s.idp.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nothere1' })), (e: Error) => {
        assert.equal(e.name, 'ResourceNotFoundException');
        return true;
      });
    });

    test('health answers 200', async () => {
      const r = await fetch(`${s.url}/health`);
      assert.equal(r.status, 200);
    });
  });
}
