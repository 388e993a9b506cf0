// Datasets follow identities that merge (MergeDeveloperIdentities, through the real
// cognito-identity client): the survivor lists the merged identity's datasets, a name both had
// comes as `<name>.<merged identity id>`, and ListRecords of `<name>` reports it in
// MergedDatasetNames until the device deletes it (the real cognito-sync client).
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
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { identityClient, push, syncClient } from './support.js';

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

      const merged = await identity.send(
        new MergeDeveloperIdentitiesCommand({ IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'ann-old-phone', DestinationUserIdentifier: 'ann' }),
      );
      assert.equal(merged.IdentityId, dest);

      const mergedName = `settings.${source}`;
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

    test("a guest that signs in as a user with an identity merges into it, and the guest's data comes along", async () => {
      const guests = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'merge_guests', AllowUnauthenticatedIdentities: true, DeveloperProviderName: DEV })))
        .IdentityPoolId!;
      await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: guests, Roles: { authenticated: 'arn:aws:iam::000000000000:role/merge-user' } }));
      const guest = (await identity.send(new GetIdCommand({ IdentityPoolId: guests }))).IdentityId!;
      const user = await identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: guests, Logins: { [DEV]: 'bo' } }));
      const ds = (identityId: string, DatasetName: string) => ({ IdentityPoolId: guests, IdentityId: identityId, DatasetName });
      await push(sync, ds(guest, 'cart'), [{ Op: 'replace', Key: 'apples', Value: '2', SyncCount: 0 }]);
      await push(sync, ds(user.IdentityId!, 'cart'), [{ Op: 'replace', Key: 'pears', Value: '1', SyncCount: 0 }]);
      // The app still holds the guest's id and now shows the user's login (GetCredentialsForIdentity is unsigned).
      const r = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest, Logins: { 'cognito-identity.amazonaws.com': user.Token! } }));
      assert.equal(r.IdentityId, user.IdentityId);
      const records = await sync.send(new ListRecordsCommand(ds(user.IdentityId!, 'cart')));
      assert.deepEqual(records.MergedDatasetNames, [`cart.${guest}`]);
      const merged = await sync.send(new ListRecordsCommand(ds(user.IdentityId!, `cart.${guest}`)));
      assert.deepEqual(merged.Records!.map((x) => [x.Key, x.Value]), [['apples', '2']]);
    });
  });
}
