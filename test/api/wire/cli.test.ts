// The README's AWS CLI walk-through, run with the real AWS CLI v2 (Debian's awscli, which signs
// with botocore): create a pool and a client, sign up, read the code from the dev outbox,
// confirm, sign in.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ADMIN, engines, startServer, type TestServer } from '../../support/server.js';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

describe('AWS CLI v2 as in the README', { skip: !existsSync(AWS) && 'no /usr/bin/aws (apt-get install awscli)', concurrency: true }, () => {
  for (const engine of engines) {
    test(`create a pool and a client, sign up, confirm with the outbox code, sign in (${engine})`, async () => {
      const s = await startServer({ engine });
      try {
        await walkThrough(s);
      } finally {
        await s.close();
      }
    });
  }
});

async function walkThrough(s: TestServer) {
  const aws = async (...args: string[]) => {
    const { stdout } = await run(AWS, ['--endpoint-url', s.url, '--output', 'json', 'cognito-idp', ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: '/nonexistent',
        AWS_ACCESS_KEY_ID: ADMIN.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  const pool = (await aws('create-user-pool', '--pool-name', 'demo', '--auto-verified-attributes', 'email')).UserPool;
  assert.match(pool.Id, /^us-east-1_[0-9A-Za-z]+$/);
  const client = (
    await aws('create-user-pool-client', '--user-pool-id', pool.Id, '--client-name', 'web', '--explicit-auth-flows', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH')
  ).UserPoolClient;
  const signUp = await aws(
    'sign-up', '--client-id', client.ClientId, '--username', 'alice@example.com', '--password', 'Correct-horse-1',
    '--user-attributes', 'Name=email,Value=alice@example.com',
  );
  assert.equal(signUp.UserConfirmed, false);

  const outbox = await fetch(`${s.url}/_tessera/outbox?to=alice@example.com`, {
    headers: { authorization: `Basic ${Buffer.from(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`).toString('base64')}` },
  });
  assert.equal(outbox.status, 200);
  const [message] = (await outbox.json()) as { body: string }[];
  const code = /\b(\d{6})\b/.exec(message.body)?.[1];
  assert.ok(code, message.body);

  await aws('confirm-sign-up', '--client-id', client.ClientId, '--username', 'alice@example.com', '--confirmation-code', code);
  const auth = await aws(
    'initiate-auth', '--client-id', client.ClientId, '--auth-flow', 'USER_PASSWORD_AUTH',
    '--auth-parameters', 'USERNAME=alice@example.com,PASSWORD=Correct-horse-1',
  );
  assert.equal(auth.AuthenticationResult.TokenType, 'Bearer');
  assert.ok(auth.AuthenticationResult.AccessToken);
  const listed = await aws('list-user-pools', '--max-results', '10');
  assert.deepEqual(listed.UserPools.map((p: { Id: string }) => p.Id), [pool.Id]);
}
