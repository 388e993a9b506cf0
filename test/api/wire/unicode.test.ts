// Unusual Unicode in request strings never crashes the server: right-to-left marks, emoji,
// combining marks and astral characters travel intact where the model allows them; NUL and lone
// surrogates (only expressible as JSON escapes) are refused as InvalidParameterException on every
// engine instead of failing in, or being altered by, the database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { model as idpModel } from '../../../src/models/idp.js';
import { loadRegistry } from '../../../src/operations/registry.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { IDP, call, errorOf } from './raw.js';

/** Strings that have broken servers: bidi controls, emoji with joiners, combining marks, BOM, astral. */
const SURVIVORS = [
  'abc\u200f\u202eRTL\u202c',
  '👩‍👩‍👧‍👦 family 🏳️‍🌈',
  'e\u0301\u0301\u0301 zalgo',
  '\ufeffbom',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{10FFFD}',
  '\u2028line\u2029para',
];
/** JSON text of strings no database keeps as sent. */
const REFUSED_JSON = ['"nul\\u0000inside"', '"lone \\ud800 high"', '"lone \\udc00 low"', '"\\udc00\\ud800 reversed"'];

for (const engine of engines) {
  describe(`unusual Unicode (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine })));
    after(() => s.close());

    test('tag values keep emoji, bidi marks and astral characters exactly', async (t) => {
      if (!(await loadRegistry()).idp.has('CreateUserPool')) return t.skip('CreateUserPool not implemented yet');
      const tags = Object.fromEntries(SURVIVORS.map((v, i) => [`k${i}`, v]));
      const created = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'unicode', UserPoolTags: tags }));
      const described = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: created.UserPool!.Id! }));
      assert.deepEqual(described.UserPool!.UserPoolTags, tags);
    });

    test('NUL and lone surrogates are InvalidParameterException, and nothing is written', async (t) => {
      if (!(await loadRegistry()).idp.has('CreateUserPool')) return t.skip('CreateUserPool not implemented yet');
      const created = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'refusals' }));
      const arn = created.UserPool!.Arn!;
      for (const bad of REFUSED_JSON) {
        const r = await call(s.url, `${IDP}.CreateUserPool`, {
          sign: 'admin',
          body: `{"PoolName":"refused","UserPoolTags":{"k":${bad}}}`,
        });
        assert.equal(r.status, 400, bad);
        const e = errorOf(r);
        assert.equal(e.__type, 'InvalidParameterException', bad);
        assert.match(e.message, /failed to satisfy constraint: Member must not contain NUL characters or unpaired surrogates/);
      }
      // Through the SDK too (it escapes what JSON cannot carry raw), on an update.
      await assert.rejects(s.idp.send(new TagResourceCommand({ ResourceArn: arn, Tags: { k: 'a\u0000b' } })), (e: Error) => {
        assert.equal(e.name, 'InvalidParameterException');
        return true;
      });
      const after = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: created.UserPool!.Id! }));
      assert.deepEqual(after.UserPool!.UserPoolTags ?? {}, {});
    });

    test('patterned members refuse what their pattern refuses, and the error headers stay valid', async () => {
      for (const v of [...SURVIVORS, 'us-east-1_\u200fabc', 'us-east-1_😀']) {
        const r = await call(s.url, `${IDP}.DescribeUserPool`, { sign: 'admin', body: { UserPoolId: v } });
        assert.equal(r.status, 400, v);
        const e = errorOf(r);
        assert.equal(e.__type, 'InvalidParameterException', v);
        assert.ok(e.message.includes(v), 'the body keeps the value exactly');
        assert.match(r.headers.get('x-amzn-errormessage') ?? '', /^[\x20-\x7e]*$/);
      }
    });

    test('every implemented operation survives unusual strings in every string member', async () => {
      const registry = await loadRegistry();
      const values = [JSON.stringify(SURVIVORS.join(' ')), REFUSED_JSON[0], REFUSED_JSON[1], JSON.stringify('x'.repeat(3000))];
      const failures: string[] = [];
      for (const op of registry.idp.keys()) {
        const opModel = idpModel.operations[op];
        const input = opModel.input ? idpModel.shapes[opModel.input] : undefined;
        const stringMembers = Object.entries(input?.members ?? {}).filter(([, m]) => idpModel.shapes[m.shape]?.type === 'string');
        if (!stringMembers.length) continue;
        await Promise.all(
          values.map(async (v) => {
            const body = `{${stringMembers.map(([name]) => `${JSON.stringify(name)}:${v}`).join(',')}}`;
            const r = await call(s.url, `${IDP}.${op}`, { sign: opModel.auth === 'sigv4' ? 'admin' : undefined, body });
            if (r.status >= 500 || (r.status !== 200 && !r.json?.__type)) failures.push(`${op} ${v.slice(0, 20)}: ${r.status} ${r.text.slice(0, 200)}`);
          }),
        );
      }
      assert.deepEqual(failures, []);
      assert.equal((await fetch(`${s.url}/health`)).status, 200);
    });
  });
}
