// The logger's redaction: whoever logs an object holding a secret under a known name, at the top
// level or nested, the line carries '[secret]' instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  return { log: createLogger({ logLevel: 'info' }, { write: (l: string) => void lines.push(l) }), lines };
}

test('secrets are redacted at the top level and nested, headers included', () => {
  const { log, lines } = capture();
  log.info(
    {
      Password: 'pw-1',
      input: { AccessToken: 'tok-2', ClientSecret: 'cs-3', AuthParameters: { PASSWORD: 'pw-4' } },
      req: { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=sig-5', cookie: 'c=6', 'x-amz-security-token': 'st-7', 'user-agent': 'kept' } },
      headers: { authorization: 'Basic b64-8' },
      ConfirmationCode: '123409',
      user: { Session: 'sess-10', username: 'kept-too' },
    },
    'something happened',
  );
  const out = lines.join('');
  for (const secret of ['pw-1', 'tok-2', 'cs-3', 'pw-4', 'sig-5', 'c=6', 'st-7', 'b64-8', '123409', 'sess-10']) {
    assert.ok(!out.includes(secret), `${secret} is redacted`);
  }
  const line = JSON.parse(out);
  assert.equal(line.Password, '[secret]');
  assert.equal(line.req.headers['user-agent'], 'kept');
  assert.equal(line.user.username, 'kept-too');
  assert.equal(line.msg, 'something happened');
});

test('error codes stay readable (only capitalised Code fields are secrets)', () => {
  const { log, lines } = capture();
  const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  log.error({ err }, 'database down');
  assert.equal(JSON.parse(lines[0]).err.code, 'ECONNREFUSED');
});
