// Runs one import job in the background: the file is read chunk by chunk from the store and parsed
// as a stream (csv-parse), rows are checked one by one (rows.ts) and inserted 1,000 at a time, each
// batch in one transaction together with the job's counters and the failed rows' reasons. Memory
// stays flat whatever the file's size: one chunk, one batch.
//
// Per batch, before the insert: a username the pool already has (or an earlier row had) is
// skipped (SkippedUsers: a re-run after a stopped or failed job imports only the rest); an alias
// (e-mail, phone, preferred_username) another user holds, or an earlier row took, fails the row
// (FailedUsers). If a concurrent writer still breaks a constraint, the batch is retried row by row.
// Each batch's transaction key-share locks the pool row; if the pool's rules for usernames and
// aliases changed meanwhile (src/userpools/frozen-settings.ts), the batch is redone under them.
// Between batches the runner reads the job's status (StopUserImportJob -> Stopped) and stops when
// the server is shutting down (the job then ends Failed, saying so).
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { UniqueViolation } from '../store/connect.js';
import type { UserEntry } from '../store/imports.js';
import type { UserImportErrorRow, UserImportJobRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { sameUserRules } from '../userpools/frozen-settings.js';
import { aliasEntries, searchEntries } from '../userpools/indexes.js';
import type { UserPool } from '../userpools/pools.js';
import { userToRow, type User } from '../userpools/user.js';
import type { ImportDeps } from './jobs.js';
import { HeaderError, readHeader, RowError, userFromRow, usernameOf, type Layout } from './rows.js';
import { isStorable } from '../models/validate.js';

/** NULs and unpaired surrogates replaced by U+FFFD. */
const toStorable = (s: string) => s.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const BATCH_ROWS = 1000;
/** Failed rows whose reasons are kept per job; the counters count them all. */
const MAX_RECORDED_ERRORS = 10_000;

interface Parsed {
  line: number;
  record: string[];
}

interface BatchResult {
  imported: number;
  skipped: number;
  failed: number;
  errors: UserImportErrorRow[];
}

/** The job's file, one stored chunk at a time. */
async function* chunksOf(deps: ImportDeps, job: UserImportJobRow): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const chunk = await deps.store.imports.getChunk(job.id, job.upload_id!, seq);
    if (!chunk) return;
    yield chunk;
  }
}

export async function runImport(deps: ImportDeps, job: UserImportJobRow, closing: AbortSignal): Promise<void> {
  const imports = deps.store.imports;
  const now = () => deps.clock.now();
  if (!(await imports.transition(job.id, ['Pending'], { status: 'InProgress', started_at: now(), heartbeat_at: now() }))) {
    await finish(deps, job, 'Stopped', 'The import job was stopped before it started.');
    return;
  }
  let pool = await deps.pools.get(job.pool_id, deps.store);
  const parser = Readable.from(chunksOf(deps, job)).pipe(parse({ bom: true, skip_empty_lines: true, skip_records_with_error: true, info: true }));
  const skippedLines: Parsed[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => skippedLines.push({ line: err.lines ?? 0, record: [] }));
  let layout: Layout | undefined;
  let recorded = 0;
  let batch: Parsed[] = [];
  const totals = { imported: 0, skipped: 0, failed: 0 };

  const flush = async (): Promise<'go' | 'stopped' | 'closing'> => {
    const unreadable = skippedLines.splice(0);
    let result: BatchResult;
    let rows = batch;
    let committed = 0;
    for (;;) {
      try {
        result = await importBatch(deps, pool, layout!, rows, job.hashing_algorithm ?? undefined);
        result.imported += committed;
        break;
      } catch (e) {
        // The pool's rules for users changed (frozen-settings.ts) since it was read: redo the batch under the new ones.
        // Rows the row-by-row fallback committed before it saw the change stay imported; only the others are redone.
        if (!(e instanceof PoolRulesChanged)) throw e;
        if (e.inserted.length) {
          const done = new Set(e.inserted);
          rows = rows.filter((p) => !done.has(p));
          committed += e.inserted.length;
        }
        deps.pools.invalidate(job.pool_id);
        pool = await deps.pools.get(job.pool_id, deps.store);
      }
    }
    batch = [];
    for (const s of unreadable) {
      result.failed++;
      result.errors.push({ job_id: job.id, line: s.line, username: null, message: 'the row is not valid CSV or has another number of columns than the header' });
    }
    const kept = result.errors.slice(0, Math.max(0, MAX_RECORDED_ERRORS - recorded));
    recorded += kept.length;
    totals.imported += result.imported;
    totals.skipped += result.skipped;
    totals.failed += result.failed;
    await deps.store.transaction(async (tx) => {
      await tx.imports.addErrors(kept.map((e) => ({ ...e, job_id: job.id })));
      await tx.imports.addProgress(job.id, { imported: result.imported, skipped: result.skipped, failed: result.failed, at: now() });
    });
    // Let the server's other requests in: on SQLite every query above completes synchronously.
    await new Promise((resolve) => setImmediate(resolve));
    if (closing.aborted) return 'closing';
    return (await imports.jobStatus(job.id)) === 'Stopping' ? 'stopped' : 'go';
  };

  let outcome: 'go' | 'stopped' | 'closing' = 'go';
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!layout) {
        layout = readHeader(pool, record);
        continue;
      }
      batch.push({ line: info.lines, record });
      if (batch.length >= BATCH_ROWS && (outcome = await flush()) !== 'go') break;
    }
    if (outcome === 'go' && !layout) throw new HeaderError('The CSV file is empty.');
    if (outcome === 'go' && (batch.length || skippedLines.length)) outcome = await flush();
  } catch (e) {
    parser.destroy();
    if (e instanceof HeaderError) return finish(deps, job, 'Failed', e.message);
    deps.log.error({ err: e, jobId: job.id }, 'user import job failed');
    return finish(deps, job, 'Failed', 'The import job failed on an internal error.');
  }
  parser.destroy();
  if (outcome === 'stopped') return finish(deps, job, 'Stopped', `Stopped by StopUserImportJob after ${totals.imported} users were imported.`);
  if (outcome === 'closing') return finish(deps, job, 'Failed', `The server stopped during the import, after ${totals.imported} users were imported.`);
  const message =
    totals.failed || totals.skipped
      ? `Import Job Completed: ${totals.imported} imported, ${totals.skipped} skipped, ${totals.failed} failed.`
      : 'Import Job Completed Successfully.';
  await finish(deps, job, 'Succeeded', message);
}

