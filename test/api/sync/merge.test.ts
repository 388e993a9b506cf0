// Datasets follow identities that merge (MergeDeveloperIdentities, through the real
// cognito-identity client): the survivor lists the merged identity's datasets, a name both had
// comes as `<name>.<merged identity id>`, and ListRecords of `<name>` reports it in
// MergedDatasetNames until the device deletes it (the real cognito-sync client). A merge past the
// 20-datasets limit keeps everything usable but blocks new datasets until enough are deleted;
// over-long `<name>.<id>` names are cut to 128 characters and stay distinct; and the change
// stream of the survivor hears of every dataset that arrived.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand,
  SetIdentityPoolRolesCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import {
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  ListDatasetsCommand,
  ListRecordsCommand,
  UpdateRecordsCommand,
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { identityClient, openStream, push, rejectsWith, syncClient } from './support.js';

const DEV = 'login.tessera.games';

for (const engine of engines) {
  describe(`datasets of merged identities (${engine})`, () => {
    let s: TestServer;
    let identity: CognitoIdentityClient;
    let sync: CognitoSyncClient;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      identity = identityClient(s);
      sync = syncClient(s);
      poolId = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'merge', AllowUnauthenticatedIdentities: false, DeveloperProviderName: DEV })))
        .IdentityPoolId!;
    });
    after(async () => {
      identity.destroy();
      sync.destroy();
      await s.close();
    });

    const identityOf = async (user: string) =>
      (await identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV]: user } }))).IdentityId!;
    const values = async (identityId: string, name: string) =>
      Object.fromEntries(
        (await sync.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName: name }))).Records!.map((r) => [r.Key, r.Value]),
      );

    test('MergeDeveloperIdentities brings the source datasets; a shared name is reported in MergedDatasetNames until deleted', async () => {
      const [dest, source] = [await identityOf('ann'), await identityOf('ann-old-phone')];
      const ds = (identityId: string, DatasetName: string) => ({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName });
      await push(sync, ds(dest, 'settings'), [{ Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0 }]);
      await push(sync, ds(dest, 'scores'), [{ Op: 'replace', Key: 'best', Value: '10', SyncCount: 0 }]);
      await push(sync, ds(source, 'settings'), [
        { Op: 'replace', Key: 'theme', Value: 'light', SyncCount: 0 },
        { Op: 'replace', Key: 'volume', Value: '3', SyncCount: 0 },
      ]);
      await push(sync, ds(source, 'inventory'), [{ Op: 'replace', Key: 'sword', Value: '1', SyncCount: 0 }]);

      const stream = await openStream(s, { identityPoolId: poolId, identityId: dest });
      const merged = await identity.send(
        new MergeDeveloperIdentitiesCommand({ IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'ann-old-phone', DestinationUserIdentifier: 'ann' }),
      );
      assert.equal(merged.IdentityId, dest);

      const mergedName = `settings.${source}`;
      // The survivor's stream hears of both arrivals, under their new names.
      try {
        const heard = [(await stream.next()).data, (await stream.next()).data];
        assert.deepEqual(heard, [
          { datasetName: 'inventory', syncCount: 1, identityId: dest },
          { datasetName: mergedName, syncCount: 1, identityId: dest },
        ]);
      } finally {
        stream.close();
      }
      const listed = await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: dest }));
      assert.deepEqual(listed.Datasets!.map((d) => d.DatasetName).sort(), ['inventory', 'scores', 'settings', mergedName].sort());
      const described = await sync.send(new DescribeDatasetCommand(ds(dest, mergedName)));
      assert.equal(described.Dataset!.NumRecords, 2);
      assert.equal(described.Dataset!.IdentityId, dest);

      const records = await sync.send(new ListRecordsCommand(ds(dest, 'settings')));
      assert.deepEqual(records.MergedDatasetNames, [mergedName]);
      assert.deepEqual(await values(dest, 'settings'), { theme: 'dark' });
      assert.deepEqual(await values(dest, mergedName), { theme: 'light', volume: '3' });
      assert.deepEqual(await values(dest, 'inventory'), { sword: '1' });
      assert.deepEqual((await sync.send(new ListRecordsCommand(ds(dest, 'scores')))).MergedDatasetNames, []);

      // The device folds the merged data in, then deletes the merged dataset: no longer reported.
      await push(sync, ds(dest, 'settings'), [{ Op: 'replace', Key: 'volume', Value: '3', SyncCount: 0 }]);
      await sync.send(new DeleteDatasetCommand(ds(dest, mergedName)));
      assert.deepEqual((await sync.send(new ListRecordsCommand(ds(dest, 'settings')))).MergedDatasetNames, []);
      assert.deepEqual(await values(dest, 'settings'), { theme: 'dark', volume: '3' });
      // The merged identity keeps nothing.
      assert.deepEqual((await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: source }))).Datasets, []);
    });

    test('a chain of merges: what one merge brought moves again with the next, and every merged copy stays reported', async () => {
      const [c, b, a] = [await identityOf('cara'), await identityOf('cara-tablet'), await identityOf('cara-old-phone')];
      const ds = (identityId: string, DatasetName: string) => ({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName });
      await push(sync, ds(a, 'settings'), [{ Op: 'replace', Key: 'from', Value: 'a', SyncCount: 0 }]);
      await push(sync, ds(b, 'settings'), [{ Op: 'replace', Key: 'from', Value: 'b', SyncCount: 0 }]);
      await push(sync, ds(c, 'settings'), [{ Op: 'replace', Key: 'from', Value: 'c', SyncCount: 0 }]);
      const merge = (source: string, dest: string) =>
        identity.send(new MergeDeveloperIdentitiesCommand({ IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: source, DestinationUserIdentifier: dest }));

      assert.equal((await merge('cara-old-phone', 'cara-tablet')).IdentityId, b);
      assert.deepEqual((await sync.send(new ListRecordsCommand(ds(b, 'settings')))).MergedDatasetNames, [`settings.${a}`]);
      assert.equal((await merge('cara-tablet', 'cara')).IdentityId, c);

      const names = (await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: c }))).Datasets!.map((d) => d.DatasetName).sort();
      assert.deepEqual(names, ['settings', `settings.${a}`, `settings.${b}`].sort());
      assert.deepEqual((await sync.send(new ListRecordsCommand(ds(c, 'settings')))).MergedDatasetNames!.sort(), [`settings.${a}`, `settings.${b}`].sort());
      assert.deepEqual(await values(c, 'settings'), { from: 'c' });
      assert.deepEqual(await values(c, `settings.${b}`), { from: 'b' });
      assert.deepEqual(await values(c, `settings.${a}`), { from: 'a' });
      for (const gone of [a, b]) assert.deepEqual((await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: gone }))).Datasets, []);
      // The login of the first identity now reaches the survivor.
      assert.equal(await identityOf('cara-old-phone'), c);
    });

    test("a guest that signs in as a user with an identity merges into it, and the guest's data comes along", async () => {
      const guests = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'merge_guests', AllowUnauthenticatedIdentities: true, DeveloperProviderName: DEV })))
        .IdentityPoolId!;
      await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: guests, Roles: { authenticated: 'arn:aws:iam::000000000000:role/merge-user' } }));
      const guest = (await identity.send(new GetIdCommand({ IdentityPoolId: guests }))).IdentityId!;
      const user = await identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: guests, Logins: { [DEV]: 'bo' } }));
      const ds = (identityId: string, DatasetName: string) => ({ IdentityPoolId: guests, IdentityId: identityId, DatasetName });
      await push(sync, ds(guest, 'cart'), [{ Op: 'replace', Key: 'apples', Value: '2', SyncCount: 0 }]);
      await push(sync, ds(user.IdentityId!, 'cart'), [{ Op: 'replace', Key: 'pears', Value: '1', SyncCount: 0 }]);
      const stream = await openStream(s, { identityPoolId: guests, identityId: user.IdentityId!, dataset: `cart.${guest}` });
      // The app still holds the guest's id and now shows the user's login (GetCredentialsForIdentity is unsigned).
      const r = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest, Logins: { 'cognito-identity.amazonaws.com': user.Token! } }));
      assert.equal(r.IdentityId, user.IdentityId);
      try {
        assert.deepEqual((await stream.next()).data, { datasetName: `cart.${guest}`, syncCount: 1, identityId: user.IdentityId });
      } finally {
        stream.close();
      }
      const records = await sync.send(new ListRecordsCommand(ds(user.IdentityId!, 'cart')));
      assert.deepEqual(records.MergedDatasetNames, [`cart.${guest}`]);
      const merged = await sync.send(new ListRecordsCommand(ds(user.IdentityId!, `cart.${guest}`)));
      assert.deepEqual(merged.Records!.map((x) => [x.Key, x.Value]), [['apples', '2']]);
    });

    test('a merge past the 20-datasets limit keeps every dataset usable, and new ones wait until enough are deleted', async () => {
      const [dest, source] = [await identityOf('cy'), await identityOf('cy-tablet')];
      const ds = (identityId: string, DatasetName: string) => ({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName });
      for (let i = 0; i < 15; i++) await push(sync, ds(dest, `d${i}`), [{ Op: 'replace', Key: 'k', Value: `dest${i}`, SyncCount: 0 }]);
      for (let i = 10; i < 20; i++) await push(sync, ds(source, `d${i}`), [{ Op: 'replace', Key: 'k', Value: `source${i}`, SyncCount: 0 }]);
      await identity.send(
        new MergeDeveloperIdentitiesCommand({ IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'cy-tablet', DestinationUserIdentifier: 'cy' }),
      );
      // Nothing was dropped: 15 own + 5 new names + 5 shared names as <name>.<source>.
      const listed = (await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: dest, MaxResults: 60 }))).Datasets!.map((d) => d.DatasetName!);
      assert.equal(listed.length, 25);
      for (let i = 10; i < 15; i++) assert.ok(listed.includes(`d${i}.${source}`), `d${i}.${source} moved`);
      assert.deepEqual(await values(dest, 'd17'), { k: 'source17' });
      assert.deepEqual(await values(dest, `d12.${source}`), { k: 'source12' });

      // What is there stays writable...
      await push(sync, ds(dest, 'd17'), [{ Op: 'replace', Key: 'k', Value: 'changed', SyncCount: 1 }]);
      assert.deepEqual(await values(dest, 'd17'), { k: 'changed' });
      // ...but a new dataset is refused while 20 or more are live.
      await rejectsWith(push(sync, ds(dest, 'fresh'), [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]), 'LimitExceededException');
      for (let i = 10; i < 15; i++) await sync.send(new DeleteDatasetCommand(ds(dest, `d${i}.${source}`)));
      await rejectsWith(push(sync, ds(dest, 'fresh'), [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]), 'LimitExceededException');
      await sync.send(new DeleteDatasetCommand(ds(dest, 'd0')));
      await push(sync, ds(dest, 'fresh'), [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]);
      assert.deepEqual(await values(dest, 'fresh'), { k: 'v' });
    });

    test('a shared name too long for `<name>.<id>` is cut to 128 characters and stays distinct and usable', async () => {
      const [dest, source] = [await identityOf('di'), await identityOf('di-watch')];
      const ds = (identityId: string, DatasetName: string) => ({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName });
      // Two 128-character names that differ only at the end, both on both identities.
      const [longA, longB] = [`${'a'.repeat(127)}A`, `${'a'.repeat(127)}B`];
      for (const name of [longA, longB]) {
        await push(sync, ds(dest, name), [{ Op: 'replace', Key: 'k', Value: `dest-${name.at(-1)}`, SyncCount: 0 }]);
        await push(sync, ds(source, name), [{ Op: 'replace', Key: 'k', Value: `source-${name.at(-1)}`, SyncCount: 0 }]);
      }
      await identity.send(
        new MergeDeveloperIdentitiesCommand({ IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'di-watch', DestinationUserIdentifier: 'di' }),
      );
      const listed = (await sync.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: dest }))).Datasets!.map((d) => d.DatasetName!);
      const cut = listed.filter((n) => n !== longA && n !== longB);
      assert.equal(cut.length, 2);
      assert.notEqual(cut[0], cut[1]);
      for (const n of cut) {
        assert.ok(n.length <= 128, `${n} is ${n.length} characters`);
        assert.match(n, /^[a-zA-Z0-9_.:-]+$/);
        assert.ok(n.endsWith(`.${source}`));
      }
      // Each long name reports its own merged dataset, which holds that name's data and takes writes.
      for (const name of [longA, longB]) {
        const reported = (await sync.send(new ListRecordsCommand(ds(dest, name)))).MergedDatasetNames!;
        assert.equal(reported.length, 1);
        assert.ok(cut.includes(reported[0]));
        assert.deepEqual(await values(dest, reported[0]), { k: `source-${name.at(-1)}` });
        const page = await sync.send(new ListRecordsCommand(ds(dest, reported[0])));
        await sync.send(
          new UpdateRecordsCommand({
            ...ds(dest, reported[0]),
            SyncSessionToken: page.SyncSessionToken!,
            RecordPatches: [{ Op: 'replace', Key: 'k2', Value: 'more', SyncCount: 0 }],
          }),
        );
        assert.deepEqual(await values(dest, reported[0]), { k: `source-${name.at(-1)}`, k2: 'more' });
      }
    });
  });
}
