// Cognito Events' SyncTrigger through the real cognito-sync client: the identity pool's function
// (a Lambda behind the Lambda Invoke API served by the trigger tests' local server, or a webhook)
// sees each UpdateRecords of an identity and what it returns is what gets stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ListRecordsCommand, SetCognitoEventsCommand, type CognitoSyncClient } from '@aws-sdk/client-cognito-sync';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { arnOf, raw, sleep, startLambdaServer, type LambdaServer } from '../triggers/lambda-server.js';
import { createIdentity, createIdentityPool, credentialsOf, push, rejectsWith, syncClient, type DatasetRef } from './support.js';

/** A game's rules: no cheating key, names upper-cased, a badge at score 10 or more. */
function gameRules(event: any) {
  const records = event.datasetRecords;
  delete records.cheat;
  if (records.name?.op === 'replace') records.name.newValue = records.name.newValue.toUpperCase();
  if (Number(records.score?.newValue) >= 10) records.badge = { newValue: 'gold', op: 'replace' };
  if (records.obsolete) records.obsolete = { op: 'remove' };
  return event;
}

for (const engine of engines) {
  describe(`sync trigger (${engine})`, () => {
    let lambda: LambdaServer;
    let s: TestServer;
    let admin: CognitoSyncClient;
    let poolId: string;
    before(async () => {
      lambda = await startLambdaServer({
        game: gameRules,
        broken: () => {
          throw new Error('the rules engine is down');
        },
        garbage: () => raw('not json at all'),
        norecords: (e: any) => ({ ...e, datasetRecords: undefined }),
        slow: async (e: any) => {
          await sleep(1500);
          return e;
        },
      });
      s = await startServer({ engine, env: { TESSERA_LAMBDA_ENDPOINT: lambda.url } });
      s.app.triggers.limits.timeoutMs = 1000;
      admin = syncClient(s);
      poolId = await createIdentityPool(s);
      await admin.send(new SetCognitoEventsCommand({ IdentityPoolId: poolId, Events: { SyncTrigger: arnOf('game') } }));
    });
    after(async () => {
      admin.destroy();
      await s.close();
      await lambda.close();
    });

    /** A new identity of the pool and a sync client signed with its own credentials. */
    async function device(): Promise<{ ds: DatasetRef; c: CognitoSyncClient }> {
      const identityId = await createIdentity(s, poolId);
      return { ds: { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'game' }, c: syncClient(s, await credentialsOf(s, identityId)) };
    }
    const stored = async (c: CognitoSyncClient, ds: DatasetRef) =>
      Object.fromEntries((await c.send(new ListRecordsCommand(ds))).Records!.filter((r) => r.Value !== undefined).map((r) => [r.Key, r.Value]));

    test("the function gets Cognito Sync's event and its answer is what is stored: values changed, keys dropped, added and removed", async () => {
      lambda.reset();
      const { ds, c } = await device();
      try {
        await push(c, ds, [
          { Op: 'replace', Key: 'name', Value: 'ada', SyncCount: 0 },
          { Op: 'replace', Key: 'obsolete', Value: 'x', SyncCount: 0 },
        ]);
        const first = lambda.events('game')[0];
        assert.deepEqual(first, {
          version: 2,
          eventType: 'SyncTrigger',
          region: 'us-east-1',
          identityPoolId: poolId,
          identityId: ds.IdentityId,
          datasetName: 'game',
          datasetRecords: { name: { newValue: 'ada', op: 'replace' }, obsolete: { newValue: 'x', op: 'replace' } },
        });
        assert.deepEqual(await stored(c, ds), { name: 'ADA' });

        const r = await push(c, ds, [
          { Op: 'replace', Key: 'name', Value: 'grace', SyncCount: 1 },
          { Op: 'replace', Key: 'score', Value: '12', SyncCount: 0 },
          { Op: 'replace', Key: 'cheat', Value: 'infinite-lives', SyncCount: 0 },
        ]);
        assert.deepEqual(lambda.events('game')[1].datasetRecords, {
          name: { oldValue: 'ADA', newValue: 'grace', op: 'replace' },
          score: { newValue: '12', op: 'replace' },
          cheat: { newValue: 'infinite-lives', op: 'replace' },
        });
        assert.deepEqual(Object.fromEntries(r.Records!.map((x) => [x.Key, x.Value])), { name: 'GRACE', score: '12', badge: 'gold' });
        assert.deepEqual(await stored(c, ds), { name: 'GRACE', score: '12', badge: 'gold' });
      } finally {
        c.destroy();
      }
    });

    test('UpdateRecords with developer (admin) credentials does not run the function, as in Cognito', async () => {
      lambda.reset();
      const ds = { IdentityPoolId: poolId, IdentityId: await createIdentity(s, poolId), DatasetName: 'game' };
      await push(admin, ds, [{ Op: 'replace', Key: 'cheat', Value: 'kept', SyncCount: 0 }]);
      assert.equal(lambda.events('game').length, 0);
      assert.deepEqual(await stored(admin, ds), { cheat: 'kept' });
    });

    test('a function that fails or answers something else is InvalidLambdaFunctionOutputException; a slow one LambdaThrottledException; nothing is stored', async () => {
      const { ds, c } = await device();
      try {
        for (const [fn, name, status] of [
          ['broken', 'InvalidLambdaFunctionOutputException', 400],
          ['garbage', 'InvalidLambdaFunctionOutputException', 400],
          ['norecords', 'InvalidLambdaFunctionOutputException', 400],
          ['slow', 'LambdaThrottledException', 429],
        ] as const) {
          await admin.send(new SetCognitoEventsCommand({ IdentityPoolId: poolId, Events: { SyncTrigger: arnOf(fn) } }));
          if (fn === 'slow') s.app.triggers.limits.timeoutMs = 200;
          try {
            await rejectsWith(push(c, ds, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]), name, status);
          } finally {
            s.app.triggers.limits.timeoutMs = 1000;
          }
        }
        assert.deepEqual(await stored(c, ds), {});
      } finally {
        await admin.send(new SetCognitoEventsCommand({ IdentityPoolId: poolId, Events: { SyncTrigger: arnOf('game') } }));
        c.destroy();
      }
    });

    test('a stale write is ResourceConflictException before the function is asked', async () => {
      const { ds, c } = await device();
      try {
        await push(c, ds, [{ Op: 'replace', Key: 'score', Value: '1', SyncCount: 0 }]);
        lambda.reset();
        await rejectsWith(push(c, ds, [{ Op: 'replace', Key: 'score', Value: '2', SyncCount: 0 }]), 'ResourceConflictException', 409);
        assert.equal(lambda.events('game').length, 0);
      } finally {
        c.destroy();
      }
    });

    test('the sync trigger may be a webhook URL: the same event, signed with the webhook secret', async () => {
      const other = await createIdentityPool(s, 'sync_webhook');
      await admin.send(new SetCognitoEventsCommand({ IdentityPoolId: other, Events: { SyncTrigger: `${lambda.url}/hooks/game` } }));
      lambda.reset();
      const identityId = await createIdentity(s, other);
      const c = syncClient(s, await credentialsOf(s, identityId));
      try {
        const ds = { IdentityPoolId: other, IdentityId: identityId, DatasetName: 'game' };
        await push(c, ds, [{ Op: 'replace', Key: 'name', Value: 'lin', SyncCount: 0 }]);
        assert.equal(lambda.received.game[0].via, 'webhook');
        assert.match(String(lambda.received.game[0].headers['x-tessera-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
        assert.deepEqual(await stored(c, ds), { name: 'LIN' });
      } finally {
        c.destroy();
      }
    });
  });
}
