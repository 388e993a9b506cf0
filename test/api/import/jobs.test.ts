// User import jobs through the real SDK: GetCSVHeader, CreateUserImportJob with Tessera's own
// pre-signed URL (PUT by fetch and by curl -T), StartUserImportJob running in the background,
// per-row results, Stop, Describe, List with PaginationToken, and the users that arrive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  AddCustomAttributesCommand,
  AdminGetUserCommand,
  DeleteUserPoolCommand,
  GetCSVHeaderCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { errorOf, makePool } from '../auth/support.js';
import { createJob, csv, importCsv, upload, waitForJob } from './support.js';

const HEADER = ['cognito:username', 'name', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'cognito:mfa_enabled', 'custom:plan'];

for (const engine of engines) {
  describe(`user import jobs (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      poolId = await makePool(s, { AutoVerifiedAttributes: ['email'], AliasAttributes: ['email'] });
      await s.idp.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: [{ Name: 'plan', AttributeDataType: 'String' }] }));
    });
    after(() => s.close());

    test("GetCSVHeader lists the pool's attributes in schema order, custom ones last, then cognito:mfa_enabled and cognito:username", async () => {
      const r = await s.idp.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
      assert.equal(r.UserPoolId, poolId);
      const h = r.CSVHeader!;
      assert.deepEqual(h.slice(0, 3), ['name', 'given_name', 'family_name']);
      assert.deepEqual(h.slice(-3), ['custom:plan', 'cognito:mfa_enabled', 'cognito:username']);
      assert.ok(h.includes('email_verified') && h.includes('updated_at'));
      assert.ok(!h.includes('sub') && !h.includes('identities'));
    });

    test('a job imports valid rows as RESET_REQUIRED, fails invalid ones with reasons, and says so', async () => {
      const rows = [
        { 'cognito:username': 'ada', name: 'Ada', email: 'ada@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false', 'custom:plan': 'gold' },
        { 'cognito:username': 'bob', email: 'bob@example.com', email_verified: 'true', phone_number: '+15550001', 'cognito:mfa_enabled': 'true' },
        { 'cognito:username': 'nocontact', 'cognito:mfa_enabled': 'false' },
        { 'cognito:username': 'bademail', email: 'not-an-email', email_verified: 'true', 'cognito:mfa_enabled': 'false' },
        { 'cognito:username': 'mfanophone', email: 'm@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'true' },
        { 'cognito:username': 'dupmail', email: 'ADA@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' },
        { 'cognito:username': '', email: 'x@example.com', email_verified: 'true' },
        { 'cognito:username': 'x'.repeat(3000), email: 'long@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' },
        { 'cognito:username': 'has space', email: 'space@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' },
        { 'cognito:username': 'nulname', name: 'a\u0000b', email: 'nul@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' },
        { 'cognito:username': 'nul\u0000user', email: 'nul2@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' },
      ];
      const { created, done } = await importCsv(s, poolId, csv(HEADER, rows));
      assert.match(created.PreSignedUrl!, new RegExp(`^${s.url}/_tessera/import/${created.JobId}\\?token=`));
      assert.equal(created.Status, 'Created');
      assert.equal(done.Status, 'Succeeded');
      assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [2, 0, 9]);
      assert.match(done.CompletionMessage!, /2 imported, 0 skipped, 9 failed/);
      assert.ok(done.StartDate && done.CompletionDate && done.CompletionDate >= done.StartDate);
      assert.equal(done.PreSignedUrl, undefined);

      const ada = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ada' }));
      assert.equal(ada.UserStatus, 'RESET_REQUIRED');
      const attrs = Object.fromEntries(ada.UserAttributes!.map((a) => [a.Name, a.Value]));
      assert.equal(attrs['custom:plan'], 'gold');
      assert.equal(attrs.email_verified, 'true');
      assert.ok(attrs.sub);
      const bob = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob' }));
      assert.deepEqual(bob.UserMFASettingList, ['SMS_MFA']);

      // The job's log: line numbers of the file (header = 1) and Cognito-worded reasons.
      const log = await (await fetch(created.PreSignedUrl!.replace('?token=', '/errors?token='))).text();
      const lines = log.trim().split('\n');
      assert.equal(lines[0], 'line,username,message');
      assert.equal(lines.length, 10);
      assert.match(log, /^4,nocontact,.*verified email/m);
      assert.match(log, /^5,bademail,Invalid email address format\./m);
      assert.match(log, /^6,mfanophone,.*phone_number/m);
      assert.match(log, /^7,dupmail,An account with the given email already exists\./m);
      assert.match(log, /^8,,cognito:username is required/m);
      // Usernames as AdminCreateUser takes them (a 3,000-character one would also overflow PostgreSQL's index).
      assert.match(log, /^9,x{3000},.*'username' failed to satisfy constraint: Member must have length less than or equal to 128/m);
      assert.match(log, /^10,has space,.*'username' failed to satisfy constraint: Member must satisfy regular expression pattern/m);
      // A NUL in a value, which PostgreSQL cannot store: the row fails, not the whole job.
      assert.match(log, /^11,nulname,.*must not contain NUL characters/m);
      // A NUL in the name itself: the error record keeps it as U+FFFD.
      assert.match(log, /^12,nul\ufffduser,.*'username'/m);
    });

    test('running the same file again skips the users the pool already has', async () => {
      const rows = [{ 'cognito:username': 'ada', email: 'ada2@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' }];
      const { done } = await importCsv(s, poolId, csv(HEADER, rows));
      assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [0, 1, 0]);
    });

    test('a header with an unknown column or without cognito:username fails the job, naming the problem', async () => {
      const bad = await importCsv(s, poolId, 'cognito:username,cognito:mfa_enabled,favourite_colour\nx,false,blue\n');
      assert.equal(bad.done.Status, 'Failed');
      assert.match(bad.done.CompletionMessage!, /favourite_colour/);
      const none = await importCsv(s, poolId, 'email,cognito:mfa_enabled\nx@example.com,false\n');
      assert.equal(none.done.Status, 'Failed');
      assert.match(none.done.CompletionMessage!, /cognito:username/);
    });

    test('quoted values, CRLF line ends and a byte-order mark are read as CSV', async () => {
      const body = '\ufeffcognito:username,name,email,email_verified,cognito:mfa_enabled\r\nquoted,"Lovelace, Ada ""The First""",q@example.com,true,false\r\n';
      const { done } = await importCsv(s, poolId, body);
      assert.equal(done.ImportedUsers, 1);
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'quoted' }));
      assert.equal(u.UserAttributes!.find((a) => a.Name === 'name')!.Value, 'Lovelace, Ada "The First"');
    });

    test('curl -T uploads to the pre-signed URL like S3 (200 and an ETag)', { skip: !existsSync('/usr/bin/curl') && 'curl is not installed' }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tessera-import-'));
      try {
        const file = join(dir, 'users.csv');
        writeFileSync(file, csv(HEADER, [{ 'cognito:username': 'curly', email: 'curly@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' }]));
        const job = await createJob(s, poolId);
        const { stdout } = await promisify(execFile)('/usr/bin/curl', ['-sS', '-i', '-T', file, '-H', 'x-amz-server-side-encryption: aws:kms', job.PreSignedUrl!]);
        assert.match(stdout, /^HTTP\/1\.1 200 OK/m);
        assert.match(stdout, /^etag: "[0-9a-f]{32}"/im);
        await s.idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
        assert.equal((await waitForJob(s, poolId, job.JobId!)).ImportedUsers, 1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('preconditions: no start without a file, no second start, no stop of a job that is not running, no upload with a bad token', async () => {
      const job = await createJob(s, poolId);
      const start = () => s.idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
      assert.equal((await errorOf(start())).name, 'PreconditionNotMetException');
      assert.equal((await errorOf(s.idp.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! })))).name, 'PreconditionNotMetException');
      const forged = await upload(job.PreSignedUrl!.replace(/token=.*/, 'token=v1.AAAA'), 'x');
      assert.equal(forged.status, 403);
      assert.match(await forged.text(), /<Code>AccessDenied<\/Code>/);
      await upload(job.PreSignedUrl!, csv(HEADER, []));
      await start();
      assert.equal((await errorOf(start())).name, 'PreconditionNotMetException');
      const late = await upload(job.PreSignedUrl!, 'x');
      assert.equal(late.status, 403);
      const missing = await errorOf(s.idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: 'import-nothere' })));
      assert.equal(missing.name, 'ResourceNotFoundException');
    });

    test('StopUserImportJob stops a running job after the batch it is on; imported users stay; the pool cannot be deleted meanwhile', async () => {
      const stopPool = await makePool(s, { AutoVerifiedAttributes: ['email'] });
      const rows = Array.from({ length: 30_000 }, (_, i) => ({ 'cognito:username': `u${i}`, email: `u${i}@example.com`, email_verified: 'true', 'cognito:mfa_enabled': 'false' }));
      const job = await createJob(s, stopPool);
      await upload(job.PreSignedUrl!, csv(HEADER.slice(0, 7), rows));
      const started = await s.idp.send(new StartUserImportJobCommand({ UserPoolId: stopPool, JobId: job.JobId! }));
      assert.ok(['Pending', 'InProgress'].includes(started.UserImportJob!.Status!));
      const busy = await errorOf(s.idp.send(new DeleteUserPoolCommand({ UserPoolId: stopPool })));
      assert.equal(busy.name, 'UserImportInProgressException');
      const stopping = await s.idp.send(new StopUserImportJobCommand({ UserPoolId: stopPool, JobId: job.JobId! }));
      assert.equal(stopping.UserImportJob!.Status, 'Stopping');
      const done = await waitForJob(s, stopPool, job.JobId!);
      assert.equal(done.Status, 'Stopped');
      assert.ok(done.ImportedUsers! < rows.length, `${done.ImportedUsers} imported before the stop`);
      const listed = await s.idp.send(new ListUsersCommand({ UserPoolId: stopPool, Limit: 60 }));
      assert.equal(listed.Users!.length, Math.min(60, done.ImportedUsers!));
      await s.idp.send(new DeleteUserPoolCommand({ UserPoolId: stopPool }));
    });

    test('ListUserImportJobs pages newest first with PaginationToken; MaxResults is required', async () => {
      const listPool = await makePool(s);
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await createJob(s, listPool)).JobId!);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const r = await s.idp.send(new ListUserImportJobsCommand({ UserPoolId: listPool, MaxResults: 2, PaginationToken: token }));
        seen.push(...r.UserImportJobs!.map((j) => j.JobId!));
        assert.notEqual(r.PaginationToken, token);
        token = r.PaginationToken;
      } while (token);
      assert.deepEqual(new Set(seen), new Set(ids));
      assert.equal(seen.length, 3);
      const noMax = await errorOf(s.idp.send(new ListUserImportJobsCommand({ UserPoolId: listPool } as never)));
      assert.equal(noMax.name, 'InvalidParameterException');
    });
  });
}
