// The AWS CLI v2 (Debian's awscli, /usr/bin/aws) against a real server: it signs with SigV4,
// parses our JSON and hands NextToken back as we gave it.
// `aws` on PATH may be an unrelated v1, so the v2 binary is named explicitly.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ADMIN, engines, startServer, type TestServer } from '../support/server.js';

const AWS = '/usr/bin/aws';
const skip = existsSync(AWS) ? false : `${AWS} (AWS CLI v2, Debian package awscli) is not installed`;
const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

for (const engine of engines) {
  describe(`AWS CLI v2 (${engine})`, { skip }, () => {
    let s: TestServer;
    let home: string;
    before(async () => {
      s = await startServer({ engine });
      home = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
    });
    after(async () => {
      await s.close();
      rmSync(home, { recursive: true, force: true });
    });

    /** Runs `aws cognito-idp <args>` with only the settings given here (no profile files of the machine). */
    async function aws(args: string[], secret = ADMIN.secretAccessKey): Promise<CliResult> {
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_ACCESS_KEY_ID: ADMIN.accessKeyId,
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '1',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const argv = ['cognito-idp', ...args, '--endpoint-url', s.url, '--output', 'json'];
      try {
        const { stdout, stderr } = await run(AWS, argv, { env, timeout: 60_000 });
        return { code: 0, stdout, stderr };
      } catch (e) {
        const err = e as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
      }
    }

    async function awsJson(args: string[]): Promise<any> {
      const r = await aws(args);
      assert.equal(r.code, 0, `aws ${args.join(' ')} failed: ${r.stderr}`);
      return JSON.parse(r.stdout);
    }

    test('create-user-pool, describe-user-pool and list-user-pools print what the server holds', async () => {
      const created = await awsJson(['create-user-pool', '--pool-name', 'cli-pool', '--user-pool-tags', 'team=cli']);
      const pool = created.UserPool;
      assert.match(pool.Id, /^us-east-1_[A-Za-z0-9]{9}$/);
      assert.equal(pool.Name, 'cli-pool');
      assert.equal(pool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
      assert.equal(pool.Policies.PasswordPolicy.MinimumLength, 8);
      assert.deepEqual(pool.UserPoolTags, { team: 'cli' });
      // The CLI prints epoch-second timestamps as ISO 8601 dates.
      assert.ok(Math.abs(Date.parse(pool.CreationDate) - Date.now()) < 5 * 60_000, pool.CreationDate);

      const described = await awsJson(['describe-user-pool', '--user-pool-id', pool.Id]);
      assert.equal(described.UserPool.Id, pool.Id);
      assert.equal(described.UserPool.MfaConfiguration, 'OFF');
      assert.equal(described.UserPool.EstimatedNumberOfUsers, 0);

      const second = (await awsJson(['create-user-pool', '--pool-name', 'cli-pool-2'])).UserPool;
      const listed = await awsJson(['list-user-pools', '--max-results', '10']);
      const byId = new Map(listed.UserPools.map((p: { Id: string }) => [p.Id, p]));
      assert.equal((byId.get(pool.Id) as { Name: string }).Name, 'cli-pool');
      assert.equal((byId.get(second.Id) as { Name: string }).Name, 'cli-pool-2');
      assert.equal(listed.NextToken, undefined);
    });

    test('list-user-pools pages with --next-token until the token is gone', async () => {
      await awsJson(['create-user-pool', '--pool-name', 'paged-a']);
      await awsJson(['create-user-pool', '--pool-name', 'paged-b']);
      const all = (await awsJson(['list-user-pools', '--max-results', '60'])).UserPools.map((p: { Id: string }) => p.Id).sort();
      assert.ok(all.length >= 3);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await awsJson(['list-user-pools', '--max-results', '2', ...(token ? ['--next-token', token] : [])]);
        assert.ok(page.UserPools.length <= 2);
        seen.push(...page.UserPools.map((p: { Id: string }) => p.Id));
        assert.notEqual(page.NextToken, token);
        token = page.NextToken;
      } while (token);
      assert.deepEqual(seen.sort(), all);
    });

    test('a wrong secret makes the CLI fail with InvalidSignatureException', async () => {
      const r = await aws(['list-user-pools', '--max-results', '10'], 'not-the-right-secret');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /InvalidSignatureException/);
      assert.equal(r.stdout.trim(), '');
    });
  });
}
