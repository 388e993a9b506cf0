// Who may touch which sync data. End to end: an app signs the cognito-sync client with the
// temporary credentials GetCredentialsForIdentity gave its identity; it reaches its own datasets
// and nothing else. Plus the rule itself, on principals built by hand.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BulkPublishCommand,
  DescribeDatasetCommand,
  DescribeIdentityPoolUsageCommand,
  DescribeIdentityUsageCommand,
  GetBulkPublishDetailsCommand,
  GetCognitoEventsCommand,
  GetIdentityPoolConfigurationCommand,
  ListDatasetsCommand,
  ListIdentityPoolUsageCommand,
  ListRecordsCommand,
  RegisterDeviceCommand,
  SetCognitoEventsCommand,
  SetIdentityPoolConfigurationCommand,
  UpdateRecordsCommand,
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync';
import type { Principal } from '../../../src/protocol/sigv4.js';
import { mayWatch, requireIdentityAccess, requirePoolAdmin } from '../../../src/sync/access.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { createIdentity, createIdentityPool, credentialsOf, push, rejectsWith, syncClient } from './support.js';

describe('the sync access rule', () => {
  const admin: Principal = { kind: 'admin', accessKeyId: 'AKIDADMIN' };
  const alice: Principal = { kind: 'identity', accessKeyId: 'ASIAALICE', identityId: 'us-east-1:a', identityPoolId: 'us-east-1:p' };
  const denied = (f: () => void) => assert.throws(f, (e: Error) => e.name === 'NotAuthorizedException');

  test('the admin reaches every identity and the pool-level operations', () => {
    requireIdentityAccess(admin, 'us-east-1:p', 'us-east-1:anyone');
    requirePoolAdmin(admin, 'us-east-1:p');
    assert.ok(mayWatch(admin, 'us-east-1:p', undefined));
  });

  test('an identity reaches only itself, in its own pool, and no pool-level operation', () => {
    requireIdentityAccess(alice, 'us-east-1:p', 'us-east-1:a');
    denied(() => requireIdentityAccess(alice, 'us-east-1:p', 'us-east-1:b'));
    denied(() => requireIdentityAccess(alice, 'us-east-1:other', 'us-east-1:a'));
    denied(() => requirePoolAdmin(alice, 'us-east-1:p'));
    denied(() => requireIdentityAccess(undefined, 'us-east-1:p', 'us-east-1:a'));
    assert.ok(mayWatch(alice, 'us-east-1:p', 'us-east-1:a'));
    assert.ok(!mayWatch(alice, 'us-east-1:p', 'us-east-1:b'));
    assert.ok(!mayWatch(alice, 'us-east-1:p', undefined), 'only the admin watches a whole pool');
  });
});

