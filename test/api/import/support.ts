// Helpers of the import tests: CSV files, the upload to a job's PreSignedUrl, and waiting for a job.
import {
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  StartUserImportJobCommand,
  type UserImportJobType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../support/server.js';

export const ROLE = 'arn:aws:iam::000000000000:role/CognitoImport';

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV file: the header, then one line per row (missing columns are empty). */
export function csv(header: string[], rows: Record<string, string | undefined>[]): string {
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h] ?? '')).join(','))].join('\n') + '\n';
}

export async function createJob(s: TestServer, poolId: string, extra: { PasswordHashingAlgorithm?: 'BCRYPT' | 'SCRYPT' | 'ARGON2ID' | 'PBKDF2_SHA256' } = {}) {
  const r = await s.idp.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'import', CloudWatchLogsRoleArn: ROLE, ...extra }));
  return r.UserImportJob!;
}

/** PUT to the pre-signed URL, as S3 clients do. */
export async function upload(url: string, body: string): Promise<Response> {
  return fetch(url, { method: 'PUT', body, headers: { 'x-amz-server-side-encryption': 'aws:kms' } });
}

/** Polls until the job is no longer Pending / InProgress / Stopping. */
export async function waitForJob(s: TestServer, poolId: string, jobId: string, timeoutMs = 60_000): Promise<UserImportJobType> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await s.idp.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }))).UserImportJob!;
    if (!['Pending', 'InProgress', 'Stopping'].includes(job.Status!)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.Status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Create, upload, start, wait: the whole import of one file. */
export async function importCsv(s: TestServer, poolId: string, body: string, extra: Parameters<typeof createJob>[2] = {}) {
  const job = await createJob(s, poolId, extra);
  const put = await upload(job.PreSignedUrl!, body);
  if (put.status !== 200) throw new Error(`upload answered ${put.status}: ${await put.text()}`);
  await s.idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  return { created: job, done: await waitForJob(s, poolId, job.JobId!) };
}
