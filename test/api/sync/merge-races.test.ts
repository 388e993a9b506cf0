// Sync writes that meet a merge of their identity, and deleted identities' data, through the real
// cognito-identity and cognito-sync clients, on both engines:
// - an UpdateRecords running while MergeDeveloperIdentities moves its identity's datasets either
//   lands before the move (its records move too) or is refused afterwards; a write that was
//   answered as saved is never lost (PostgreSQL used to copy a stale dataset row and lose it);
// - the survivor creating a dataset of the same name during the merge gets no 500: made first, it
//   keeps the name and the moved one takes `<name>.<merged id>`; made after, it conflicts with the
//   moved records as any stale write does;
// - a write to an identity that was merged is ResourceNotFoundException naming the survivor;
// - DeleteIdentities and DeleteIdentityPool take the sync data along: no longer counted nor published.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateIdentityPoolCommand, DeleteIdentitiesCommand, DeleteIdentityPoolCommand, GetOpenIdTokenForDeveloperIdentityCommand, MergeDeveloperIdentitiesCommand, type CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import {
  DescribeIdentityPoolUsageCommand,
  DescribeIdentityUsageCommand,
  ListDatasetsCommand,
  ListRecordsCommand,
  UpdateRecordsCommand,
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { identityClient, push, rejectsWith, syncClient } from './support.js';

const DEV = 'login.races.example';

