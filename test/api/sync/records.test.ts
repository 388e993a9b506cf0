// Records through the real cognito-sync SDK client: two devices of one identity writing the same
// dataset (optimistic concurrency on SyncCount), tombstones, paging, session tokens and limits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  ListRecordsCommand,
  UpdateRecordsCommand,
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync';
import { ManualClock } from '../../../src/clock.js';
import { SYNC_LIMITS, SYNC_SESSION_TTL_SECONDS } from '../../../src/sync/limits.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { createIdentity, createIdentityPool, push, rejectsWith, syncClient, type DatasetRef } from './support.js';

for (const engine of engines) {
  describe(`sync records (${engine})`, () => {
    let s: TestServer;
    let deviceA: CognitoSyncClient;
    let deviceB: CognitoSyncClient;
    let poolId: string;
    const clock = new ManualClock();
    before(async () => {
      // Signatures are made with the real time; the server's clock moves to expire session tokens.
      s = await startServer({ engine, clock, env: { TESSERA_SIGV4_SKEW_SECONDS: '7200' } });
      deviceA = syncClient(s);
      deviceB = syncClient(s);
      poolId = await createIdentityPool(s);
    });
    after(async () => {
      deviceA.destroy();
      deviceB.destroy();
      await s.close();
    });

    const dataset = async (name = 'prefs'): Promise<DatasetRef> => ({
      IdentityPoolId: poolId,
      IdentityId: await createIdentity(s, poolId),
      DatasetName: name,
    });
    const values = async (c: CognitoSyncClient, ds: DatasetRef) =>
      Object.fromEntries((await c.send(new ListRecordsCommand(ds))).Records!.filter((r) => r.Value !== undefined).map((r) => [r.Key, r.Value]));

    test('a stale write from the second device is ResourceConflictException and changes nothing; after ListRecords it succeeds', async () => {
      const ds = await dataset();
      await push(deviceA, ds, [{ Op: 'replace', Key: 'color', Value: 'red', SyncCount: 0 }], 'device-a');

      // B catches up: it now holds color@1.
      const seenByB = await deviceB.send(new ListRecordsCommand({ ...ds, LastSyncCount: 0 }));
      assert.deepEqual(seenByB.Records!.map((r) => [r.Key, r.Value, r.SyncCount, r.LastModifiedBy]), [['color', 'red', 1, 'device-a']]);
      assert.equal(seenByB.DatasetSyncCount, 1);

      // A changes color; B, unaware, changes it too and adds a key in the same call.
      await push(deviceA, ds, [{ Op: 'replace', Key: 'color', Value: 'green', SyncCount: 1 }], 'device-a');
      const conflict = await rejectsWith(
        deviceB.send(
          new UpdateRecordsCommand({
            ...ds,
            SyncSessionToken: seenByB.SyncSessionToken,
            RecordPatches: [
              { Op: 'replace', Key: 'size', Value: 'L', SyncCount: 0 },
              { Op: 'replace', Key: 'color', Value: 'blue', SyncCount: 1 },
            ],
          }),
        ),
        'ResourceConflictException',
        409,
      );
      assert.match(conflict.message, /color/);
      assert.deepEqual(await values(deviceA, ds), { color: 'green' }, 'nothing of the rejected call was written');

      // B syncs, sees A's change, bases its write on it, and wins.
      const caughtUp = await deviceB.send(new ListRecordsCommand({ ...ds, LastSyncCount: 1 }));
      assert.deepEqual(caughtUp.Records!.map((r) => [r.Key, r.Value, r.SyncCount]), [['color', 'green', 2]]);
      const ok = await deviceB.send(
        new UpdateRecordsCommand({
          ...ds,
          SyncSessionToken: caughtUp.SyncSessionToken,
          DeviceId: 'device-b',
          RecordPatches: [
            { Op: 'replace', Key: 'size', Value: 'L', SyncCount: 0 },
            { Op: 'replace', Key: 'color', Value: 'blue', SyncCount: 2, DeviceLastModifiedDate: new Date(1_700_000_000_000) },
          ],
        }),
      );
      assert.deepEqual(ok.Records!.map((r) => [r.Key, r.SyncCount]).sort(), [['color', 3], ['size', 3]]);
      assert.equal(ok.Records!.find((r) => r.Key === 'color')!.DeviceLastModifiedDate!.getTime(), 1_700_000_000_000);
      assert.deepEqual(await values(deviceA, ds), { color: 'blue', size: 'L' });
      assert.equal((await deviceA.send(new ListRecordsCommand(ds))).DatasetSyncCount, 3);
    });

    test('of concurrent writes based on the same SyncCount exactly one wins', async () => {
      const ds = await dataset('raced');
      // An existing dataset: the writers meet on its row, not on its creation.
      await push(deviceA, ds, [{ Op: 'replace', Key: 'seed', Value: 's', SyncCount: 0 }]);
      const clients = Array.from({ length: 6 }, () => syncClient(s));
      try {
        const tokens = await Promise.all(clients.map(async (c) => (await c.send(new ListRecordsCommand(ds))).SyncSessionToken));
        const results = await Promise.allSettled(
          clients.map((c, i) =>
            c.send(
              new UpdateRecordsCommand({
                ...ds,
                SyncSessionToken: tokens[i],
                RecordPatches: [{ Op: 'replace', Key: 'winner', Value: `device-${i}`, SyncCount: 0 }],
              }),
            ),
          ),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1, 'one write wins');
        assert.ok(lost.every((r) => r.reason.name === 'ResourceConflictException'), lost.map((r) => r.reason.name).join());
        const after = await deviceA.send(new ListRecordsCommand(ds));
        assert.equal(after.DatasetSyncCount, 2);
        assert.deepEqual(after.Records!.map((r) => r.Key).sort(), ['seed', 'winner']);
      } finally {
        for (const c of clients) c.destroy();
      }
    });

    test('a removal leaves a tombstone that the other device sees', async () => {
      const ds = await dataset();
      await push(deviceA, ds, [
        { Op: 'replace', Key: 'keep', Value: '1', SyncCount: 0 },
        { Op: 'replace', Key: 'drop', Value: '2', SyncCount: 0 },
      ]);
      const b = await deviceB.send(new ListRecordsCommand(ds));
      assert.equal(b.DatasetSyncCount, 1);

      await push(deviceA, ds, [{ Op: 'remove', Key: 'drop', SyncCount: 1 }]);
      const changes = await deviceB.send(new ListRecordsCommand({ ...ds, LastSyncCount: b.DatasetSyncCount }));
      assert.equal(changes.Records!.length, 1);
      assert.equal(changes.Records![0].Key, 'drop');
      assert.equal(changes.Records![0].Value, undefined, 'a tombstone has no value');
      assert.equal(changes.Records![0].SyncCount, 2);
      const d = await deviceA.send(new DescribeDatasetCommand(ds));
      assert.equal(d.Dataset!.NumRecords, 1);
      assert.equal(d.Dataset!.DataStorage, 'keep1'.length);

      // Writing the key again must be based on the tombstone's count.
      await rejectsWith(push(deviceB, ds, [{ Op: 'replace', Key: 'drop', Value: 'back', SyncCount: 0 }]), 'ResourceConflictException', 409);
      await push(deviceB, ds, [{ Op: 'replace', Key: 'drop', Value: 'back', SyncCount: 2 }]);
      assert.deepEqual(await values(deviceA, ds), { keep: '1', drop: 'back' });
    });

    test('ListRecords pages in change order with a fixed DatasetSyncCount', async () => {
      const ds = await dataset();
      await push(deviceA, ds, [
        { Op: 'replace', Key: 'a', Value: '1', SyncCount: 0 },
        { Op: 'replace', Key: 'b', Value: '1', SyncCount: 0 },
        { Op: 'replace', Key: 'c', Value: '1', SyncCount: 0 },
      ]);
      await push(deviceA, ds, [
        { Op: 'replace', Key: 'a', Value: '2', SyncCount: 1 },
        { Op: 'replace', Key: 'd', Value: '2', SyncCount: 0 },
      ]);
      const first = await deviceB.send(new ListRecordsCommand({ ...ds, MaxResults: 2 }));
      assert.deepEqual(first.Records!.map((r) => r.Key), ['b', 'c']);
      assert.equal(first.Count, 2);
      assert.ok(first.NextToken);
      // A write between pages does not move the chain's DatasetSyncCount or duplicate records.
      await push(deviceA, ds, [{ Op: 'replace', Key: 'e', Value: '3', SyncCount: 0 }]);
      const second = await deviceB.send(new ListRecordsCommand({ ...ds, MaxResults: 2, NextToken: first.NextToken }));
      assert.deepEqual(second.Records!.map((r) => r.Key), ['a', 'd']);
      assert.equal(second.DatasetSyncCount, first.DatasetSyncCount);
      assert.equal(second.NextToken, undefined);
      const rest = await deviceB.send(new ListRecordsCommand({ ...ds, LastSyncCount: second.DatasetSyncCount }));
      assert.deepEqual(rest.Records!.map((r) => r.Key), ['e']);
      // A token only works with the lastSyncCount it was issued for.
      await rejectsWith(
        deviceB.send(new ListRecordsCommand({ ...ds, LastSyncCount: 1, MaxResults: 2, NextToken: first.NextToken })),
        'InvalidParameterException',
        400,
      );
    });

    test('UpdateRecords needs a current session token of this very dataset', async () => {
      const ds = await dataset();
      const other = { ...ds, DatasetName: 'other' };
      const patch = [{ Op: 'replace' as const, Key: 'k', Value: 'v', SyncCount: 0 }];
      const { SyncSessionToken: forOther } = await deviceA.send(new ListRecordsCommand(other));
      await rejectsWith(deviceA.send(new UpdateRecordsCommand({ ...ds, SyncSessionToken: forOther, RecordPatches: patch })), 'InvalidParameterException', 400);
      await rejectsWith(deviceA.send(new UpdateRecordsCommand({ ...ds, SyncSessionToken: 'made-up', RecordPatches: patch })), 'InvalidParameterException', 400);

      const { SyncSessionToken } = await deviceA.send(new ListRecordsCommand(ds));
      clock.advance((SYNC_SESSION_TTL_SECONDS + 1) * 1000);
      try {
        const e = await rejectsWith(deviceA.send(new UpdateRecordsCommand({ ...ds, SyncSessionToken, RecordPatches: patch })), 'InvalidParameterException', 400);
        assert.match(e.message, /expired/);
      } finally {
        clock.set(Date.now());
      }
      assert.equal((await deviceA.send(new ListRecordsCommand(ds))).DatasetExists, false);
    });

    test('patches the model cannot check: one patch per key, a value for every replace', async () => {
      const ds = await dataset();
      await rejectsWith(
        push(deviceA, ds, [
          { Op: 'replace', Key: 'k', Value: '1', SyncCount: 0 },
          { Op: 'remove', Key: 'k', SyncCount: 0 },
        ]),
        'InvalidParameterException',
        400,
      );
      await rejectsWith(push(deviceA, ds, [{ Op: 'replace', Key: 'k', SyncCount: 0 }]), 'InvalidParameterException', 400);
    });

    test(`an identity holds at most ${SYNC_LIMITS.datasetsPerIdentity} datasets`, async () => {
      const ds = await dataset();
      const patch = [{ Op: 'replace' as const, Key: 'k', Value: 'v', SyncCount: 0 }];
      for (let i = 0; i < SYNC_LIMITS.datasetsPerIdentity; i++) await push(deviceA, { ...ds, DatasetName: `ds${i}` }, patch);
      await rejectsWith(push(deviceA, { ...ds, DatasetName: 'one-too-many' }, patch), 'LimitExceededException', 400);
      // Writing to an existing one still works, and a deletion makes room.
      await push(deviceA, { ...ds, DatasetName: 'ds0' }, [{ Op: 'replace', Key: 'k2', Value: 'v', SyncCount: 0 }]);
      await deviceA.send(new DeleteDatasetCommand({ ...ds, DatasetName: 'ds1' }));
      await push(deviceA, { ...ds, DatasetName: 'one-too-many' }, patch);
    });

    test(`a dataset holds at most ${SYNC_LIMITS.recordsPerDataset} records`, async () => {
      const ds = await dataset();
      const full = Array.from({ length: SYNC_LIMITS.recordsPerDataset }, (_, i) => ({ Op: 'replace' as const, Key: `k${i}`, Value: 'v', SyncCount: 0 }));
      await push(deviceA, ds, full);
      await rejectsWith(push(deviceA, ds, [{ Op: 'replace', Key: 'extra', Value: 'v', SyncCount: 0 }]), 'LimitExceededException', 400);
      // Replacing within the limit, or removing then adding, is fine.
      await push(deviceA, ds, [{ Op: 'replace', Key: 'k0', Value: 'w', SyncCount: 1 }]);
      await push(deviceA, ds, [
        { Op: 'remove', Key: 'k1', SyncCount: 1 },
        { Op: 'replace', Key: 'extra', Value: 'v', SyncCount: 0 },
      ]);
      assert.equal((await deviceA.send(new DescribeDatasetCommand(ds))).Dataset!.NumRecords, SYNC_LIMITS.recordsPerDataset);
    });

    test(`a dataset holds at most ${SYNC_LIMITS.bytesPerDataset} bytes of keys and values`, async () => {
      const ds = await dataset();
      const big = 'x'.repeat(600_000);
      await push(deviceA, ds, [{ Op: 'replace', Key: 'one', Value: big, SyncCount: 0 }]);
      await rejectsWith(push(deviceA, ds, [{ Op: 'replace', Key: 'two', Value: big, SyncCount: 0 }]), 'LimitExceededException', 400);
      // Bytes, not characters: 'é' is two bytes in UTF-8.
      const d = await deviceA.send(new DescribeDatasetCommand(ds));
      assert.equal(d.Dataset!.DataStorage, 3 + 600_000);
      await push(deviceA, ds, [{ Op: 'replace', Key: 'one', Value: 'é', SyncCount: 1 }]);
      assert.equal((await deviceA.send(new DescribeDatasetCommand(ds))).Dataset!.DataStorage, 3 + 2);
    });

    test('a record key over 2,048 bytes of UTF-8 (1,024 characters of CJK) is InvalidParameterException and writes nothing', async () => {
      // Within the model's 1,024 characters but over what a PostgreSQL index entry holds.
      const ds = await dataset('long-keys');
      await push(deviceA, ds, [{ Op: 'replace', Key: 'short', Value: 'v', SyncCount: 0 }]);
      const err = await rejectsWith(
        push(deviceA, ds, [
          { Op: 'replace', Key: 'other', Value: 'v', SyncCount: 0 },
          { Op: 'replace', Key: '漢'.repeat(1024), Value: 'v', SyncCount: 0 },
        ]),
        'InvalidParameterException',
        400,
      );
      assert.match(err.message, /2048 bytes/);
      assert.deepEqual(await values(deviceA, ds), { short: 'v' });
      // 682 of them (2,046 bytes) fit.
      await push(deviceA, ds, [{ Op: 'replace', Key: '漢'.repeat(682), Value: 'v', SyncCount: 0 }]);
      assert.equal(Object.keys(await values(deviceA, ds)).length, 2);
    });
  });
}