for (const engine of engines) {
  describe(`sync with an identity's own credentials (${engine})`, () => {
    let s: TestServer;
    let admin: CognitoSyncClient;
    let asAlice: CognitoSyncClient;
    let poolId: string;
    let alice: string;
    let bob: string;
    before(async () => {
      s = await startServer({ engine });
      admin = syncClient(s);
      poolId = await createIdentityPool(s);
      alice = await createIdentity(s, poolId);
      bob = await createIdentity(s, poolId);
      asAlice = syncClient(s, await credentialsOf(s, alice));
    });
    after(async () => {
      admin.destroy();
      asAlice.destroy();
      await s.close();
    });

    test('an identity syncs its own dataset, and its writes are attributed to it', async () => {
      const ds = { IdentityPoolId: poolId, IdentityId: alice, DatasetName: 'notes' };
      const written = await push(asAlice, ds, [{ Op: 'replace', Key: 'todo', Value: 'milk', SyncCount: 0 }]);
      assert.equal(written.Records![0].LastModifiedBy, alice);
      assert.deepEqual((await asAlice.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: alice }))).Datasets!.map((d) => d.DatasetName), ['notes']);
      assert.equal((await asAlice.send(new DescribeIdentityUsageCommand({ IdentityPoolId: poolId, IdentityId: alice }))).IdentityUsage!.DatasetCount, 1);
      // The admin sees it too.
      assert.equal((await admin.send(new DescribeDatasetCommand(ds))).Dataset!.LastModifiedBy, alice);
    });

    test("another identity's data is refused with NotAuthorizedException (403)", async () => {
      const bobs = { IdentityPoolId: poolId, IdentityId: bob, DatasetName: 'private' };
      await push(admin, bobs, [{ Op: 'replace', Key: 'secret', Value: 's3cr3t', SyncCount: 0 }]);
      await rejectsWith(asAlice.send(new ListRecordsCommand(bobs)), 'NotAuthorizedException', 403);
      await rejectsWith(asAlice.send(new DescribeDatasetCommand(bobs)), 'NotAuthorizedException', 403);
      await rejectsWith(asAlice.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: bob })), 'NotAuthorizedException', 403);
      await rejectsWith(asAlice.send(new DescribeIdentityUsageCommand({ IdentityPoolId: poolId, IdentityId: bob })), 'NotAuthorizedException', 403);
      await rejectsWith(
        asAlice.send(new RegisterDeviceCommand({ IdentityPoolId: poolId, IdentityId: bob, Platform: 'GCM', Token: 't' })),
        'NotAuthorizedException',
        403,
      );
      // A session token of Alice's own dataset does not open Bob's.
      const { SyncSessionToken } = await asAlice.send(new ListRecordsCommand({ ...bobs, IdentityId: alice }));
      await rejectsWith(
        asAlice.send(new UpdateRecordsCommand({ ...bobs, SyncSessionToken, RecordPatches: [{ Op: 'remove', Key: 'secret', SyncCount: 1 }] })),
        'NotAuthorizedException',
        403,
      );
      const still = await admin.send(new ListRecordsCommand(bobs));
      assert.deepEqual(still.Records!.map((r) => r.Value), ['s3cr3t']);
    });

    test('its own identity id under another pool is refused', async () => {
      const otherPool = await createIdentityPool(s, 'elsewhere');
      await rejectsWith(
        asAlice.send(new ListRecordsCommand({ IdentityPoolId: otherPool, IdentityId: alice, DatasetName: 'notes' })),
        'NotAuthorizedException',
        403,
      );
    });

    test('the pool-level operations are for the admin only', async () => {
      const pool = { IdentityPoolId: poolId };
      const attempts = [
        () => asAlice.send(new DescribeIdentityPoolUsageCommand(pool)),
        () => asAlice.send(new ListIdentityPoolUsageCommand({})),
        () => asAlice.send(new GetIdentityPoolConfigurationCommand(pool)),
        () => asAlice.send(new SetIdentityPoolConfigurationCommand({ ...pool, CognitoStreams: { StreamingStatus: 'DISABLED' } })),
        () => asAlice.send(new GetCognitoEventsCommand(pool)),
        () => asAlice.send(new SetCognitoEventsCommand({ ...pool, Events: {} })),
        () => asAlice.send(new BulkPublishCommand(pool)),
        () => asAlice.send(new GetBulkPublishDetailsCommand(pool)),
      ];
      for (const attempt of attempts) await rejectsWith(attempt(), 'NotAuthorizedException', 403);
      // ...and the admin may.
      assert.equal((await admin.send(new GetBulkPublishDetailsCommand(pool))).BulkPublishStatus, 'NOT_STARTED');
    });

    test('a wrong secret with an identity access key is a signature failure', async () => {
      const creds = await credentialsOf(s, alice);
      const forged = syncClient(s, { ...creds, secretAccessKey: creds.secretAccessKey.slice(0, -1) + (creds.secretAccessKey.endsWith('x') ? 'y' : 'x') });
      try {
        await rejectsWith(forged.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: alice })), 'InvalidSignatureException', 403);
      } finally {
        forged.destroy();
      }
    });
  });
}
