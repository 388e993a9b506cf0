// User import jobs (app.imports): CreateUserImportJob, the upload of the CSV to the job's
// pre-signed URL, StartUserImportJob, StopUserImportJob, DescribeUserImportJob, ListUserImportJobs.
//
//   Created --PUT csv--> Created (file kept) --Start--> Pending --runner--> InProgress --> Succeeded
//      |                                          |                          | bad header / error -> Failed
//      +-- 24 h without a start -> Expired        +-- Stop -> Stopping ------+--> Stopped
//
// The PreSignedUrl is Tessera's own: `{publicUrl}/_tessera/import/<jobId>?token=<sealed>` takes an
// HTTP PUT of the file as S3's pre-signed PUT does (curl -T, fetch). The token is sealed under the
// master key, names the job and expires with it. The file is kept in the database in 1 MiB chunks,
// so any process may run the job; the process that answered StartUserImportJob runs it in the
// background (runner.ts). A job whose process stopped shows as Failed once its heartbeat is
// older than 10 minutes. Transitions are single conditional updates, so two processes cannot both
// start or both finish a job.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import { PreconditionNotMetException, ResourceNotFoundException, UserImportInProgressException } from '../errors.js';
import { randomString, randomToken } from '../ids.js';
import type { UserImportJobRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import type { UserPools } from '../userpools/pools.js';
import type { Users } from '../userpools/users.js';
import { runImport } from './runner.js';

export const JOB_VALIDITY_MS = 24 * 60 * 60 * 1000;
const STALE_MS = 10 * 60 * 1000;
const UPLOAD_PURPOSE = 'import-upload';
const CHUNK_BYTES = 1024 * 1024;
/** Largest accepted file: about two million rows with bcrypt hashes. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export type JobStatus = 'Created' | 'Pending' | 'InProgress' | 'Stopping' | 'Expired' | 'Stopped' | 'Failed' | 'Succeeded';

/** A job as the operations show it. */
export interface ImportJob {
  id: string;
  poolId: string;
  name: string;
  status: JobStatus;
  roleArn: string;
  hashingAlgorithm?: string;
  /** While the job takes a file. */
  uploadUrl?: string;
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage?: string;
}

/** Why an upload was refused: S3's error code and HTTP status, for the route to answer with. */
export class UploadRefused extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportDeps {
  store: Store;
  clock: Clock;
  sealer: Sealer;
  log: Logger;
  config: Config;
  pools: UserPools;
  users: Users;
}

export class ImportJobs {
  private readonly running = new Map<string, Promise<void>>();
  private readonly closing = new AbortController();

  constructor(private readonly deps: ImportDeps) {}

  async create(poolId: string, input: { name: string; roleArn: string; hashingAlgorithm?: string }): Promise<ImportJob> {
    await this.deps.pools.get(poolId);
    const row: UserImportJobRow = {
      id: `import-${randomString(10)}`,
      pool_id: poolId,
      name: input.name,
      status: 'Created',
      role_arn: input.roleArn,
      hashing_algorithm: input.hashingAlgorithm ?? null,
      upload_id: null,
      upload_bytes: null,
      imported: 0,
      skipped: 0,
      failed: 0,
      completion_message: null,
      created_at: this.deps.clock.now(),
      started_at: null,
      completed_at: null,
      heartbeat_at: null,
    };
    await this.deps.store.imports.insertJob(row);
    return this.toJob(row);
  }

  async describe(poolId: string, jobId: string): Promise<ImportJob> {
    return this.toJob(await this.row(poolId, jobId));
  }

  async list(poolId: string, maxResults: number, token?: string): Promise<{ jobs: ImportJob[]; next?: string }> {
    await this.deps.pools.get(poolId);
    const scope = `ListUserImportJobs|${poolId}`;
    const after = decodePageToken<{ createdAt: number; id: string }>(this.deps.sealer, scope, token);
    const rows = await this.deps.store.imports.listJobs(poolId, maxResults + 1, after);
    const page = rows.slice(0, maxResults);
    const last = page[page.length - 1];
    const next = rows.length > maxResults && last ? encodePageToken(this.deps.sealer, scope, { createdAt: last.created_at, id: last.id }) : undefined;
    return { jobs: page.map((r) => this.toJob(r)), next };
  }

  /** StartUserImportJob: a Created job with its file becomes Pending and runs in this process. */
  async start(poolId: string, jobId: string): Promise<ImportJob> {
    const row = await this.row(poolId, jobId);
    const status = this.statusOf(row);
    if (status !== 'Created') throw new PreconditionNotMetException(`Import job ${jobId} cannot be started: its status is ${status}.`);
    if (!row.upload_id) throw new PreconditionNotMetException(`Import job ${jobId} has no CSV file yet: upload it to the job's PreSignedUrl first.`);
    const now = this.deps.clock.now();
    if (!(await this.deps.store.imports.transition(jobId, ['Created'], { status: 'Pending', heartbeat_at: now }))) {
      throw new PreconditionNotMetException(`Import job ${jobId} cannot be started: it was started meanwhile.`);
    }
    this.launch(jobId);
    return this.describe(poolId, jobId);
  }

  /** StopUserImportJob: a Pending or InProgress job stops after the batch it is on. */
  async stop(poolId: string, jobId: string): Promise<ImportJob> {
    const row = await this.row(poolId, jobId);
    const status = this.statusOf(row);
    const ok = (status === 'Pending' || status === 'InProgress') && (await this.deps.store.imports.transition(jobId, ['Pending', 'InProgress'], { status: 'Stopping' }));
    if (!ok) throw new PreconditionNotMetException(`Import job ${jobId} cannot be stopped: its status is ${status}.`);
    return this.describe(poolId, jobId);
  }

  /**
   * UserImportInProgressException while a job of the pool is Pending, InProgress or Stopping (and
   * alive): UpdateUserPool, AddCustomAttributes and DeleteUserPool wait for it, as in Cognito.
   */
  async refuseWhileRunning(poolId: string): Promise<void> {
    for (const row of await this.deps.store.imports.activeJobs(poolId)) {
      const status = this.statusOf(row);
      if (status === 'Pending' || status === 'InProgress' || status === 'Stopping') {
        throw new UserImportInProgressException(`User import job ${row.id} is in progress for user pool ${poolId}.`);
      }
    }
  }

  /**
   * The PUT of the job's pre-signed URL: checks the token, then stores the body in chunks. The file
   * replaces an earlier upload only once it has arrived whole. Returns S3's ETag (MD5 of the body).
   */
  async receiveUpload(jobId: string, token: string, body: AsyncIterable<Buffer>): Promise<{ etag: string; bytes: number }> {
    const job = await this.jobOfToken(jobId, token);
    if (this.statusOf(job) !== 'Created') throw new UploadRefused('AccessDenied', 403, 'The import job no longer takes a file.');
    const store = this.deps.store.imports;
    const uploadId = randomToken(9);
    const md5 = createHash('md5');
    let bytes = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (!pendingBytes) return;
      await store.putChunk(jobId, uploadId, seq++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const piece of body) {
        bytes += piece.length;
        if (bytes > MAX_UPLOAD_BYTES) throw new UploadRefused('EntityTooLarge', 400, `The file is larger than ${MAX_UPLOAD_BYTES} bytes.`);
        md5.update(piece);
        pending.push(piece);
        pendingBytes += piece.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      await flush();
      if (!(await store.completeUpload(jobId, uploadId, bytes))) throw new UploadRefused('AccessDenied', 403, 'The import job no longer takes a file.');
    } catch (e) {
      await store.deleteChunks(jobId, uploadId).catch(() => undefined);
      throw e;
    }
    return { etag: `"${md5.digest('hex')}"`, bytes };
  }

  /** The rows of a job that were not imported (line, username, reason), for the token's holder. */
  async failedRows(jobId: string, token: string, limit: number, afterLine?: number) {
    await this.jobOfToken(jobId, token);
    return this.deps.store.imports.listErrors(jobId, limit, afterLine);
  }

  /** Waits for running jobs to reach a batch boundary; they end as Failed (the server stopped). */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(jobId: string): void {
    const run = (async () => {
      const row = await this.deps.store.imports.getJobById(jobId);
      if (row) await runImport(this.deps, row, this.closing.signal);
    })()
      .catch((e) => this.deps.log.error({ err: e, jobId }, 'user import failed'))
      .finally(() => this.running.delete(jobId));
    this.running.set(jobId, run);
  }

  private async jobOfToken(jobId: string, token: string): Promise<UserImportJobRow> {
    const t = this.deps.sealer.openJson<{ j: string; p: string; e: number }>(UPLOAD_PURPOSE, token);
    if (!t || t.j !== jobId) throw new UploadRefused('AccessDenied', 403, 'The token does not belong to this import job.');
    if (this.deps.clock.now() > t.e) throw new UploadRefused('AccessDenied', 403, 'Request has expired');
    const row = await this.deps.store.imports.getJob(t.p, jobId);
    if (!row) throw new UploadRefused('NoSuchKey', 404, 'The import job does not exist.');
    return row;
  }

  private async row(poolId: string, jobId: string): Promise<UserImportJobRow> {
    await this.deps.pools.get(poolId);
    const row = await this.deps.store.imports.getJob(poolId, jobId);
    if (!row) throw new ResourceNotFoundException(`Import job ${jobId} does not exist in user pool ${poolId}.`);
    return row;
  }

  /** The stored status, with Expired and a stopped process's Failed computed on read. */
  private statusOf(row: UserImportJobRow): JobStatus {
    const now = this.deps.clock.now();
    if (row.status === 'Created' && now > row.created_at + JOB_VALIDITY_MS) return 'Expired';
    const live = row.status === 'Pending' || row.status === 'InProgress' || row.status === 'Stopping';
    if (live && !this.running.has(row.id) && now - (row.heartbeat_at ?? row.created_at) > STALE_MS) return 'Failed';
    return row.status as JobStatus;
  }

  private toJob(row: UserImportJobRow): ImportJob {
    const status = this.statusOf(row);
    const stale = status === 'Failed' && row.status !== 'Failed';
    return {
      id: row.id,
      poolId: row.pool_id,
      name: row.name,
      status,
      roleArn: row.role_arn,
      hashingAlgorithm: row.hashing_algorithm ?? undefined,
      uploadUrl: status === 'Created' ? this.uploadUrl(row) : undefined,
      createdAt: row.created_at,
      startedAt: row.started_at ?? undefined,
      completedAt: row.completed_at ?? undefined,
      imported: row.imported,
      skipped: row.skipped,
      failed: row.failed,
      completionMessage: stale ? 'The process running the import job stopped before it finished.' : (row.completion_message ?? undefined),
    };
  }

  private uploadUrl(row: UserImportJobRow): string {
    const token = this.deps.sealer.sealJson(UPLOAD_PURPOSE, { j: row.id, p: row.pool_id, e: row.created_at + JOB_VALIDITY_MS });
    return `${this.deps.config.publicUrl.replace(/\/+$/, '')}/_tessera/import/${row.id}?token=${token}`;
  }
}
