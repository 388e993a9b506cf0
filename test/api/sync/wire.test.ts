// The REST-JSON wire of cognito-sync as raw HTTP shows it (api-surface.md §1.4): routes by method
// and path, `%3A` in identity ids, error name in x-amzn-ErrorType and in the body as __type and
// code, the model's status codes, signature failures.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { createIdentity, createIdentityPool, datasetPath, signedFetch, type DatasetRef } from './support.js';

async function expectError(r: Response, status: number, name: string): Promise<string> {
  assert.equal(r.status, status);
  assert.equal(r.headers.get('x-amzn-errortype'), name);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.ok(r.headers.get('x-amzn-requestid'));
  const body = (await r.json()) as { __type: string; code: string; message: string };
  assert.equal(body.__type, name);
  assert.equal(body.code, name);
  assert.equal(typeof body.message, 'string');
  return body.message;
}

for (const engine of engines) {
  describe(`sync REST-JSON wire (${engine})`, () => {
    let s: TestServer;
    let ds: DatasetRef;
    before(async () => {
      s = await startServer({ engine });
      const poolId = await createIdentityPool(s);
      ds = { IdentityPoolId: poolId, IdentityId: await createIdentity(s, poolId), DatasetName: 'wire' };
    });
    after(() => s.close());

    test('labels are percent-decoded after routing: %3A and a raw colon name the same identity', async () => {
      const encoded = datasetPath(ds);
      assert.match(encoded, /%3A/);
      const r1 = await signedFetch(s, 'GET', `${encoded}/records`);
      assert.equal(r1.status, 200);
      assert.match(r1.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await r1.json()) as { DatasetExists: boolean; SyncSessionToken: string; Records: unknown[] };
      assert.equal(body.DatasetExists, false);
      assert.ok(body.SyncSessionToken);

      const write = await signedFetch(s, 'POST', encoded, {
        body: JSON.stringify({ SyncSessionToken: body.SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }] }),
      });
      assert.equal(write.status, 200);
      const raw = `/identitypools/${ds.IdentityPoolId}/identities/${ds.IdentityId}/datasets/${ds.DatasetName}`;
      const r2 = await signedFetch(s, 'GET', raw);
      assert.equal(r2.status, 200);
      const d = (await r2.json()) as { Dataset: { IdentityId: string; NumRecords: number; CreationDate: number } };
      assert.equal(d.Dataset.IdentityId, ds.IdentityId);
      assert.equal(d.Dataset.NumRecords, 1);
      assert.ok(d.Dataset.CreationDate < 1e11, 'timestamps are epoch seconds');
    });

    test('errors carry the name in x-amzn-ErrorType and in the body, with the model status', async () => {
      const missing = await signedFetch(s, 'GET', datasetPath({ ...ds, DatasetName: 'absent' }));
      await expectError(missing, 404, 'ResourceNotFoundException');

      const bad = await signedFetch(s, 'GET', `${datasetPath({ ...ds, DatasetName: 'bad name' })}/records`);
      assert.match(await expectError(bad, 400, 'InvalidParameterException'), /datasetName/);

      const { SyncSessionToken } = (await (await signedFetch(s, 'GET', `${datasetPath(ds)}/records`)).json()) as { SyncSessionToken: string };
      const conflict = await signedFetch(s, 'POST', datasetPath(ds), {
        body: JSON.stringify({ SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'x', SyncCount: 0 }] }),
      });
      await expectError(conflict, 409, 'ResourceConflictException');
    });

    test('an unknown path or method is 404 UnknownOperationException', async () => {
      await expectError(await signedFetch(s, 'GET', '/identitypools/x/nothing-here'), 404, 'UnknownOperationException');
      await expectError(await signedFetch(s, 'PUT', datasetPath(ds)), 404, 'UnknownOperationException');
      await expectError(await signedFetch(s, 'GET', '/identitypools/a/identity/b/device'), 404, 'UnknownOperationException');
    });

    test('query strings and bodies of the wrong type are SerializationException', async () => {
      await expectError(await signedFetch(s, 'GET', `${datasetPath(ds)}/records`, { query: { maxResults: 'many' } }), 400, 'SerializationException');
      await expectError(await signedFetch(s, 'POST', datasetPath(ds), { body: '{not json' }), 400, 'SerializationException');
      await expectError(await signedFetch(s, 'POST', datasetPath(ds), { body: '[1]' }), 400, 'SerializationException');
      const missingToken = await signedFetch(s, 'POST', datasetPath(ds), { body: '{}' });
      assert.match(await expectError(missingToken, 400, 'InvalidParameterException'), /syncSessionToken/);
    });

    test('every operation is signed: no signature, or a wrong one, is refused with 403', async () => {
      const unsigned = await fetch(`${s.url}${datasetPath(ds)}`);
      await expectError(unsigned, 403, 'MissingAuthenticationTokenException');
      const wrong = await signedFetch(s, 'GET', datasetPath(ds), { credentials: { accessKeyId: 'AKIDTESSERATEST', secretAccessKey: 'nope' } });
      await expectError(wrong, 403, 'InvalidSignatureException');
      const stranger = await signedFetch(s, 'GET', datasetPath(ds), { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } });
      await expectError(stranger, 403, 'UnrecognizedClientException');
    });
  });
}
