// Rows of user imports: import jobs, their uploaded CSV chunks and failed rows; and the bulk
// reads and writes that imports and pool copies (src/cli) need: users, aliases and search entries
// many at a time, group memberships page by page. Knows rows, not Cognito rules.
import type { UserRow, UserImportJobRow, UserImportErrorRow, UserGroupRow } from './schema.js';
import type { Db } from './store.js';
import type { AliasEntry, SearchEntry } from './users.js';
import { rethrowUnique } from './connect.js';

/** A user row with what is indexed about it. */
export interface UserEntry {
  row: UserRow;
  aliases: AliasEntry[];
  search: SearchEntry[];
}

/** Rows per multi-row INSERT: 500 users x 12 columns stays far below both engines' parameter limits. */
const ROWS_PER_STATEMENT = 500;

export class ImportRepo {
  constructor(private readonly db: Db) {}

  // ---- jobs -------------------------------------------------------------------------------

  async insertJob(row: UserImportJobRow): Promise<void> {
    await this.db.insertInto('user_import_jobs').values(row).execute();
  }

  getJob(poolId: string, id: string): Promise<UserImportJobRow | undefined> {
    return this.db.selectFrom('user_import_jobs').selectAll().where('id', '=', id).where('pool_id', '=', poolId).executeTakeFirst();
  }

