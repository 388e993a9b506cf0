// Push sync and Cognito Streams delivered for real: Tessera assumes the pool's roles through STS
// and calls SNS (CreatePlatformEndpoint, Publish) and Kinesis (PutRecord) with the temporary
// credentials, against test/support/aws-services.ts, which checks every SigV4 signature. Changes
// are made through the real cognito-sync SDK client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BulkPublishCommand,
  DeleteDatasetCommand,
  GetBulkPublishDetailsCommand,
  RegisterDeviceCommand,
  SetIdentityPoolConfigurationCommand,
  SubscribeToDatasetCommand,
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync';
import { startAwsServices, type AwsServices } from '../../support/aws-services.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { createIdentity, createIdentityPool, push, rejectsWith, syncClient } from './support.js';

const GCM_APP = 'arn:aws:sns:eu-west-1:123456789012:app/GCM/notes';
const APNS_APP = 'arn:aws:sns:eu-west-1:123456789012:app/APNS/notes';
const PUSH_ROLE = 'arn:aws:iam::123456789012:role/cognito-push';
const STREAM_ROLE = 'arn:aws:iam::123456789012:role/cognito-streams';

for (const engine of engines) {
  describe(`sync deliveries: push sync through SNS, Cognito Streams through Kinesis (${engine})`, () => {
    let aws: AwsServices;
    let s: TestServer;
    let sync: CognitoSyncClient;
    before(async () => {
      aws = await startAwsServices();
      aws.allowRole(PUSH_ROLE);
      aws.allowRole(STREAM_ROLE);
      s = await startServer({
        engine,
        env: { TESSERA_STS_ENDPOINT: aws.url, TESSERA_SNS_ENDPOINT: aws.url, TESSERA_KINESIS_ENDPOINT: aws.url },
      });
      sync = syncClient(s);
    });
    after(async () => {
      sync.destroy();
      await s.close();
      await aws.close();
      assert.deepEqual(aws.badSignatures, [], 'every SNS and Kinesis call was signed with assumed credentials');
    });
    const settled = () => s.app.sync.publisher.idle();

    test('a change is pushed to the other subscribed devices of the identity, through SNS as the push role', async () => {
      const IdentityPoolId = await createIdentityPool(s);
      const IdentityId = await createIdentity(s, IdentityPoolId);
      await sync.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId, PushSync: { ApplicationArns: [GCM_APP, APNS_APP], RoleArn: PUSH_ROLE } }));
      const register = async (Platform: 'GCM' | 'APNS', Token: string) =>
        (await sync.send(new RegisterDeviceCommand({ IdentityPoolId, IdentityId, Platform, Token }))).DeviceId!;
      const phone = await register('GCM', `gcm-${IdentityId}`);
      const tablet = await register('APNS', `apns-${IdentityId}`);
      const watch = await register('GCM', `gcm-watch-${IdentityId}`);
      const ds = { IdentityPoolId, IdentityId, DatasetName: 'notes' };
      for (const DeviceId of [phone, tablet]) await sync.send(new SubscribeToDatasetCommand({ ...ds, DeviceId }));
      // The watch is registered but not subscribed: it hears nothing.
      const assumedBefore = aws.assumed.length;
      const publishedBefore = aws.published.length;

      await push(sync, ds, [{ Op: 'replace', Key: 'title', Value: 'groceries', SyncCount: 0 }], phone);
      await settled();
      const first = aws.published.slice(publishedBefore);
      assert.equal(first.length, 1, 'only the tablet: the phone made the change, the watch is not subscribed');
      const tabletEndpoint = first[0].targetArn;
      assert.deepEqual(aws.endpoints.get(tabletEndpoint), { applicationArn: APNS_APP, token: `apns-${IdentityId}`, customUserData: undefined });
      assert.equal(first[0].roleArn, PUSH_ROLE);
      assert.equal(first[0].messageStructure, 'json');
      const message = JSON.parse(first[0].message) as Record<string, string>;
      const apns = JSON.parse(message.APNS) as { aps: Record<string, number>; data: Record<string, string> };
      assert.deepEqual(apns.aps, { 'content-available': 1 }, 'a silent push');
      assert.deepEqual(apns.data, { source: 'cognito-sync', identityPoolId: IdentityPoolId, identityId: IdentityId, datasetName: 'notes', syncCount: '1' });
      assert.deepEqual(JSON.parse(message.GCM), { data: apns.data });
      assert.deepEqual(JSON.parse(message.default), apns.data);
      assert.deepEqual(aws.assumed.slice(assumedBefore), [{ roleArn: PUSH_ROLE, sessionName: 'tessera-cognito-sync' }]);

      // A change from elsewhere (no DeviceId) reaches both subscribed devices; the tablet keeps its
      // endpoint, the phone gets one; the assumed credentials are reused.
      await push(sync, ds, [{ Op: 'replace', Key: 'title', Value: 'errands', SyncCount: 1 }]);
      await settled();
      const second = aws.published.slice(publishedBefore + 1);
      assert.equal(second.length, 2);
      const phoneEndpoint = second.map((p) => p.targetArn).find((a) => a !== tabletEndpoint)!;
      assert.ok(second.some((p) => p.targetArn === tabletEndpoint));
      assert.equal(aws.endpoints.get(phoneEndpoint)?.token, `gcm-${IdentityId}`);
      assert.equal(aws.endpoints.get(phoneEndpoint)?.applicationArn, GCM_APP);
      for (const p of second) assert.equal((JSON.parse(JSON.parse(p.message).GCM) as { data: { syncCount: string } }).data.syncCount, '2');
      assert.equal(aws.assumed.length, assumedBefore + 1, 'one AssumeRole for both changes');
      assert.ok(![...aws.endpoints.values()].some((e) => e.token === `gcm-watch-${IdentityId}`), 'no endpoint for the unsubscribed watch');
      void watch;

      // SNS deleted the tablet's endpoint (its token went stale): the next push makes a new one.
      aws.deleteEndpoint(tabletEndpoint);
      await push(sync, ds, [{ Op: 'replace', Key: 'title', Value: 'chores', SyncCount: 2 }], phone);
      await settled();
      const third = aws.published.slice(publishedBefore + 3);
      assert.equal(third.length, 1);
      assert.notEqual(third[0].targetArn, tabletEndpoint);
      assert.equal(aws.endpoints.get(third[0].targetArn)?.token, `apns-${IdentityId}`);

      // Deleting the dataset is a change too.
      await sync.send(new DeleteDatasetCommand(ds));
      await settled();
      const fourth = aws.published.slice(publishedBefore + 4);
      assert.equal(fourth.length, 2);
      for (const p of fourth) assert.equal((JSON.parse(JSON.parse(p.message).default) as { syncCount: string }).syncCount, '4');
    });

    test('a failed push is not the writer\'s error, and the next change is delivered', async () => {
      const IdentityPoolId = await createIdentityPool(s);
      const IdentityId = await createIdentity(s, IdentityPoolId);
      await sync.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId, PushSync: { ApplicationArns: [GCM_APP], RoleArn: PUSH_ROLE } }));
      const DeviceId = (await sync.send(new RegisterDeviceCommand({ IdentityPoolId, IdentityId, Platform: 'GCM', Token: `t-${IdentityId}` }))).DeviceId!;
      const ds = { IdentityPoolId, IdentityId, DatasetName: 'settings' };
      await sync.send(new SubscribeToDatasetCommand({ ...ds, DeviceId }));
      const before = aws.published.length;
      aws.failPublish(10); // more than the SDK's attempts
      const written = await push(sync, ds, [{ Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0 }]);
      assert.equal(written.Records?.[0]?.SyncCount, 1, 'UpdateRecords answered as usual');
      await settled();
      assert.equal(aws.published.length, before);
      aws.failPublish(0);
      await push(sync, ds, [{ Op: 'replace', Key: 'theme', Value: 'light', SyncCount: 1 }]);
      await settled();
      assert.equal(aws.published.length, before + 1);
    });

    test('with Cognito Streams enabled each change is one Kinesis record on the stream, as the streams role', async () => {
      const IdentityPoolId = await createIdentityPool(s);
      const IdentityId = await createIdentity(s, IdentityPoolId);
      aws.createStream('sync-changes');
      await sync.send(
        new SetIdentityPoolConfigurationCommand({ IdentityPoolId, CognitoStreams: { StreamName: 'sync-changes', RoleArn: STREAM_ROLE, StreamingStatus: 'ENABLED' } }),
      );
      const ds = { IdentityPoolId, IdentityId, DatasetName: 'game' };
      const before = aws.records.length;
      const device = new Date('2026-11-01T10:00:00Z');
      // The first record is held back at Kinesis: the second change must still follow it.
      aws.delayNextPut(300);
      await push(sync, ds, [
        { Op: 'replace', Key: 'level', Value: '3', SyncCount: 0, DeviceLastModifiedDate: device },
        { Op: 'replace', Key: 'score', Value: '120', SyncCount: 0 },
      ]);
      await push(sync, ds, [{ Op: 'remove', Key: 'score', SyncCount: 1 }]);
      await sync.send(new DeleteDatasetCommand(ds));
      await settled();
      const records = aws.records.slice(before);
      assert.equal(records.length, 3, 'two updates and the deletion, in the order they committed');
      for (const r of records) {
        assert.equal(r.streamName, 'sync-changes');
        assert.equal(r.partitionKey, IdentityId);
        assert.equal(r.roleArn, STREAM_ROLE);
      }
      type Rec = { identityPoolId: string; identityId: string; dataSetName: string; operation: string; syncCount: number; payloadType: string; kinesisSyncRecordsURL: unknown; lastModifiedDate: number; kinesisSyncRecords: { key: string; value: string | null; op: string; syncCount: number; deviceLastModifiedDate: number | null; lastModifiedDate: number }[] };
      const [first, second, third] = records.map((r) => r.data as Rec);
      assert.equal(first.identityPoolId, IdentityPoolId);
      assert.equal(first.identityId, IdentityId);
      assert.equal(first.dataSetName, 'game');
      assert.equal(first.operation, 'replace');
      assert.equal(first.payloadType, 'Inline');
      assert.equal(first.kinesisSyncRecordsURL, null);
      assert.equal(first.syncCount, 1);
      assert.ok(Math.abs(first.lastModifiedDate - Date.now()) < 60_000);
      const byKey = Object.fromEntries(first.kinesisSyncRecords.map((r) => [r.key, r]));
      assert.deepEqual(
        { value: byKey.level.value, op: byKey.level.op, syncCount: byKey.level.syncCount, device: byKey.level.deviceLastModifiedDate },
        { value: '3', op: 'replace', syncCount: 1, device: device.getTime() },
      );
      assert.equal(byKey.score.value, '120');
      assert.deepEqual(
        second.kinesisSyncRecords.map((r) => ({ key: r.key, value: r.value, op: r.op, syncCount: r.syncCount })),
        [{ key: 'score', value: null, op: 'remove', syncCount: 2 }],
      );
      assert.equal(third.operation, 'remove');
      assert.equal(third.syncCount, 3);
      assert.deepEqual(third.kinesisSyncRecords, []);
    });

    test('bulk publish puts every live dataset of the pool on the stream, then says SUCCEEDED; a missing stream makes it FAILED', async () => {
      const IdentityPoolId = await createIdentityPool(s);
      const pool = { IdentityPoolId };
      const [a, b] = [await createIdentity(s, IdentityPoolId), await createIdentity(s, IdentityPoolId)];
      await push(sync, { IdentityPoolId, IdentityId: a, DatasetName: 'one' }, [{ Op: 'replace', Key: 'k', Value: 'a1', SyncCount: 0 }]);
      await push(sync, { IdentityPoolId, IdentityId: a, DatasetName: 'two' }, [
        { Op: 'replace', Key: 'x', Value: 'gone', SyncCount: 0 },
        { Op: 'replace', Key: 'y', Value: 'kept', SyncCount: 0 },
      ]);
      await push(sync, { IdentityPoolId, IdentityId: a, DatasetName: 'two' }, [{ Op: 'remove', Key: 'x', SyncCount: 1 }]);
      await push(sync, { IdentityPoolId, IdentityId: b, DatasetName: 'one' }, [{ Op: 'replace', Key: 'k', Value: 'b1', SyncCount: 0 }]);
      await push(sync, { IdentityPoolId, IdentityId: b, DatasetName: 'dropped' }, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]);
      await sync.send(new DeleteDatasetCommand({ IdentityPoolId, IdentityId: b, DatasetName: 'dropped' }));
      await settled();

      // Streams enabled only now: the data written before reaches the stream by bulk publish.
      const stream = `bulk-${IdentityPoolId.split(':')[1]}`;
      await sync.send(new SetIdentityPoolConfigurationCommand({ ...pool, CognitoStreams: { StreamName: stream, RoleArn: STREAM_ROLE, StreamingStatus: 'ENABLED' } }));
      await sync.send(new BulkPublishCommand(pool));
      await settled();
      let details = await sync.send(new GetBulkPublishDetailsCommand(pool));
      assert.equal(details.BulkPublishStatus, 'FAILED', 'the stream does not exist yet');
      assert.match(details.FailureMessage ?? '', /ResourceNotFoundException/);
      assert.ok(details.BulkPublishCompleteTime instanceof Date);

      aws.createStream(stream);
      await sync.send(new BulkPublishCommand(pool));
      await settled();
      details = await sync.send(new GetBulkPublishDetailsCommand(pool));
      assert.equal(details.BulkPublishStatus, 'SUCCEEDED');
      assert.equal(details.FailureMessage, undefined);
      const published = aws.records
        .filter((r) => r.streamName === stream)
        .map((r) => r.data as { identityId: string; dataSetName: string; operation: string; syncCount: number; kinesisSyncRecords: { key: string; value: string }[] });
      assert.deepEqual(
        published.map((p) => ({ id: p.identityId, name: p.dataSetName, op: p.operation, count: p.syncCount, records: p.kinesisSyncRecords.map((r) => `${r.key}=${r.value}`) })),
        [
          { id: a, name: 'one', op: 'replace', count: 1, records: ['k=a1'] },
          { id: a, name: 'two', op: 'replace', count: 2, records: ['y=kept'] },
          { id: b, name: 'one', op: 'replace', count: 1, records: ['k=b1'] },
        ].sort((x, y) => (x.id === y.id ? x.name.localeCompare(y.name) : x.id < y.id ? -1 : 1)),
        'every live dataset once, with its live records only; the deleted one not at all',
      );
      await rejectsWith(sync.send(new BulkPublishCommand(pool)), 'AlreadyStreamedException', 400);
    });

    test('a server that stops during a bulk publish ends it after the record under way, as FAILED', async () => {
      const s2 = await startServer({ engine, env: { TESSERA_STS_ENDPOINT: aws.url, TESSERA_SNS_ENDPOINT: aws.url, TESSERA_KINESIS_ENDPOINT: aws.url } });
      const sync2 = syncClient(s2);
      try {
        const IdentityPoolId = await createIdentityPool(s2);
        const IdentityId = await createIdentity(s2, IdentityPoolId);
        for (const DatasetName of ['a', 'b', 'c']) await push(sync2, { IdentityPoolId, IdentityId, DatasetName }, [{ Op: 'replace', Key: 'k', Value: DatasetName, SyncCount: 0 }]);
        const stream = `stopping-${IdentityPoolId.split(':')[1]}`;
        aws.createStream(stream);
        await sync2.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId, CognitoStreams: { StreamName: stream, RoleArn: STREAM_ROLE, StreamingStatus: 'ENABLED' } }));
        aws.delayNextPut(400);
        await sync2.send(new BulkPublishCommand({ IdentityPoolId }));
        await new Promise((r) => setTimeout(r, 100)); // the first record is at Kinesis
        await s2.app.sync.publisher.close();
        const state = await s2.app.sync.settings.bulkPublishState(IdentityPoolId);
        assert.equal(state.status, 'FAILED');
        assert.match(state.failure ?? '', /server stopped/);
        assert.equal(aws.records.filter((r) => r.streamName === stream).length, 1, 'the record under way was finished, no more were started');
      } finally {
        sync2.destroy();
        await s2.close();
      }
    });

    test('bulk publish: a role STS refuses makes it FAILED; one under way refuses another; one cut short reads FAILED', async () => {
      const IdentityPoolId = await createIdentityPool(s);
      const pool = { IdentityPoolId };
      await push(sync, { IdentityPoolId, IdentityId: await createIdentity(s, IdentityPoolId), DatasetName: 'd' }, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]);
      const stream = `refused-${IdentityPoolId.split(':')[1]}`;
      aws.createStream(stream);
      const unknownRole = 'arn:aws:iam::123456789012:role/not-trusted';
      await sync.send(new SetIdentityPoolConfigurationCommand({ ...pool, CognitoStreams: { StreamName: stream, RoleArn: unknownRole, StreamingStatus: 'ENABLED' } }));
      await sync.send(new BulkPublishCommand(pool));
      await settled();
      const failed = await sync.send(new GetBulkPublishDetailsCommand(pool));
      assert.equal(failed.BulkPublishStatus, 'FAILED');
      assert.match(failed.FailureMessage ?? '', /AccessDenied/);
      assert.doesNotMatch(failed.FailureMessage ?? '', /not-trusted|sts:AssumeRole/, 'the AWS message stays in the log');
      assert.equal(aws.records.filter((r) => r.streamName === stream).length, 0);

      // The state as a process leaves it while it publishes, then as one that stopped leaves it.
      const startedAt = Date.now() - 60_000;
      const setState = async (state: object) => {
        const row = (await s.app.store.sync.getPoolSettings(IdentityPoolId))!;
        await s.app.store.sync.putPoolSettings({ ...row, bulk_publish: JSON.stringify(state) });
      };
      await setState({ status: 'IN_PROGRESS', startedAt, aliveAt: Date.now() - 10_000 });
      assert.equal((await sync.send(new GetBulkPublishDetailsCommand(pool))).BulkPublishStatus, 'IN_PROGRESS');
      await rejectsWith(sync.send(new BulkPublishCommand(pool)), 'DuplicateRequestException', 400);
      await setState({ status: 'IN_PROGRESS', startedAt: startedAt - 3_600_000, aliveAt: Date.now() - 10 * 60_000 });
      const cut = await sync.send(new GetBulkPublishDetailsCommand(pool));
      assert.equal(cut.BulkPublishStatus, 'FAILED');
      assert.match(cut.FailureMessage ?? '', /interrupted/);
      await sync.send(new SetIdentityPoolConfigurationCommand({ ...pool, CognitoStreams: { StreamName: stream, RoleArn: STREAM_ROLE, StreamingStatus: 'ENABLED' } }));
      await sync.send(new BulkPublishCommand(pool));
      await settled();
      assert.equal((await sync.send(new GetBulkPublishDetailsCommand(pool))).BulkPublishStatus, 'SUCCEEDED');
      assert.equal(aws.records.filter((r) => r.streamName === stream).length, 1);
    });
  });
}
