// How a trigger's failures reach the caller, the same for Lambda and webhook targets
// (triggers.md §4): function errors, timeouts (retried, 3 attempts), service errors, unreachable
// targets, output that is not JSON or not an event, nested too deep or too large, over-long error
// messages. PreSignUp through SignUp is the vehicle; after
// every failure the pool has no user.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CreateUserPoolCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, ADMIN } from '../../support/server.js';
import { raw, refuse, sleep } from './lambda-server.js';
import { PASSWORD, attrs, email, errorOf, lambdaConfig, makeClient, makePool, startTriggerWorld, usernames, type TriggerWorld } from './support.js';

for (const engine of engines) {
  describe(`trigger invocation and its errors (${engine})`, () => {
    let w: TriggerWorld;
    before(async () => {
      w = await startTriggerWorld(engine, { timeoutMs: 300 });
    });
    after(() => w.close());

    /** A pool whose PreSignUp is `target`, a client, and a sign-up attempt. */
    async function signUpWith(target: string) {
      const poolId = await makePool(w.s, { LambdaConfig: lambdaConfig({ PreSignUp: target }) });
      const client = await makeClient(w.s, poolId);
      const pub = publicClient(w.s.url);
      const attempt = pub.send(new SignUpCommand({ ClientId: client.id, Username: 'alice', Password: PASSWORD, UserAttributes: attrs({ email: email() }) }));
      const result = await attempt.then(
        (r) => ({ ok: r, error: undefined }),
        (e: Error) => ({ ok: undefined, error: { name: e.name, message: e.message } }),
      );
      pub.destroy();
      return { poolId, ...result };
    }

    test('a function that throws: UserLambdaValidationException "<Trigger> failed with error <message>.", no user, no retry', async () => {
      w.lambda.handlers.throws = () => {
        throw new Error('Email domain not allowed.');
      };
      const r = await signUpWith('throws');
      assert.deepEqual(r.error, { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Email domain not allowed..' });
      assert.deepEqual(await usernames(w.s, r.poolId), []);
      assert.equal(w.lambda.events('throws').length, 1);
    });

    test('a function that never answers in time: three attempts, then UnexpectedLambdaException', async () => {
      w.lambda.handlers.slow = async (e) => {
        await sleep(1000);
        return e;
      };
      const r = await signUpWith('slow');
      assert.deepEqual(r.error, {
        name: 'UnexpectedLambdaException',
        message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
      });
      assert.equal(w.lambda.events('slow').length, 3);
      assert.deepEqual(await usernames(w.s, r.poolId), []);
    });

    test('a function the Lambda service does not know: UnexpectedLambdaException naming the error, not retried', async () => {
      const r = await signUpWith('missing');
      assert.deepEqual(r.error, { name: 'UnexpectedLambdaException', message: 'PreSignUp invocation failed due to error ResourceNotFoundException.' });
      assert.deepEqual(await usernames(w.s, r.poolId), []);
    });

    test('throttling is retried: a function throttled twice then answering succeeds', async () => {
      let calls = 0;
      w.lambda.handlers.throttled = (e) => (++calls < 3 ? refuse(429, 'TooManyRequestsException') : e);
      const r = await signUpWith('throttled');
      assert.equal(r.error, undefined);
      assert.equal(calls, 3);
      assert.deepEqual(await usernames(w.s, r.poolId), ['alice']);
    });

    test('output that is not JSON: InvalidLambdaResponseException "Invalid lambda function output : Invalid JSON"', async () => {
      w.lambda.handlers.garbage = () => raw('this is not json');
      const r = await signUpWith('garbage');
      assert.deepEqual(r.error, { name: 'InvalidLambdaResponseException', message: 'Invalid lambda function output : Invalid JSON' });
      assert.deepEqual(await usernames(w.s, r.poolId), []);
    });

    test('output that is not an event, or a response of the wrong shape: "Unrecognizable lambda output"', async () => {
      w.lambda.handlers.list = () => [1, 2];
      w.lambda.handlers.shape = (e) => ({ ...e, response: { autoConfirmUser: 'yes' } });
      for (const name of ['list', 'shape']) {
        const r = await signUpWith(name);
        assert.deepEqual(r.error, { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
        assert.deepEqual(await usernames(w.s, r.poolId), []);
      }
    });

    test('output nested thousands of levels deep: InvalidLambdaResponseException, not a crash', async () => {
      w.lambda.handlers.deep = (e) => raw(JSON.stringify({ ...e, response: {} }).replace(/}$/, `,"x":${'['.repeat(5000)}${']'.repeat(5000)}}`));
      const r = await signUpWith('deep');
      assert.equal(r.error?.name, 'InvalidLambdaResponseException');
      assert.match(r.error!.message, /nested deeper than 64 levels/);
      assert.deepEqual(await usernames(w.s, r.poolId), []);
    });

    test("a function's error message is passed on up to 1,000 characters", async () => {
      w.lambda.handlers.chatty = () => {
        throw new Error(`no: ${'x'.repeat(100_000)}`);
      };
      const r = await signUpWith('chatty');
      assert.equal(r.error?.name, 'UserLambdaValidationException');
      assert.equal(r.error!.message, `PreSignUp failed with error no: ${'x'.repeat(996)}.`);
    });

    test('an unreachable Lambda endpoint: UnexpectedLambdaException after three attempts', async () => {
      const dead = await startTriggerWorld(engine, { timeoutMs: 300 });
      await dead.lambda.close();
      try {
        const poolId = await makePool(dead.s, { LambdaConfig: lambdaConfig({ PreSignUp: 'anything' }) });
        const client = await makeClient(dead.s, poolId);
        const pub = publicClient(dead.s.url);
        const e = await errorOf(pub.send(new SignUpCommand({ ClientId: client.id, Username: 'bob', Password: PASSWORD })));
        pub.destroy();
        assert.equal(e.name, 'UnexpectedLambdaException');
        assert.match(e.message, /^PreSignUp invocation failed due to error \w+\.$/);
        assert.deepEqual(await usernames(dead.s, poolId), []);
      } finally {
        await dead.s.close();
      }
    });

    describe('webhook targets', () => {
      test('receive the same event, signed with the pool secret that the admin route shows', async () => {
        w.lambda.handlers.hook = (e) => ({ ...e, response: { ...e.response, autoConfirmUser: true } });
        const r = await signUpWith(`${w.lambda.url}/hooks/hook`);
        assert.equal(r.ok?.UserConfirmed, true);
        const [got] = w.lambda.received.hook.slice(-1);
        assert.equal(got.via, 'webhook');
        assert.equal(got.event.triggerSource, 'PreSignUp_SignUp');
        assert.equal(got.headers['x-tessera-trigger'], 'PreSignUp_SignUp');
        const basic = 'Basic ' + Buffer.from(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`).toString('base64');
        const res = await fetch(`${w.s.url}/_tessera/userpools/${r.poolId}/webhook-secret`, { headers: { authorization: basic } });
        const { secret } = (await res.json()) as { secret: string };
        assert.match(secret, /^whsec_/);
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(got.headers['x-tessera-signature']));
        assert.ok(m, 'signature header');
        assert.ok(Math.abs(Number(m[1]) - Date.now() / 1000) < 60);
        assert.equal(m[2], createHmac('sha256', secret).update(`${m[1]}.${got.body}`).digest('hex'));
        // Without admin credentials the route refuses; rotating gives another secret.
        assert.equal((await fetch(`${w.s.url}/_tessera/userpools/${r.poolId}/webhook-secret`)).status, 401);
        const rotated = await fetch(`${w.s.url}/_tessera/userpools/${r.poolId}/webhook-secret/rotate`, { method: 'POST', headers: { authorization: basic } });
        assert.notEqual(((await rotated.json()) as { secret: string }).secret, secret);
      });

      test('a non-2xx answer or an {errorMessage} body is a function error', async () => {
        w.lambda.handlers.hookThrows = () => {
          throw new Error('Not on the guest list');
        };
        w.lambda.handlers.hookSays = () => ({ errorMessage: 'Closed for sign-up' });
        const a = await signUpWith(`${w.lambda.url}/hooks/hookThrows`);
        assert.deepEqual(a.error, { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Not on the guest list.' });
        const b = await signUpWith(`${w.lambda.url}/hooks/hookSays`);
        assert.deepEqual(b.error, { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Closed for sign-up.' });
        assert.deepEqual(await usernames(w.s, a.poolId), []);
        assert.deepEqual(await usernames(w.s, b.poolId), []);
      });

      test('a webhook answer over 6 MB is a function error, as Lambda gives one', async () => {
        w.lambda.handlers.hookHuge = (e) => raw(JSON.stringify({ ...e, padding: 'p'.repeat(7 * 1024 * 1024) }));
        const r = await signUpWith(`${w.lambda.url}/hooks/hookHuge`);
        assert.deepEqual(r.error, {
          name: 'UserLambdaValidationException',
          message: 'PreSignUp failed with error Response payload size exceeded maximum allowed payload size (6291456 bytes).',
        });
        assert.deepEqual(await usernames(w.s, r.poolId), []);
      });

      test('a webhook URL must be https, or http to this machine; KMSKeyID stays an ARN', async () => {
        const create = (LambdaConfig: Record<string, unknown>) => errorOf(w.s.idp.send(new CreateUserPoolCommand({ PoolName: 'p', LambdaConfig })));
        const plain = await create({ PreSignUp: 'http://hooks.example.com/presignup' });
        assert.equal(plain.name, 'InvalidParameterException');
        assert.match(plain.message, /https/);
        const kms = await create({ KMSKeyID: 'https://kms.example.com/key' });
        assert.equal(kms.name, 'InvalidParameterException');
        const ok = await w.s.idp.send(new CreateUserPoolCommand({ PoolName: 'p', LambdaConfig: { PreSignUp: 'https://hooks.example.com/presignup?x=1' } }));
        assert.equal(ok.UserPool?.LambdaConfig?.PreSignUp, 'https://hooks.example.com/presignup?x=1');
      });
    });
  });
}
