// The crypto worker threads sign exactly as node:crypto does in-thread (RS256 is deterministic),
// with each key sent to each worker once, and run below the event loop's scheduling priority.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { after, test } from 'node:test';
import { N, fromHex, modPowN } from '../../src/crypto/srp.js';
import { CryptoWorkers } from '../../src/crypto/workers.js';

const workers = new CryptoWorkers(2);
after(() => workers.close());

const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');
const keyA = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const keyB = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

test('RS256 signatures on the workers equal in-thread ones, for several keys on every worker', async () => {
  const inputs = Array.from({ length: 40 }, (_, i) => `eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.${Buffer.from(JSON.stringify({ sub: `user-${i}`, n: i })).toString('base64url')}`);
  // All at once: both workers get jobs for both keys, the first of each carrying the key.
  const got = (
    await Promise.all(
      inputs.map((data) =>
        workers.signRs256([
          { keyId: 'pool/a', key: keyA, data },
          { keyId: 'pool/b', key: keyB, data },
        ]),
      ),
    )
  ).flat();
  const want = inputs.flatMap((data) => [sign('sha256', Buffer.from(data), keyA), sign('sha256', Buffer.from(data), keyB)].map((b) => b.toString('base64url')));
  assert.deepEqual(got, want);
});

test('the SRP secret in one job equals its two exponentiations in-thread', async () => {
  for (let i = 0; i < 4; i++) {
    const A = fromHex(randomHex(384)) + (i === 3 ? N : 0n); // the last A is above N
    const v = fromHex(randomHex(384)) % N;
    const u = fromHex(randomHex(32));
    const b = fromHex(randomHex(32));
    assert.equal(await workers.srpSecret(A, v, u, b), modPowN((A * modPowN(v, u)) % N, b));
  }
});

test('the worker threads run at a lower priority than the event loop (Linux)', { skip: process.platform !== 'linux' && 'Linux only' }, async () => {
  await Promise.all([workers.signRs256([{ keyId: 'pool/a', key: keyA, data: 'x.y' }]), workers.signRs256([{ keyId: 'pool/a', key: keyA, data: 'x.z' }])]);
  const niceOf = (tid: string) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis; nice is the 19th field of the line.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  };
  const tids = readdirSync('/proc/self/task');
  assert.equal(niceOf(String(process.pid)), 0, 'the event loop keeps its priority');
  assert.ok(tids.filter((t) => niceOf(t) === 10).length >= 2, 'both workers lowered their priority');
});

test('a job after close is refused', async () => {
  const closed = new CryptoWorkers(1);
  await closed.close();
  await assert.rejects(closed.signRs256([{ keyId: 'pool/a', key: keyA, data: 'x.y' }]), /closed/);
});