for (const engine of engines) {
  describe(`sync writes racing identity merges, and deleted identities (${engine})`, () => {
    let s: TestServer;
    let identity: CognitoIdentityClient;
    let sync: CognitoSyncClient;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      identity = identityClient(s);
      sync = syncClient(s);
      poolId = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'races', AllowUnauthenticatedIdentities: false, DeveloperProviderName: DEV })))
        .IdentityPoolId!;
    });
    after(async () => {
      identity.destroy();
      sync.destroy();
      await s.close();
    });

    const identityOf = async (user: string) =>
      (await identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV]: user } }))).IdentityId!;
    const mergeInto = (source: string, dest: string) =>
      identity.send(new MergeDeveloperIdentitiesCommand({ IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: source, DestinationUserIdentifier: dest }));
    const liveValues = async (identityId: string, name: string) =>
      (await sync.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName: name }))).Records!.filter((r) => r.Value != null).length;

    test('an UpdateRecords racing a merge either moves with the dataset or is refused; an acknowledged write is never lost', async () => {
      const outcomes: string[] = [];
      for (const [round, delay] of [0, 1, 3, 6, 10, 0, 2, 5].entries()) {
        const [src, dst] = [await identityOf(`src-${round}`), await identityOf(`dst-${round}`)];
        const ds = { IdentityPoolId: poolId, IdentityId: src, DatasetName: 'data' };
        await push(sync, ds, [{ Op: 'replace', Key: 'seed', Value: 'x', SyncCount: 0 }]);
        const { SyncSessionToken } = await sync.send(new ListRecordsCommand(ds));
        const patches = Array.from({ length: 400 }, (_, j) => ({ Op: 'replace' as const, Key: `k${j}`, Value: 'v', SyncCount: 0 }));
        const update = sync.send(new UpdateRecordsCommand({ ...ds, SyncSessionToken, RecordPatches: patches })).then(
          () => 'saved',
          (e: Error) => `${e.name}: ${e.message}`,
        );
        await new Promise((r) => setTimeout(r, delay));
        await mergeInto(`src-${round}`, `dst-${round}`);
        const outcome = await update;
        const moved = await liveValues(dst, 'data');
        if (outcome === 'saved') assert.equal(moved, 401, `round ${round}: the saved write's records moved with the dataset`);
        else {
          assert.match(outcome, /^ResourceNotFoundException: Identity '.*' was merged into '.*'/, `round ${round}`);
          assert.equal(moved, 1, `round ${round}: only the seed moved`);
        }
        outcomes.push(outcome === 'saved' ? 'saved' : 'refused');
      }
      // Either order may win each round; what matters is that no round lost data (asserted above).
      assert.equal(outcomes.length, 8);
    });

    test('the survivor creating a dataset of the same name during the merge: no 500; whichever comes first, nothing is lost', async () => {
      for (let round = 0; round < 6; round++) {
        const [src, dst] = [await identityOf(`same-src-${round}`), await identityOf(`same-dst-${round}`)];
        await push(sync, { IdentityPoolId: poolId, IdentityId: src, DatasetName: 'data' }, [{ Op: 'replace', Key: 'from', Value: 'source', SyncCount: 0 }]);
        const created = push(sync, { IdentityPoolId: poolId, IdentityId: dst, DatasetName: 'data' }, [{ Op: 'replace', Key: 'from', Value: 'dest', SyncCount: 0 }]).then(
          () => 'saved',
          (e: Error) => e.name,
        );
        const [merged, write] = await Promise.all([mergeInto(`same-src-${round}`, `same-dst-${round}`), created]);
        assert.equal(merged.IdentityId, dst);
        const names = (await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: dst }))).Datasets!.map((d) => d.DatasetName).sort();
        const value = async (name: string) =>
          (await sync.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: dst, DatasetName: name }))).Records!.find((r) => r.Key === 'from')?.Value;
        if (write === 'saved') {
          // The survivor's dataset came first: the moved one is renamed.
          assert.deepEqual(names, ['data', `data.${src}`], `round ${round}`);
          assert.equal(await value('data'), 'dest');
          assert.equal(await value(`data.${src}`), 'source');
        } else {
          // The move came first: the survivor's write, based on no record, conflicts with the moved one.
          assert.equal(write, 'ResourceConflictException', `round ${round}`);
          assert.deepEqual(names, ['data'], `round ${round}`);
          assert.equal(await value('data'), 'source');
        }
      }
    });

    test('a write to an identity that was merged is ResourceNotFoundException naming the survivor', async () => {
      const [src, dst] = [await identityOf('late-src'), await identityOf('late-dst')];
      const ds = { IdentityPoolId: poolId, IdentityId: src, DatasetName: 'late' };
      await push(sync, ds, [{ Op: 'replace', Key: 'a', Value: '1', SyncCount: 0 }]);
      await mergeInto('late-src', 'late-dst');
      const e = await rejectsWith(push(sync, ds, [{ Op: 'replace', Key: 'b', Value: '2', SyncCount: 0 }]), 'ResourceNotFoundException');
      assert.match(e.message, new RegExp(`was merged into '${dst}'`));
      assert.equal(await liveValues(dst, 'late'), 1);
    });

    test('DeleteIdentities takes their sync data along: the usage reports drop it', async () => {
      const own = await identityOf('stays');
      const gone = await identityOf('deleted');
      await push(sync, { IdentityPoolId: poolId, IdentityId: own, DatasetName: 'kept' }, [{ Op: 'replace', Key: 'a', Value: 'b', SyncCount: 0 }]);
      const before = (await sync.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: poolId }))).IdentityPoolUsage!;
      await push(sync, { IdentityPoolId: poolId, IdentityId: gone, DatasetName: 'secret' }, [{ Op: 'replace', Key: 'secret', Value: 'of-the-deleted-identity', SyncCount: 0 }]);
      const grown = (await sync.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: poolId }))).IdentityPoolUsage!;
      assert.ok(grown.DataStorage! > before.DataStorage!);
      await identity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [gone] }));
      const after = (await sync.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: poolId }))).IdentityPoolUsage!;
      assert.equal(after.DataStorage, before.DataStorage);
      assert.equal(after.SyncSessionsCount, before.SyncSessionsCount);
      await rejectsWith(sync.send(new DescribeIdentityUsageCommand({ IdentityPoolId: poolId, IdentityId: gone })), 'ResourceNotFoundException');
      const rows = await s.app.store.db.selectFrom('sync_datasets').select('name').where('identity_id', '=', gone).execute();
      assert.deepEqual(rows, []);
      assert.equal(await liveValues(own, 'kept'), 1);
    });

    test("DeleteIdentityPool takes the pool's sync data along", async () => {
      const other = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'doomed', AllowUnauthenticatedIdentities: false, DeveloperProviderName: DEV })))
        .IdentityPoolId!;
      const id = (await identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: other, Logins: { [DEV]: 'someone' } }))).IdentityId!;
      await push(sync, { IdentityPoolId: other, IdentityId: id, DatasetName: 'd' }, [{ Op: 'replace', Key: 'a', Value: 'b', SyncCount: 0 }]);
      await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: other }));
      for (const table of ['sync_datasets', 'sync_records'] as const) {
        assert.deepEqual(await s.app.store.db.selectFrom(table).select('pool_id').where('pool_id', '=', other).execute(), [], table);
      }
    });
  });
}
