// An import batch that falls back to row-by-row inserts (a concurrent writer took one of its
// usernames between the job's checks and its insert) and then sees the pool's rules change
// (frozen settings: case-insensitive usernames) after some rows were committed: the committed rows
// count as imported, not as skipped on the redo, and the rest of the batch follows the new rules.
//
// The race is provoked in-process, at two points of the running job: right after the job has read
// which usernames exist, the test creates one of them with AdminCreateUser (the concurrent writer);
// right after the second row-by-row insert, the next transaction first waits for the frozen-settings
// change applied through the admin endpoint. What is checked is what the SDK answers:
// DescribeUserImportJob's counters and ListUsers. On every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, ListUsersCommand, StartUserImportJobCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ImportRepo, type UserEntry } from '../../../src/store/imports.js';
import type { Store } from '../../../src/store/store.js';
import { ADMIN, engines, startServer, type TestServer } from '../../support/server.js';
import { makePool } from '../auth/support.js';
import { createJob, csv, upload, waitForJob } from './support.js';

for (const engine of engines) {
  describe(`import: rules changed during the row-by-row fallback (${engine})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startServer({ engine });
    });
    after(async () => {
      await s?.close();
    });

    test('rows committed before the change count as imported; the rest follow the new rules', async () => {
      const poolId = await makePool(s, { UsernameConfiguration: { CaseSensitive: true } });
      const job = await createJob(s, poolId);
      const header = ['cognito:username', 'email', 'email_verified', 'cognito:mfa_enabled'];
      const row = (name: string, i: number) => ({ 'cognito:username': name, email: `r${i}@example.com`, email_verified: 'true', 'cognito:mfa_enabled': 'false' });
      // u3 is taken by the concurrent writer; U1 is a new user while usernames are case-sensitive,
      // the existing u1 once they are not.
      const body = csv(header, ['u1', 'u2', 'u3', 'U1', 'u4'].map(row));
      assert.equal((await upload(job.PreSignedUrl!, body)).status, 200);

      const store = s.app.store as Store & { transaction: Store['transaction'] };
      const proto = ImportRepo.prototype;
      const { existingUsernames, insertUsers } = proto;
      const transaction = store.transaction;
      let writerDone = false;
      let pendingChange: (() => Promise<void>) | undefined;
      let changeStatus = 0;
      const singleRows: string[] = [];
      proto.existingUsernames = async function (this: ImportRepo, pool: string, norms: string[]) {
        const found = await existingUsernames.call(this, pool, norms);
        if (pool === poolId && !writerDone && norms.includes('u3')) {
          writerDone = true;
          await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'u3', MessageAction: 'SUPPRESS' }));
        }
        return found;
      };
      proto.insertUsers = async function (this: ImportRepo, entries: UserEntry[]) {
        await insertUsers.call(this, entries);
        if (entries.length === 1 && entries[0]!.row.pool_id === poolId) {
          singleRows.push(entries[0]!.row.username);
          if (singleRows.length === 2) {
            pendingChange = async () => {
              const r = await fetch(`${s.url}/tessera/admin/pools/${poolId}/frozen-settings/apply`, {
                method: 'POST',
                headers: { authorization: `Basic ${Buffer.from(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`).toString('base64')}` },
                body: '{"CaseSensitive":false}',
              });
              changeStatus = r.status;
              await r.text();
            };
          }
        }
      };
      // The next transaction after the second row's (the third row's) begins once the change is applied.
      store.transaction = async function <T>(this: Store, fn: (tx: Store) => Promise<T>): Promise<T> {
        const change = pendingChange;
        pendingChange = undefined;
        if (change) await change();
        return transaction.call(this, fn) as Promise<T>;
      } as Store['transaction'];
      let done;
      try {
        await s.idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
        done = await waitForJob(s, poolId, job.JobId!);
      } finally {
        proto.existingUsernames = existingUsernames;
        proto.insertUsers = insertUsers;
        store.transaction = transaction;
      }
      // The race happened as staged: the batch fell back, two rows went in one by one, then the change.
      assert.ok(writerDone);
      assert.equal(changeStatus, 200);
      assert.deepEqual(singleRows.slice(0, 2), ['u1', 'u2']);

      const users = (await s.idp.send(new ListUsersCommand({ UserPoolId: poolId }))).Users!.map((u) => u.Username).sort();
      assert.deepEqual(users, ['u1', 'u2', 'u3', 'u4']);
      // u1, u2 (before the change) and u4 imported; u3 (the writer's) and U1 (= u1 now) skipped.
      assert.equal(done.Status, 'Succeeded', done.CompletionMessage);
      assert.equal(done.ImportedUsers, 3);
      assert.equal(done.SkippedUsers, 2);
      assert.equal(done.FailedUsers, 0);
      assert.equal(done.ImportedUsers! + 1, users.length);
    });
  });
}