  getJobById(id: string): Promise<UserImportJobRow | undefined> {
    return this.db.selectFrom('user_import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Jobs of a pool that may be running (Pending, InProgress, Stopping). */
  activeJobs(poolId: string): Promise<UserImportJobRow[]> {
    return this.db.selectFrom('user_import_jobs').selectAll().where('pool_id', '=', poolId).where('status', 'in', ['Pending', 'InProgress', 'Stopping']).execute();
  }

  /** Newest first; `after` is the (created_at, id) of the last job of the previous page. */
  listJobs(poolId: string, limit: number, after?: { createdAt: number; id: string }): Promise<UserImportJobRow[]> {
    let q = this.db.selectFrom('user_import_jobs').selectAll().where('pool_id', '=', poolId);
    if (after) q = q.where(({ eb, refTuple, tuple }) => eb(refTuple('created_at', 'id'), '<', tuple(after.createdAt, after.id)));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** Moves a job from one of `from` to the patch's status; false when it was in none of them. */
  async transition(id: string, from: string[], patch: Partial<UserImportJobRow>): Promise<boolean> {
    const r = await this.db.updateTable('user_import_jobs').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Adds to the counters and moves the heartbeat. */
  async addProgress(id: string, d: { imported: number; skipped: number; failed: number; at: number }): Promise<void> {
    await this.db
      .updateTable('user_import_jobs')
      .set((eb) => ({
        imported: eb('imported', '+', d.imported),
        skipped: eb('skipped', '+', d.skipped),
        failed: eb('failed', '+', d.failed),
        heartbeat_at: d.at,
      }))
      .where('id', '=', id)
      .execute();
  }

  async jobStatus(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('user_import_jobs').select('status').where('id', '=', id).executeTakeFirst())?.status;
  }

  // ---- uploaded CSV -------------------------------------------------------------------------

  async putChunk(jobId: string, uploadId: string, seq: number, data: Buffer): Promise<void> {
    await this.db.insertInto('user_import_chunks').values({ job_id: jobId, upload_id: uploadId, seq, data }).execute();
  }

  /** The upload becomes the job's file if the job still waits for one; older uploads go. */
  async completeUpload(jobId: string, uploadId: string, bytes: number): Promise<boolean> {
    const r = await this.db
      .updateTable('user_import_jobs')
      .set({ upload_id: uploadId, upload_bytes: bytes })
      .where('id', '=', jobId)
      .where('status', '=', 'Created')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await this.db.deleteFrom('user_import_chunks').where('job_id', '=', jobId).where('upload_id', '!=', uploadId).execute();
    return true;
  }

  async getChunk(jobId: string, uploadId: string, seq: number): Promise<Buffer | undefined> {
    const r = await this.db
      .selectFrom('user_import_chunks')
      .select('data')
      .where('job_id', '=', jobId)
      .where('upload_id', '=', uploadId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return r ? Buffer.from(r.data) : undefined;
  }

  async deleteChunks(jobId: string, uploadId?: string): Promise<void> {
    let q = this.db.deleteFrom('user_import_chunks').where('job_id', '=', jobId);
    if (uploadId !== undefined) q = q.where('upload_id', '=', uploadId);
    await q.execute();
  }

  // ---- failed rows ----------------------------------------------------------------------------

  async addErrors(rows: UserImportErrorRow[]): Promise<void> {
    if (rows.length) await this.db.insertInto('user_import_errors').values(rows).onConflict((oc) => oc.doNothing()).execute();
  }

  listErrors(jobId: string, limit: number, afterLine = 0): Promise<UserImportErrorRow[]> {
    return this.db.selectFrom('user_import_errors').selectAll().where('job_id', '=', jobId).where('line', '>', afterLine).orderBy('line').limit(limit).execute();
  }

  // ---- users in bulk ---------------------------------------------------------------------------

  /** Which of these normalized usernames the pool already has. */
  async existingUsernames(poolId: string, norms: string[]): Promise<Set<string>> {
    if (!norms.length) return new Set();
    const rows = await this.db.selectFrom('users').select('username_norm').where('pool_id', '=', poolId).where('username_norm', 'in', norms).execute();
    return new Set(rows.map((r) => r.username_norm));
  }

  /** Which of these alias values of one kind other users already hold. */
  async takenAliases(poolId: string, kind: string, values: string[]): Promise<Set<string>> {
    if (!values.length) return new Set();
    const rows = await this.db
      .selectFrom('user_aliases')
      .select('value_norm')
      .where('pool_id', '=', poolId)
      .where('kind', '=', kind)
      .where('value_norm', 'in', values)
      .execute();
    return new Set(rows.map((r) => r.value_norm));
  }

  /**
   * Inserts users with their aliases and search entries, a few statements per 500 users. Run it
   * inside a transaction: a UniqueViolation then leaves nothing behind.
   */
  async insertUsers(entries: UserEntry[]): Promise<void> {
    try {
      for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
        const part = entries.slice(i, i + ROWS_PER_STATEMENT);
        await this.db.insertInto('users').values(part.map((e) => e.row)).execute();
        const aliases = part.flatMap((e) => e.aliases.map((a) => ({ pool_id: e.row.pool_id, kind: a.kind, value_norm: a.valueNorm, user_id: e.row.id })));
        if (aliases.length) await this.db.insertInto('user_aliases').values(aliases).execute();
        const search = part.flatMap((e) => {
          const unique = new Map(e.search.map((s) => [`${s.attr}\u0000${s.value}`, s]));
          return [...unique.values()].map((s) => ({ pool_id: e.row.pool_id, attr: s.attr, value: s.value, user_id: e.row.id }));
        });
        for (let j = 0; j < search.length; j += ROWS_PER_STATEMENT) {
          await this.db.insertInto('user_search').values(search.slice(j, j + ROWS_PER_STATEMENT)).execute();
        }
      }
    } catch (e) {
      rethrowUnique(e);
    }
  }

  /** Users of a pool in id order, after `afterId`: the export's reading order. */
  usersPage(poolId: string, limit: number, afterId?: string): Promise<UserRow[]> {
    let q = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  }

  /** Group memberships of a pool, in (group, user) order. */
  membershipsPage(poolId: string, limit: number, after?: { group: string; userId: string }): Promise<UserGroupRow[]> {
    let q = this.db.selectFrom('user_groups').selectAll().where('pool_id', '=', poolId);
    if (after) q = q.where(({ eb, refTuple, tuple }) => eb(refTuple('group_name', 'user_id'), '>', tuple(after.group, after.userId)));
    return q.orderBy('group_name').orderBy('user_id').limit(limit).execute();
  }

  async insertMemberships(rows: UserGroupRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await this.db.insertInto('user_groups').values(rows.slice(i, i + ROWS_PER_STATEMENT)).execute();
    }
  }
}