/** The job's last state; its file is no longer needed. */
async function finish(deps: ImportDeps, job: UserImportJobRow, status: 'Succeeded' | 'Failed' | 'Stopped', message: string): Promise<void> {
  const done = { status, completion_message: message, completed_at: deps.clock.now() };
  // Succeeded and Failed end a running job; a job being stopped ends Stopped whatever it reached.
  const moved = await deps.store.imports.transition(job.id, ['InProgress', 'Pending'], done);
  if (!moved) await deps.store.imports.transition(job.id, ['Stopping'], { ...done, status: 'Stopped' });
  await deps.store.imports.deleteChunks(job.id);
  deps.log.info({ jobId: job.id, poolId: job.pool_id, status }, 'user import job ended');
}

class PoolRulesChanged extends Error {
  /** The batch's rows already committed (one by one) when the change was seen. */
  constructor(readonly inserted: readonly Parsed[] = []) {
    super('The pool\'s rules for users changed during the batch.');
  }
}

/**
 * Inside a batch's transaction: the pool row key-share locked (as users.ts does for every user
 * write), so a change of the pool's frozen settings waits for the batch or the batch sees it; a
 * change of the rules for usernames and aliases since `pool` was read redoes the batch.
 */
async function checkPoolRules(tx: Store, pool: UserPool): Promise<void> {
  const row = await tx.pools.getForUserWrite(pool.id);
  if (row && row.updated_at !== pool.updatedAt && !sameUserRules(pool.settings, JSON.parse(row.config))) throw new PoolRulesChanged();
}

/** Checks and inserts one batch of rows (rules at the top of the file). */
async function importBatch(deps: ImportDeps, pool: UserPool, layout: Layout, rows: Parsed[], declared?: string): Promise<BatchResult> {
  const out: BatchResult = { imported: 0, skipped: 0, failed: 0, errors: [] };
  const fail = (p: Parsed, message: string, skipped = false) => {
    if (skipped) out.skipped++;
    else out.failed++;
    // The error record keeps the name as far as it can be stored (a NUL would fail the whole batch).
    const username = usernameOf(layout, p.record);
    out.errors.push({ job_id: '', line: p.line, username: username === undefined ? null : isStorable(username) ? username : toStorable(username), message });
  };
  const candidates: { p: Parsed; user: User }[] = [];
  for (const p of rows) {
    try {
      candidates.push({ p, user: userFromRow(deps.users, pool, layout, p.record, declared) });
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      fail(p, e.message);
    }
  }
  const existing = await deps.store.imports.existingUsernames(pool.id, [...new Set(candidates.map((c) => c.user.usernameNorm))]);
  const taken = new Map<string, Set<string>>();
  const withAliases = candidates.map((c) => ({ ...c, aliases: aliasEntries(pool, c.user) }));
  for (const kind of ['email', 'phone_number', 'preferred_username']) {
    const values = withAliases.flatMap((c) => c.aliases.filter((a) => a.kind === kind).map((a) => a.valueNorm));
    taken.set(kind, await deps.store.imports.takenAliases(pool.id, kind, [...new Set(values)]));
  }
  const entries: { p: Parsed; entry: UserEntry }[] = [];
  for (const c of withAliases) {
    if (existing.has(c.user.usernameNorm)) {
      fail(c.p, 'skipped: the user pool already has a user with this username', true);
      continue;
    }
    const clash = c.aliases.find((a) => taken.get(a.kind)!.has(a.valueNorm));
    if (clash) {
      fail(c.p, `An account with the given ${clash.kind} already exists.`);
      continue;
    }
    existing.add(c.user.usernameNorm);
    for (const a of c.aliases) taken.get(a.kind)!.add(a.valueNorm);
    entries.push({ p: c.p, entry: { row: userToRow(c.user, deps.sealer), aliases: c.aliases, search: searchEntries(c.user) } });
  }
  try {
    await deps.store.transaction(async (tx) => {
      await checkPoolRules(tx, pool);
      await tx.imports.insertUsers(entries.map((e) => e.entry));
    });
    out.imported += entries.length;
  } catch (e) {
    if (!(e instanceof UniqueViolation)) throw e;
    // A concurrent writer took a name meanwhile: one row at a time tells which. Each row commits on
    // its own, so a change of the rules seen at row k names rows 1..k-1 as done (not redone, not skipped).
    const inserted: Parsed[] = [];
    for (const { p, entry } of entries) {
      try {
        await deps.store.transaction(async (tx) => {
          await checkPoolRules(tx, pool);
          await tx.imports.insertUsers([entry]);
        });
        out.imported++;
        inserted.push(p);
      } catch (err) {
        if (err instanceof PoolRulesChanged) throw new PoolRulesChanged(inserted);
        if (!(err instanceof UniqueViolation)) throw err;
        if (err.table === 'users') fail(p, 'skipped: the user pool already has a user with this username', true);
        else fail(p, 'An alias of the user (email, phone_number or preferred_username) belongs to another user.');
      }
    }
  }
  return out;
}
