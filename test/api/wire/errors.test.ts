// Bad input of every kind gets the error Cognito would give, in the AWS JSON error format, and the
// server stays up: malformed and mistyped bodies, broken constraints, unknown targets, oversized
// bodies, unimplemented and failing operations.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  CognitoIdentityProviderServiceException,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { model as idpModel } from '../../../src/models/idp.js';
import { defineOperation } from '../../../src/operations/operation.js';
import { loadRegistry } from '../../../src/operations/registry.js';
import { unsupported } from '../../../src/operations/unsupported.js';
import { ADMIN, engines, startServer, type TestServer } from '../../support/server.js';
import { IDENTITY, IDP, call, errorOf } from './raw.js';

/** A model operation with no handler, signed or not (null when every one is implemented). */
async function unimplemented(auth: 'sigv4' | 'none'): Promise<string | null> {
  const registry = await loadRegistry();
  const op = Object.keys(unsupported)
    .filter((k) => k.startsWith('idp/'))
    .map((k) => k.slice(4))
    .find((name) => !registry.idp.has(name) && idpModel.operations[name]?.auth === auth && !idpModel.operations[name].newer);
  return op ?? null;
}

for (const engine of engines) {
  describe(`AWS JSON errors (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine, env: { TESSERA_BODY_LIMIT_BYTES: '4096' } })));
    after(() => s.close());

    const describePool = (body: string | object) => call(s.url, `${IDP}.DescribeUserPool`, { body, sign: 'admin' });

    test('malformed JSON is SerializationException 400', async () => {
      for (const body of ['{', '{"UserPoolId": "us-east-1_abc",}', 'UserPoolId=us-east-1_abc', '\u00ef\u00bb\u00bf{}x', '{"a":1}{"b":2}']) {
        const r = await describePool(body);
        assert.equal(r.status, 400, body);
        assert.equal(errorOf(r).__type, 'SerializationException', body);
      }
    });

    test('a body that is JSON but not an object is SerializationException', async () => {
      for (const body of ['[]', '[{"UserPoolId":"us-east-1_abc"}]', '"us-east-1_abc"', '42', 'null', 'true']) {
        const r = await describePool(body);
        assert.equal(r.status, 400, body);
        const e = errorOf(r);
        assert.equal(e.__type, 'SerializationException', body);
        assert.match(e.message, /JSON object/);
      }
    });

    test('a member of the wrong JSON type is SerializationException naming the member', async () => {
      const cases: [object, RegExp][] = [
        [{ UserPoolId: 12 }, /userPoolId/],
        [{ UserPoolId: { nested: 'x' } }, /userPoolId/],
        [{ UserPoolId: ['us-east-1_abc'] }, /userPoolId/],
        [{ UserPoolId: true }, /userPoolId/],
      ];
      for (const [body, member] of cases) {
        const r = await describePool(body);
        assert.equal(r.status, 400, JSON.stringify(body));
        const e = errorOf(r);
        assert.equal(e.__type, 'SerializationException', JSON.stringify(body));
        assert.match(e.message, member);
      }
      // An integer member given a string, a fraction or an object; a list given an object.
      const list = await call(s.url, `${IDP}.ListUserPools`, { sign: 'admin', body: { MaxResults: '10' } });
      assert.equal(errorOf(list).__type, 'SerializationException');
      assert.match(errorOf(list).message, /maxResults/);
    });

    test('a broken constraint is InvalidParameterException worded like AWS, naming the member', async () => {
      const r = await describePool({ UserPoolId: 'not a pool id' });
      assert.equal(r.status, 400);
      const e = errorOf(r);
      assert.equal(e.__type, 'InvalidParameterException');
      assert.equal(
        e.message,
        "1 validation error detected: Value 'not a pool id' at 'userPoolId' failed to satisfy constraint: " +
          'Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+',
      );

      const missing = errorOf(await describePool({}));
      assert.equal(missing.__type, 'InvalidParameterException');
      assert.equal(missing.message, "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null");

      const long = errorOf(await describePool({ UserPoolId: `us-east-1_${'a'.repeat(60)}` }));
      assert.equal(long.__type, 'InvalidParameterException');
      assert.match(long.message, /at 'userPoolId' failed to satisfy constraint: Member must have length less than or equal to 55/);
    });

    test('a null list member or map value is InvalidParameterException naming it, and nothing is written; in a sign-in map it is an absent entry', async () => {
      const idp = (op: string, body: object) => call(s.url, `${IDP}.${op}`, { body, sign: 'admin' });
      const created = await idp('CreateUserPool', { PoolName: 'nulls' });
      const { Id: pool, Arn: arn } = (created.json as { UserPool: { Id: string; Arn: string } }).UserPool;
      const cases: [string, string, object, string][] = [
        [IDP, 'AddCustomAttributes', { UserPoolId: pool, CustomAttributes: [{ Name: 'ok', AttributeDataType: 'String' }, null] }, 'customAttributes.2.member'],
        [IDP, 'AdminCreateUser', { UserPoolId: pool, Username: 'nully', UserAttributes: [null] }, 'userAttributes.1.member'],
        [IDP, 'TagResource', { ResourceArn: arn, Tags: { team: 'a', k: null } }, 'tags.k'],
        [IDENTITY, 'GetId', { IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000', Logins: { 'accounts.google.com': null } }, 'logins.accounts.google.com'],
        [IDENTITY, 'CreateIdentityPool', { IdentityPoolName: 'nulls', AllowUnauthenticatedIdentities: true, CognitoIdentityProviders: [null] }, 'cognitoIdentityProviders.1.member'],
      ];
      for (const [service, op, body, member] of cases) {
        const sign = service === IDENTITY ? { ...ADMIN, service: 'cognito-identity' } : 'admin';
        const r = await call(s.url, `${service}.${op}`, { body, sign });
        assert.equal(r.status, 400, op);
        const e = errorOf(r);
        assert.equal(e.__type, 'InvalidParameterException', op);
        assert.equal(e.message, `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`, op);
      }
      const described = (await idp('DescribeUserPool', { UserPoolId: pool })).json as { UserPool: { SchemaAttributes: { Name: string }[] } };
      assert.ok(!described.UserPool.SchemaAttributes.some((a) => a.Name === 'custom:ok'));
      assert.equal(errorOf(await idp('AdminGetUser', { UserPoolId: pool, Username: 'nully' })).__type, 'UserNotFoundException');
      assert.deepEqual((await idp('ListTagsForResource', { ResourceArn: arn })).json, { Tags: {} });
      // amazon-cognito-identity-js sends ChallengeResponses.DEVICE_KEY = null: in the sign-in maps
      // the entry is dropped, and the call goes on (here to the unknown client).
      const signIn = await call(s.url, `${IDP}.InitiateAuth`, { body: { ClientId: 'nosuchclient', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'u', PASSWORD: 'p', DEVICE_KEY: null } } });
      assert.equal(errorOf(signIn).__type, 'ResourceNotFoundException');
      const listed = await call(s.url, `${IDENTITY}.ListIdentityPools`, { body: { MaxResults: 60 }, sign: { ...ADMIN, service: 'cognito-identity' } });
      const pools = listed.json as { IdentityPools: unknown[] };
      assert.equal(pools.IdentityPools.length, 0);
    });

    test('AdminDeleteSoftwareToken checks its untyped members as the typed operations do (a NUL is refused)', async () => {
      const created = await call(s.url, `${IDP}.CreateUserPool`, { body: { PoolName: 'untyped' }, sign: 'admin' });
      const pool = (created.json as { UserPool: { Id: string } }).UserPool.Id;
      for (const body of [{ UserPoolId: pool, Username: 'a\u0000b' }, { UserPoolId: pool }, { UserPoolId: 'bad pool', Username: 'a' }, { UserPoolId: pool, Username: 'x'.repeat(129) }]) {
        const r = await call(s.url, `${IDP}.AdminDeleteSoftwareToken`, { body, sign: 'admin' });
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(errorOf(r).__type, 'InvalidParameterException', JSON.stringify(body));
      }
    });

    test('the SDK sees constraint violations as InvalidParameterException', async () => {
      await assert.rejects(s.idp.send(new DescribeUserPoolCommand({ UserPoolId: 'bad pool' })), (e: Error) => {
        assert.equal(e.name, 'InvalidParameterException');
        assert.match(e.message, /userPoolId/);
        assert.equal((e as CognitoIdentityProviderServiceException).$metadata.httpStatusCode, 400);
        assert.match((e as CognitoIdentityProviderServiceException).$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
        return true;
      });
    });

    test('an unknown operation or target prefix is UnknownOperationException', async () => {
      for (const target of [
        `${IDP}.NoSuchOperation`,
        `${IDP}.describeUserPool`,
        `${IDP}.constructor`,
        `${IDP}.__proto__`,
        `${IDP}.toString`,
        'AWSCognitoIdentityProviderServiceX.DescribeUserPool',
        '__proto__.DescribeUserPool',
        'DescribeUserPool',
        '.',
        '',
        `${IDENTITY}.DescribeUserPool`,
      ]) {
        const r = await call(s.url, target, { sign: 'admin' });
        assert.equal(r.status, 400, target);
        assert.equal(errorOf(r).__type, 'UnknownOperationException', target);
      }
    });

    test('a POST without X-Amz-Target is a clear 400', async () => {
      const r = await call(s.url, undefined, { body: { UserPoolId: 'us-east-1_abc' } });
      assert.equal(r.status, 400);
      const e = errorOf(r);
      assert.equal(e.__type, 'UnknownOperationException');
      assert.match(e.message, /X-Amz-Target/);
    });

    test('a body over TESSERA_BODY_LIMIT_BYTES is 413 RequestEntityTooLargeException', async () => {
      const big = JSON.stringify({ UserPoolId: 'us-east-1_abc', Padding: 'x'.repeat(5000) });
      const r = await call(s.url, `${IDP}.SignUp`, { body: big });
      assert.equal(r.status, 413);
      const e = errorOf(r);
      assert.equal(e.__type, 'RequestEntityTooLargeException');
      assert.match(e.message, /4096/);
      // Sent chunked, without a Content-Length, the limit holds as well.
      const chunked = await fetch(`${s.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${IDP}.SignUp` },
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1000)));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(chunked.status, 413);
      assert.equal((await chunked.json()).__type, 'RequestEntityTooLargeException');
      // Just under the limit is fine (it reaches validation).
      const ok = await describePool({ UserPoolId: 'us-east-1_abc', Padding: 'x'.repeat(3000) });
      assert.equal(errorOf(ok).__type, 'ResourceNotFoundException');
    });

    test('an operation of the model that Tessera lacks is 400 UnsupportedOperationException naming it', async (t) => {
      const signed = await unimplemented('sigv4');
      const unsigned = await unimplemented('none');
      if (!signed && !unsigned) return t.skip('every operation is implemented');
      for (const [op, sign] of [[signed, 'admin'], [unsigned, undefined]] as const) {
        if (!op) continue;
        const r = await call(s.url, `${IDP}.${op}`, { sign, body: {} });
        assert.equal(r.status, 400, op);
        const e = errorOf(r);
        assert.equal(e.__type, 'UnsupportedOperationException', op);
        assert.ok(e.message.includes(op), e.message);
      }
      // Signed operations still check the signature first.
      if (signed) assert.equal(errorOf(await call(s.url, `${IDP}.${signed}`)).__type, 'MissingAuthenticationTokenException');
    });

    test('deeply nested and huge inputs are refused without harm', async () => {
      const deep = '['.repeat(1500) + ']'.repeat(1500);
      const r1 = await describePool(`{"UserPoolId":${deep}}`);
      assert.equal(errorOf(r1).__type, 'SerializationException');
      const r2 = await describePool(`{"UserPoolId":"us-east-1_abc","Unknown":${deep}}`);
      assert.equal(errorOf(r2).__type, 'ResourceNotFoundException');
      const r3 = await describePool('{"UserPoolId": 1e999}');
      assert.equal(errorOf(r3).__type, 'SerializationException');
    });

    test('every error carries x-amzn-RequestId, x-amzn-ErrorType and a message header', async () => {
      const r = await describePool({ UserPoolId: 'us-east-1_nothere1' });
      const e = errorOf(r);
      assert.equal(e.__type, 'ResourceNotFoundException');
      assert.equal(r.headers.get('x-amzn-errormessage'), e.message);
      // The request id differs per request.
      const r2 = await describePool({ UserPoolId: 'us-east-1_nothere1' });
      assert.notEqual(r2.headers.get('x-amzn-requestid'), r.headers.get('x-amzn-requestid'));
      // The 404 of an unknown route still carries a request id.
      const nf = await fetch(`${s.url}/no/such/page`);
      assert.equal(nf.status, 404);
      assert.match(nf.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    });

    test('requests the HTTP parser refuses get an AWS JSON error too', async () => {
      const raw = (bytes: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(s.port, '127.0.0.1');
          let out = '';
          socket.on('data', (d) => (out += d));
          socket.on('close', () => resolve(out));
          socket.on('error', reject);
          socket.write(bytes);
        });
      const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
      assert.match(garbage, /^HTTP\/1\.1 400 /);
      assert.match(garbage, /x-amzn-ErrorType: SerializationException:/);
      assert.match(garbage, /\{"__type":"SerializationException","message":"[^"]+"\}$/);
      const huge = await raw(`POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      assert.match(huge, /^HTTP\/1\.1 431 /);
      assert.match(huge, /"__type":"SerializationException"/);
    });

    test('the server is still healthy after all of it', async () => {
      const r = await fetch(`${s.url}/health`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { status: 'ok' });
    });
  });

  describe(`unexpected failures (${engine})`, () => {
    let s: TestServer;
    before(async () => {
      const registry = await loadRegistry();
      registry.idp.set(
        'DescribeUserPool',
        defineOperation('idp', 'DescribeUserPool', async () => {
          const e = new Error('connection to db-secret-host:5432 lost');
          throw e;
        }),
      );
      s = await startServer({ engine, registry });
    });
    after(() => s.close());

    test('an unexpected error is 500 InternalErrorException with a correlation id and no internals', async () => {
      const r = await call(s.url, `${IDP}.DescribeUserPool`, { sign: 'admin', body: { UserPoolId: 'us-east-1_abc' } });
      assert.equal(r.status, 500);
      const e = errorOf(r);
      assert.equal(e.__type, 'InternalErrorException');
      const id = r.headers.get('x-amzn-requestid')!;
      assert.ok(e.message.includes(id), `message names the request id ${id}: ${e.message}`);
      assert.doesNotMatch(r.text, /db-secret-host|at .*\.ts:\d+|Error:/);
      // The SDK sees a server fault (and is told not to hide it).
      await assert.rejects(s.idp.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_abc' })), (err: Error) => {
        assert.equal(err.name, 'InternalErrorException');
        assert.equal((err as CognitoIdentityProviderServiceException).$fault, 'server');
        return true;
      });
      assert.equal((await fetch(`${s.url}/health`)).status, 200);
    });
  });
}
