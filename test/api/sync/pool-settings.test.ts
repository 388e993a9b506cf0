// Pool-level sync settings and push bookkeeping through the real SDK client: configuration (push
// sync, Cognito Streams), Cognito Events (the sync trigger, stored for the triggers work), bulk
// publish, device registration and dataset subscriptions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BulkPublishCommand,
  GetBulkPublishDetailsCommand,
  GetCognitoEventsCommand,
  GetIdentityPoolConfigurationCommand,
  RegisterDeviceCommand,
  SetCognitoEventsCommand,
  SetIdentityPoolConfigurationCommand,
  SubscribeToDatasetCommand,
  UnsubscribeFromDatasetCommand,
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { createIdentity, createIdentityPool, credentialsOf, rejectsWith, syncClient } from './support.js';

const TRIGGER = 'arn:aws:lambda:us-east-1:123456789012:function:on-sync';
const PUSH = { ApplicationArns: ['arn:aws:sns:us-east-1:123456789012:app/GCM/my-app'], RoleArn: 'arn:aws:iam::123456789012:role/push' };
const STREAMS = { StreamName: 'sync-stream', RoleArn: 'arn:aws:iam::123456789012:role/streams', StreamingStatus: 'ENABLED' as const };

for (const engine of engines) {
  describe(`sync pool settings and push devices (${engine})`, () => {
    let s: TestServer;
    let sync: CognitoSyncClient;
    before(async () => {
      s = await startServer({ engine });
      sync = syncClient(s);
    });
    after(async () => {
      sync.destroy();
      await s.close();
    });

    test('configuration: members given replace, members left out stay', async () => {
      const pool = { IdentityPoolId: await createIdentityPool(s) };
      const empty = await sync.send(new GetIdentityPoolConfigurationCommand(pool));
      assert.equal(empty.IdentityPoolId, pool.IdentityPoolId);
      assert.equal(empty.PushSync, undefined);

      const set = await sync.send(new SetIdentityPoolConfigurationCommand({ ...pool, PushSync: PUSH }));
      assert.deepEqual(set.PushSync, PUSH);
      await sync.send(new SetIdentityPoolConfigurationCommand({ ...pool, CognitoStreams: STREAMS }));
      const got = await sync.send(new GetIdentityPoolConfigurationCommand(pool));
      assert.deepEqual(got.PushSync, PUSH);
      assert.deepEqual(got.CognitoStreams, STREAMS);

      await rejectsWith(
        sync.send(new SetIdentityPoolConfigurationCommand({ ...pool, CognitoStreams: { StreamingStatus: 'ENABLED' } })),
        'InvalidParameterException',
        400,
      );
      await rejectsWith(
        sync.send(new SetIdentityPoolConfigurationCommand({ ...pool, PushSync: { ApplicationArns: ['not-an-arn'], RoleArn: PUSH.RoleArn } })),
        'InvalidParameterException',
        400,
      );
      await rejectsWith(
        sync.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' })),
        'ResourceNotFoundException',
        404,
      );
    });

    test('Cognito Events keep the sync trigger; an empty map clears it', async () => {
      const pool = { IdentityPoolId: await createIdentityPool(s) };
      assert.deepEqual((await sync.send(new GetCognitoEventsCommand(pool))).Events, {});
      await sync.send(new SetCognitoEventsCommand({ ...pool, Events: { SyncTrigger: TRIGGER } }));
      assert.deepEqual((await sync.send(new GetCognitoEventsCommand(pool))).Events, { SyncTrigger: TRIGGER });
      await rejectsWith(sync.send(new SetCognitoEventsCommand({ ...pool, Events: { OtherEvent: TRIGGER } })), 'InvalidParameterException', 400);
      await rejectsWith(sync.send(new SetCognitoEventsCommand({ ...pool, Events: { SyncTrigger: 'on-sync' } })), 'InvalidParameterException', 400);
      assert.deepEqual((await sync.send(new GetCognitoEventsCommand(pool))).Events, { SyncTrigger: TRIGGER }, 'a refused change keeps the old events');
      await sync.send(new SetCognitoEventsCommand({ ...pool, Events: {} }));
      assert.deepEqual((await sync.send(new GetCognitoEventsCommand(pool))).Events, {});
    });

    test('bulk publish needs Cognito Streams (publishing itself: delivery.test.ts)', async () => {
      const pool = { IdentityPoolId: await createIdentityPool(s) };
      assert.equal((await sync.send(new GetBulkPublishDetailsCommand(pool))).BulkPublishStatus, 'NOT_STARTED');
      await rejectsWith(sync.send(new BulkPublishCommand(pool)), 'InvalidParameterException', 400);
      await sync.send(new SetIdentityPoolConfigurationCommand({ ...pool, CognitoStreams: { ...STREAMS, StreamingStatus: 'DISABLED' } }));
      await rejectsWith(sync.send(new BulkPublishCommand(pool)), 'InvalidParameterException', 400);
      assert.equal((await sync.send(new GetBulkPublishDetailsCommand(pool))).BulkPublishStatus, 'NOT_STARTED');
    });

    test('devices register once per token and subscribe to datasets of their own identity', async () => {
      const poolId = await createIdentityPool(s);
      const alice = await createIdentity(s, poolId);
      const bob = await createIdentity(s, poolId);
      const device = { IdentityPoolId: poolId, IdentityId: alice, Platform: 'GCM' as const, Token: 'gcm-token-1' };
      await rejectsWith(sync.send(new RegisterDeviceCommand(device)), 'InvalidConfigurationException', 400);
      await sync.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId: poolId, PushSync: PUSH }));

      const asAlice = syncClient(s, await credentialsOf(s, alice));
      try {
        const { DeviceId } = await asAlice.send(new RegisterDeviceCommand(device));
        assert.ok(DeviceId);
        assert.equal((await asAlice.send(new RegisterDeviceCommand(device))).DeviceId, DeviceId, 'the same token is the same device');
        assert.notEqual((await asAlice.send(new RegisterDeviceCommand({ ...device, Token: 'gcm-token-2' }))).DeviceId, DeviceId);

        const sub = { IdentityPoolId: poolId, IdentityId: alice, DatasetName: 'prefs', DeviceId: DeviceId! };
        await asAlice.send(new SubscribeToDatasetCommand(sub));
        await asAlice.send(new SubscribeToDatasetCommand(sub));
        await asAlice.send(new UnsubscribeFromDatasetCommand(sub));
        await rejectsWith(asAlice.send(new SubscribeToDatasetCommand({ ...sub, DeviceId: 'no-such-device' })), 'ResourceNotFoundException', 404);
        // Alice's device is not Bob's.
        await rejectsWith(sync.send(new SubscribeToDatasetCommand({ ...sub, IdentityId: bob })), 'ResourceNotFoundException', 404);
        await rejectsWith(asAlice.send(new SubscribeToDatasetCommand({ ...sub, IdentityId: bob })), 'NotAuthorizedException', 403);
        await rejectsWith(asAlice.send(new RegisterDeviceCommand({ ...device, Platform: 'WINDOWS' as never })), 'InvalidParameterException', 400);
      } finally {
        asAlice.destroy();
      }
    });
  });
}
