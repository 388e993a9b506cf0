// Datasets through the real cognito-sync SDK client with the admin credentials: a dataset's life
// from first write to deletion, listing and describing, and the errors of bad input.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  DescribeIdentityPoolUsageCommand,
  DescribeIdentityUsageCommand,
  ListDatasetsCommand,
  ListIdentityPoolUsageCommand,
  ListRecordsCommand,
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { createIdentity, createIdentityPool, push, rejectsWith, syncClient } from './support.js';

for (const engine of engines) {
  describe(`sync datasets (${engine})`, () => {
    let s: TestServer;
    let sync: CognitoSyncClient;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      sync = syncClient(s);
      poolId = await createIdentityPool(s);
    });
    after(async () => {
      sync.destroy();
      await s.close();
    });

    test('a dataset is created by its first UpdateRecords, then described, listed and deleted', async () => {
      const identityId = await createIdentity(s, poolId);
      assert.match(identityId, /^[\w-]+:[0-9a-f-]+$/, 'identity ids carry a colon, sent as %3A in paths');
      const ds = { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'settings' };

      const fresh = await sync.send(new ListRecordsCommand(ds));
      assert.equal(fresh.DatasetExists, false);
      assert.equal(fresh.DatasetSyncCount, 0);
      assert.deepEqual(fresh.Records, []);
      await rejectsWith(sync.send(new DescribeDatasetCommand(ds)), 'ResourceNotFoundException', 404);

      const before = Date.now();
      const written = await push(sync, ds, [
        { Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0 },
        { Op: 'replace', Key: 'lang', Value: 'fr', SyncCount: 0 },
      ]);
      assert.deepEqual(written.Records!.map((r) => [r.Key, r.Value, r.SyncCount]).sort(), [
        ['lang', 'fr', 1],
        ['theme', 'dark', 1],
      ]);

      const { Dataset } = await sync.send(new DescribeDatasetCommand(ds));
      assert.equal(Dataset!.DatasetName, 'settings');
      assert.equal(Dataset!.IdentityId, identityId);
      assert.equal(Dataset!.NumRecords, 2);
      assert.equal(Dataset!.DataStorage, 'themedark'.length + 'langfr'.length);
      assert.equal(Dataset!.LastModifiedBy, 'admin');
      assert.ok(Dataset!.CreationDate instanceof Date);
      assert.ok(Math.abs(Dataset!.LastModifiedDate!.getTime() - before) < 60_000, 'dates travel as epoch seconds');

      const listed = await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: identityId }));
      assert.deepEqual(listed.Datasets!.map((d) => d.DatasetName), ['settings']);
      assert.equal(listed.Count, 1);

      const deleted = await sync.send(new DeleteDatasetCommand(ds));
      assert.equal(deleted.Dataset!.NumRecords, 2, 'DeleteDataset answers the dataset as it was');
      await rejectsWith(sync.send(new DescribeDatasetCommand(ds)), 'ResourceNotFoundException', 404);
      await rejectsWith(sync.send(new DeleteDatasetCommand(ds)), 'ResourceNotFoundException', 404);
      assert.deepEqual((await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: identityId }))).Datasets, []);

      // A device that synced before the deletion learns of it and drops its copy.
      const stale = await sync.send(new ListRecordsCommand({ ...ds, LastSyncCount: 1 }));
      assert.equal(stale.DatasetExists, false);
      assert.equal(stale.DatasetDeletedAfterRequestedSyncCount, true);
      assert.deepEqual(stale.Records, []);

      // Recreated: its sync count goes on, so old copies still read as predating the deletion.
      await push(sync, ds, [{ Op: 'replace', Key: 'theme', Value: 'light', SyncCount: 0 }]);
      const again = await sync.send(new ListRecordsCommand({ ...ds, LastSyncCount: 1 }));
      assert.equal(again.DatasetExists, true);
      assert.equal(again.DatasetDeletedAfterRequestedSyncCount, true);
      assert.deepEqual(again.Records!.map((r) => [r.Key, r.Value]), [['theme', 'light']]);
      const current = await sync.send(new ListRecordsCommand({ ...ds, LastSyncCount: again.DatasetSyncCount }));
      assert.equal(current.DatasetDeletedAfterRequestedSyncCount, false);
      assert.deepEqual(current.Records, []);
    });

    test('ListDatasets pages by name with nextToken and maxResults', async () => {
      const identityId = await createIdentity(s, poolId);
      const names = ['d-a', 'd-b', 'd-c', 'd-d', 'd-e'];
      for (const DatasetName of names) {
        await push(sync, { IdentityPoolId: poolId, IdentityId: identityId, DatasetName }, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]);
      }
      const seen: string[] = [];
      const tokens = new Set<string>();
      let NextToken: string | undefined;
      do {
        const page = await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: identityId, MaxResults: 2, NextToken }));
        assert.ok(page.Datasets!.length <= 2);
        seen.push(...page.Datasets!.map((d) => d.DatasetName!));
        NextToken = page.NextToken;
        if (NextToken) {
          assert.ok(!tokens.has(NextToken), 'never the same token twice');
          tokens.add(NextToken);
        }
      } while (NextToken);
      assert.deepEqual(seen, names);
      await rejectsWith(
        sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: identityId, NextToken: 'v1.forged' })),
        'InvalidParameterException',
        400,
      );
    });

    test('an unknown identity pool is ResourceNotFoundException (InvalidParameterException where the model has no ResourceNotFound)', async () => {
      const ds = { IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000', IdentityId: 'us-east-1:11111111-1111-1111-1111-111111111111', DatasetName: 'x' };
      await rejectsWith(sync.send(new DescribeDatasetCommand(ds)), 'ResourceNotFoundException', 404);
      await rejectsWith(sync.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: ds.IdentityPoolId })), 'ResourceNotFoundException', 404);
      await rejectsWith(sync.send(new ListRecordsCommand(ds)), 'InvalidParameterException', 400);
      await rejectsWith(sync.send(new ListDatasetsCommand(ds)), 'InvalidParameterException', 400);
    });

    test('an identity of another pool is not found in this one', async () => {
      const otherPool = await createIdentityPool(s, 'other_pool');
      const stranger = await createIdentity(s, otherPool);
      await rejectsWith(
        sync.send(new DescribeDatasetCommand({ IdentityPoolId: poolId, IdentityId: stranger, DatasetName: 'x' })),
        'ResourceNotFoundException',
        404,
      );
    });

    test('a bad dataset name or identity id is InvalidParameterException', async () => {
      const identityId = await createIdentity(s, poolId);
      for (const DatasetName of ['has space', 'slash/inside', 'x'.repeat(129), 'emoji😀']) {
        const e = await rejectsWith(
          sync.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName })),
          'InvalidParameterException',
          400,
        );
        assert.match(e.message, /datasetName/);
      }
      await rejectsWith(
        sync.send(new DescribeDatasetCommand({ IdentityPoolId: poolId, IdentityId: 'not-an-identity', DatasetName: 'ok' })),
        'InvalidParameterException',
        400,
      );
      // Every character the pattern allows works, `:` and `.` included.
      const name = 'Az09_.:-';
      await push(sync, { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: name }, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]);
      const d = await sync.send(new DescribeDatasetCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName: name }));
      assert.equal(d.Dataset!.DatasetName, name);
    });

    test('usage counts an identity and its pool', async () => {
      const pool = await createIdentityPool(s, 'usage_pool');
      const a = await createIdentity(s, pool);
      const b = await createIdentity(s, pool);
      await push(sync, { IdentityPoolId: pool, IdentityId: a, DatasetName: 'one' }, [{ Op: 'replace', Key: 'ab', Value: 'cd', SyncCount: 0 }]);
      await push(sync, { IdentityPoolId: pool, IdentityId: a, DatasetName: 'two' }, [{ Op: 'replace', Key: 'e', Value: 'f', SyncCount: 0 }]);
      await push(sync, { IdentityPoolId: pool, IdentityId: b, DatasetName: 'one' }, [{ Op: 'replace', Key: 'g', Value: 'hij', SyncCount: 0 }]);

      const ua = (await sync.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId: a }))).IdentityUsage!;
      assert.equal(ua.IdentityId, a);
      assert.equal(ua.IdentityPoolId, pool);
      assert.equal(ua.DatasetCount, 2);
      assert.equal(ua.DataStorage, 4 + 2);
      assert.ok(ua.LastModifiedDate instanceof Date);

      const up = (await sync.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: pool }))).IdentityPoolUsage!;
      assert.equal(up.DataStorage, 4 + 2 + 4);
      assert.equal(up.SyncSessionsCount, 3);

      const all = await sync.send(new ListIdentityPoolUsageCommand({ MaxResults: 60 }));
      const mine = all.IdentityPoolUsages!.find((u) => u.IdentityPoolId === pool);
      assert.equal(mine?.DataStorage, 10);
      assert.equal(all.Count, all.IdentityPoolUsages!.length);
    });
  });
}
