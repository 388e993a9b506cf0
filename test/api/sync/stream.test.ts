// The change stream (beyond Cognito): a signed `GET /sync/events` receives
// `{datasetName, syncCount, identityId}` as soon as UpdateRecords or DeleteDataset commits; with
// PostgreSQL the change reaches a stream held by another process over the same database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DeleteDatasetCommand, type CognitoSyncClient } from '@aws-sdk/client-cognito-sync';
import { engines, startServer, type TestServer } from '../../support/server.js';
import {
  createIdentity,
  createIdentityPool,
  credentialsOf,
  openStream,
  push,
  signedFetch,
  syncClient,
  type DatasetRef,
} from './support.js';

const patch = (Key: string, SyncCount = 0) => [{ Op: 'replace' as const, Key, Value: 'v', SyncCount }];

for (const engine of engines) {
  describe(`sync change stream (${engine})`, () => {
    let s: TestServer;
    let admin: CognitoSyncClient;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      admin = syncClient(s);
      poolId = await createIdentityPool(s);
    });
    after(async () => {
      admin.destroy();
      await s.close();
    });

    test('a subscribed stream receives the change of its dataset, and only that', async () => {
      const identityId = await createIdentity(s, poolId);
      const ds: DatasetRef = { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'watched' };
      const stream = await openStream(s, { identityPoolId: poolId, identityId, dataset: 'watched' });
      try {
        await push(admin, { ...ds, DatasetName: 'unwatched' }, patch('x'));
        await push(admin, ds, patch('a'));
        assert.deepEqual(await stream.next(), { event: 'change', data: { datasetName: 'watched', syncCount: 1, identityId } });
        await push(admin, ds, patch('a', 1));
        assert.deepEqual((await stream.next()).data, { datasetName: 'watched', syncCount: 2, identityId });
        await admin.send(new DeleteDatasetCommand(ds));
        assert.deepEqual((await stream.next()).data, { datasetName: 'watched', syncCount: 3, identityId });
      } finally {
        stream.close();
      }
    });

    test('a rejected write sends nothing', async () => {
      const identityId = await createIdentity(s, poolId);
      const ds: DatasetRef = { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'd' };
      const stream = await openStream(s, { identityPoolId: poolId, identityId });
      try {
        await push(admin, ds, patch('a'));
        assert.equal(((await stream.next()).data as { syncCount: number }).syncCount, 1);
        await assert.rejects(push(admin, ds, patch('a', 0)), { name: 'ResourceConflictException' });
        await push(admin, { ...ds, DatasetName: 'e' }, patch('b'));
        assert.deepEqual((await stream.next()).data, { datasetName: 'e', syncCount: 1, identityId }, 'the conflict was not announced');
      } finally {
        stream.close();
      }
    });

    test("an identity's credentials watch their own identity and no other", async () => {
      const alice = await createIdentity(s, poolId);
      const bob = await createIdentity(s, poolId);
      const creds = await credentialsOf(s, alice);
      const asAlice = syncClient(s, creds);
      const stream = await openStream(s, { identityPoolId: poolId }, creds);
      try {
        await push(admin, { IdentityPoolId: poolId, IdentityId: bob, DatasetName: 'b' }, patch('k'));
        await push(asAlice, { IdentityPoolId: poolId, IdentityId: alice, DatasetName: 'a' }, patch('k'));
        assert.deepEqual((await stream.next()).data, { datasetName: 'a', syncCount: 1, identityId: alice });
      } finally {
        stream.close();
        asAlice.destroy();
      }
      const refused = await signedFetch(s, 'GET', '/sync/events', { query: { identityPoolId: poolId, identityId: bob }, credentials: creds });
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get('x-amzn-errortype'), 'NotAuthorizedException');
    });

    test('bad or unknown parameters are refused before streaming', async () => {
      const noPool = await signedFetch(s, 'GET', '/sync/events');
      assert.equal(noPool.status, 400);
      assert.equal(noPool.headers.get('x-amzn-errortype'), 'InvalidParameterException');
      const unknown = await signedFetch(s, 'GET', '/sync/events', { query: { identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
      const badName = await signedFetch(s, 'GET', '/sync/events', { query: { identityPoolId: poolId, dataset: 'no spaces' } });
      assert.equal(badName.status, 400);
      const unsigned = await fetch(`${s.url}/sync/events?identityPoolId=${encodeURIComponent(poolId)}`);
      assert.equal(unsigned.status, 403);
      assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    });

    if (engine === 'postgres') {
      test('a change made by one process reaches a stream held by another (LISTEN/NOTIFY)', async () => {
        const schema = s.config.databaseSchema!;
        const other = await startServer({ engine, schema });
        const otherAdmin = syncClient(other);
        try {
          const identityId = await createIdentity(s, poolId);
          const stream = await openStream(other, { identityPoolId: poolId, identityId });
          try {
            await push(admin, { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'shared' }, patch('k'));
            assert.deepEqual((await stream.next()).data, { datasetName: 'shared', syncCount: 1, identityId });
          } finally {
            stream.close();
          }
        } finally {
          otherAdmin.destroy();
          await other.close();
        }
      });
    }
  });
}
