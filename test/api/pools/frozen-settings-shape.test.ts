// The frozen-settings change is checked for its shape before anything reads it: raw JSON bodies
// of each wrong shape sent to the admin endpoint (/tessera/admin/pools/{id}/frozen-settings/
// {preview,apply}, HTTP Basic with the admin keys) answer 400 InvalidParameterException, never a
// 500, and change nothing (a string for DeleteCustomAttributes is not a list of its characters:
// "t" does not delete custom:t). The console's apply form with a hand-made change field ("null",
// a number where a list goes) shows the refusal on the page (400). On every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, engines, startServer, type TestServer } from '../../support/server.js';
import { consoleSession } from '../../admin/raw-session.js';
import { makePool } from '../auth/support.js';

const BASIC = `Basic ${Buffer.from(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`).toString('base64')}`;

/** Bodies of a wrong shape, as sent on the wire. */
const WRONG = [
  '{"EditCustomAttributes":5}',
  '{"EditCustomAttributes":"t"}',
  '{"EditCustomAttributes":{"Name":"t"}}',
  '{"EditCustomAttributes":[5]}',
  '{"EditCustomAttributes":[null]}',
  '{"EditCustomAttributes":[["t"]]}',
  '{"EditCustomAttributes":[{}]}',
  '{"EditCustomAttributes":[{"Name":5}]}',
  '{"EditCustomAttributes":[{"Name":"t","Mutable":"false"}]}',
  '{"EditCustomAttributes":[{"Name":"t","Required":1}]}',
  '{"EditCustomAttributes":[{"Name":"t","AttributeDataType":7}]}',
  '{"EditCustomAttributes":[{"Name":"t","StringAttributeConstraints":"5"}]}',
  '{"EditCustomAttributes":[{"Name":"t","StringAttributeConstraints":{"MaxLength":5}}]}',
  '{"EditCustomAttributes":[{"Name":"t","StringAttributeConstraints":{"MaxLen":"5"}}]}',
  '{"EditCustomAttributes":[{"Name":"t","NumberAttributeConstraints":[]}]}',
  '{"EditCustomAttributes":[{"Name":"t","Mutabel":false}]}',
  '{"DeleteCustomAttributes":"t"}',
  '{"DeleteCustomAttributes":[1]}',
  '{"DeleteCustomAttributes":[null]}',
  '{"DeleteCustomAttributes":{"0":"t"}}',
  '{"UsernameAttributes":"email"}',
  '{"AliasAttributes":[null]}',
  '{"CaseSensitive":"true"}',
  '{"CaseSensitive":null}',
  '{"CaseSensitive":true,"Bogus":1}',
];

for (const engine of engines) {
  describe(`frozen settings: the change's shape (${engine})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startServer({ engine });
    });
    after(async () => {
      await s?.close();
    });

    async function post(mode: 'preview' | 'apply', poolId: string, body: string) {
      const r = await fetch(`${s.url}/tessera/admin/pools/${poolId}/frozen-settings/${mode}`, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/json' },
        body,
      });
      return { status: r.status, json: (await r.json()) as { error?: string; message?: string; changes?: unknown } };
    }
    const settingsOf = async (poolId: string) => {
      const p = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      return { schema: p.SchemaAttributes!.filter((a) => a.Name!.startsWith('custom:')), caseSensitive: p.UsernameConfiguration?.CaseSensitive };
    };

    test('the admin endpoint answers 400 InvalidParameterException to each wrong shape and changes nothing', async () => {
      const poolId = await makePool(s, { UsernameConfiguration: { CaseSensitive: true }, Schema: [{ Name: 't', AttributeDataType: 'String', Mutable: true }] });
      const before = await settingsOf(poolId);
      assert.deepEqual(before.schema.map((a) => a.Name), ['custom:t']);
      for (const body of WRONG) {
        for (const mode of ['preview', 'apply'] as const) {
          const r = await post(mode, poolId, body);
          assert.equal(r.status, 400, `${mode} ${body}: ${JSON.stringify(r.json)}`);
          assert.equal(r.json.error, 'InvalidParameterException', `${mode} ${body}`);
          assert.ok(r.json.message, body);
        }
      }
      // Not an object at all: the body cannot be read as a change.
      for (const body of ['null', '5', '"x"', '[]']) {
        const r = await post('apply', poolId, body);
        assert.equal(r.status, 400, body);
        assert.equal(r.json.error, 'SerializationException', body);
      }
      assert.deepEqual(await settingsOf(poolId), before);
      // The right shapes still work.
      const ok = await post('preview', poolId, '{"DeleteCustomAttributes":["t"],"EditCustomAttributes":[],"CaseSensitive":true}');
      assert.equal(ok.status, 200, JSON.stringify(ok.json));
      assert.deepEqual(ok.json.changes, { SchemaAttributes: { edited: [], deleted: ['custom:t'] } });
      const edited = await post('apply', poolId, '{"EditCustomAttributes":[{"Name":"t","Mutable":false,"StringAttributeConstraints":{"MaxLength":"9"}}]}');
      assert.equal(edited.status, 200, JSON.stringify(edited.json));
      const after = await settingsOf(poolId);
      assert.equal(after.schema[0]!.Mutable, false);
      assert.equal(after.schema[0]!.StringAttributeConstraints?.MaxLength, '9');
    });

    test('the console shows the refusal of a hand-made change on the page', async () => {
      const poolId = await makePool(s, { Schema: [{ Name: 't', AttributeDataType: 'String', Mutable: true }] });
      const before = await settingsOf(poolId);
      const session = await consoleSession(s.url);
      for (const change of ['null', '{"EditCustomAttributes":5}', '{"DeleteCustomAttributes":"t"}', '[]', '7']) {
        const r = await fetch(`${s.url}/admin/pools/${poolId}/frozen-settings/apply`, {
          method: 'POST',
          headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: session.csrf, change }),
          redirect: 'manual',
        });
        const html = await r.text();
        assert.equal(r.status, 400, `${change}: ${html}`);
        assert.match(html, /<p class="error" role="alert">InvalidParameterException: [^<]+<\/p>/, change);
      }
      assert.deepEqual(await settingsOf(poolId), before);
    });
  });
}
