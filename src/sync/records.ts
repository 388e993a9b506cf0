// Records of a dataset: ListRecords and UpdateRecords, the two halves of a device's sync loop
// (identity-and-sync.md B.2).
//
// UpdateRecords is optimistic concurrency, atomic per call:
//   1. the SyncSessionToken must come from a recent ListRecords of this very dataset;
//   2. every patch names the SyncCount of the record version it was based on (0: a key the device
//      believes is new; a tombstone counts with its own SyncCount). If any differs from the stored
//      one, the whole call is ResourceConflictException and nothing changes;
//   3. otherwise the dataset's sync count goes up by one, every patched record takes that count
//      (`remove` leaves a tombstone so other devices learn of it), and the limits are checked on
//      the result: 20 datasets per identity, 1024 records and 1 MB per dataset (limits.ts).
// The dataset row is locked for the whole transaction, so two writers of one dataset serialize.
//
// With a SyncTrigger (sync-trigger.ts) and a call made with the identity's own credentials, the
// conflicts are checked first, then the function runs (outside the transaction: it may take
// seconds), and what it returns is written under the same rule: keys it added count with the
// SyncCount they had when it ran, so a write that slipped in meanwhile is a conflict.
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import { InvalidParameterException, LimitExceededException, ResourceConflictException } from '../errors.js';
import type { SyncDatasetRow, SyncRecordRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { DatasetKey } from '../store/sync.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import { change, pageSize } from './datasets.js';
import type { SyncEvents } from './events.js';
import type { SyncPublisher } from './publish.js';
import { SYNC_LIMITS, SYNC_PAGING } from './limits.js';
import { mergedDatasetNames } from './merged-datasets.js';
import { lockLiveIdentity, requireIdentity } from './scope.js';
import { checkSyncSessionToken, issueSyncSessionToken } from './session-token.js';
import type { PoolSettings } from './pool-settings.js';
import { runSyncTrigger, type InvokeFunction } from './sync-trigger.js';
import { MAX_INDEXED_BYTES, fitsIndex } from '../store/indexed.js';

/** What running the SyncTrigger needs (absent: it never runs). */
export interface SyncTriggerDeps {
  invoke: InvokeFunction;
  region: string;
  settings: PoolSettings;
}

export interface SyncRecord {
  key: string;
  /** Absent on a tombstone. */
  value?: string;
  syncCount: number;
  updatedAt: number;
  lastModifiedBy?: string;
  deviceModifiedAt?: number;
}

export interface RecordPatch {
  op: 'replace' | 'remove';
  key: string;
  value?: string;
  syncCount: number;
  deviceModifiedAt?: number;
}

export interface RecordsPage {
  records: SyncRecord[];
  nextToken?: string;
  datasetSyncCount: number;
  lastModifiedBy?: string;
  datasetExists: boolean;
  deletedAfterRequestedSyncCount: boolean;
  syncSessionToken: string;
  /** `<name>.<identity id>` datasets that merged identities brought (merged-datasets.ts). */
  mergedDatasetNames: string[];
}

const toRecord = (r: SyncRecordRow): SyncRecord => ({
  key: r.key,
  value: r.value ?? undefined,
  syncCount: r.sync_count,
  updatedAt: r.updated_at,
  lastModifiedBy: r.last_modified_by ?? undefined,
  deviceModifiedAt: r.device_modified_at ?? undefined,
});

/** Bytes a record counts toward the dataset's storage: its key and value in UTF-8. */
const sizeOf = (key: string, value: string | null | undefined) =>
  value == null ? 0 : Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');

interface PageCursor {
  /** The dataset sync count the chain reads up to (fixed on its first page). */
  u: number;
  c: number;
  k: string;
}

export class Records {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
    private readonly events: SyncEvents,
    private readonly publisher?: SyncPublisher,
    private readonly trigger?: SyncTriggerDeps,
  ) {}

  /** The records changed after `lastSyncCount`, tombstones included, oldest change first. */
  async list(
    k: DatasetKey,
    opts: { lastSyncCount?: number; maxResults?: number; nextToken?: string; syncSessionToken?: string },
  ): Promise<RecordsPage> {
    await requireIdentity(this.store, k.poolId, k.identityId);
    if (opts.syncSessionToken !== undefined) checkSyncSessionToken(this.sealer, this.clock, k, opts.syncSessionToken);
    const last = opts.lastSyncCount ?? 0;
    if (last < 0) throw new InvalidParameterException('lastSyncCount must not be negative.');
    const scope = `ListRecords|${k.poolId}|${k.identityId}|${k.name}|${last}`;
    const cursor = decodePageToken<PageCursor>(this.sealer, scope, opts.nextToken);
    const ds = await this.store.sync.getDataset(k);
    const upTo = cursor?.u ?? ds?.sync_count ?? 0;
    const limit = pageSize(opts.maxResults, SYNC_PAGING.recordsDefault, SYNC_PAGING.recordsMax);
    const rows = await this.store.sync.listChanges(k, last, upTo, limit + 1, cursor && { syncCount: cursor.c, key: cursor.k });
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const tail = page[page.length - 1];
    return {
      records: page.map(toRecord),
      nextToken: more ? encodePageToken(this.sealer, scope, { u: upTo, c: tail.sync_count, k: tail.key } satisfies PageCursor) : undefined,
      datasetSyncCount: upTo,
      lastModifiedBy: ds?.last_modified_by ?? undefined,
      datasetExists: !!ds && !ds.deleted,
      // A device whose copy is older than the last deletion must drop it (a device with nothing,
      // lastSyncCount 0, has nothing to drop).
      deletedAfterRequestedSyncCount: last > 0 && ds?.deleted_sync_count != null && last < ds.deleted_sync_count,
      syncSessionToken: issueSyncSessionToken(this.sealer, this.clock, k),
      mergedDatasetNames: await mergedDatasetNames(this.store, k),
    };
  }

  /**
   * Applies all patches or none; returns the records as written. `runTrigger`: the call is the
   * identity's own (the pool's SyncTrigger, if any, sees it first).
   */
  async update(
    k: DatasetKey,
    req: { syncSessionToken: string; patches: RecordPatch[]; by: string; runTrigger?: boolean; deviceId?: string },
  ): Promise<SyncRecord[]> {
    await requireIdentity(this.store, k.poolId, k.identityId);
    checkSyncSessionToken(this.sealer, this.clock, k, req.syncSessionToken);
    checkPatches(req.patches);
    if (req.runTrigger && req.patches.length) req = { ...req, patches: await this.triggered(k, req.patches) };
    const now = this.clock.now();
    const result = await this.store.transaction(async (tx) => {
      await lockLiveIdentity(tx, k.poolId, k.identityId);
      const ds = await this.lockOrCreate(tx, k, now);
      const current = new Map((await tx.sync.getRecords(k, req.patches.map((p) => p.key))).map((r) => [r.key, r]));
      checkCounts(req.patches, current);
      // No patches: the dataset is created (or brought back), nothing else changes.
      if (!req.patches.length) {
        if (ds.deleted) await tx.sync.updateDataset(k, { deleted: 0, created_at: now, updated_at: now, last_modified_by: req.by });
        return { written: [] as SyncRecordRow[], syncCount: ds.sync_count };
      }

      const syncCount = ds.sync_count + 1;
      let records = ds.deleted ? 0 : ds.num_records;
      let bytes = ds.deleted ? 0 : ds.data_storage;
      const written: SyncRecordRow[] = [];
      for (const p of req.patches) {
        const old = current.get(p.key);
        const value = p.op === 'replace' ? p.value! : null;
        records += (value !== null ? 1 : 0) - (old?.value != null ? 1 : 0);
        bytes += sizeOf(p.key, value) - sizeOf(p.key, old?.value);
        const row: SyncRecordRow = {
          pool_id: k.poolId,
          identity_id: k.identityId,
          dataset_name: k.name,
          key: p.key,
          value,
          sync_count: syncCount,
          last_modified_by: req.by,
          device_modified_at: p.deviceModifiedAt ?? null,
          updated_at: now,
        };
        written.push(row);
      }
      await tx.sync.putRecords(written);
      if (records > SYNC_LIMITS.recordsPerDataset) {
        throw new LimitExceededException(`Dataset '${k.name}' would hold ${records} records; the limit is ${SYNC_LIMITS.recordsPerDataset}.`);
      }
      if (bytes > SYNC_LIMITS.bytesPerDataset) {
        throw new LimitExceededException(`Dataset '${k.name}' would hold ${bytes} bytes; the limit is ${SYNC_LIMITS.bytesPerDataset}.`);
      }
      await tx.sync.updateDataset(k, {
        sync_count: syncCount,
        num_records: records,
        data_storage: bytes,
        last_modified_by: req.by,
        updated_at: now,
        deleted: 0,
        ...(ds.deleted ? { created_at: now } : {}),
      });
      await this.events.inTransaction(tx, change(k, syncCount));
      return { written, syncCount };
    });
    if (result.written.length) {
      this.events.afterCommit(change(k, result.syncCount));
      this.publisher?.afterChange(k, { records: result.written, syncCount: result.syncCount, deviceId: req.deviceId, at: now });
    }
    return result.written.map(toRecord);
  }

  /** The patches after the pool's SyncTrigger, or as sent when it has none. */
  private async triggered(k: DatasetKey, patches: RecordPatch[]): Promise<RecordPatch[]> {
    const ref = this.trigger && (await this.trigger.settings.events(k.poolId)).SyncTrigger;
    if (!ref) return patches;
    const current = new Map((await this.store.sync.getRecords(k, patches.map((p) => p.key))).map((r) => [r.key, r]));
    checkCounts(patches, current);
    const changes = await runSyncTrigger(this.trigger!.invoke, ref, this.trigger!.region, k, patches, new Map(patches.map((p) => [p.key, current.get(p.key)?.value ?? null])));
    const sent = new Map(patches.map((p) => [p.key, p]));
    const added = changes.filter((c) => !sent.has(c.key)).map((c) => c.key);
    for (const r of added.length ? await this.store.sync.getRecords(k, added) : []) current.set(r.key, r);
    const out = changes.map((c) => ({
      op: c.op,
      key: c.key,
      value: c.value,
      syncCount: sent.get(c.key)?.syncCount ?? current.get(c.key)?.sync_count ?? 0,
      deviceModifiedAt: sent.get(c.key)?.deviceModifiedAt,
    }));
    checkPatches(out);
    return out;
  }

  /**
   * Locks the dataset row for this transaction, creating it (or bringing a deleted one back)
   * within the per-identity dataset limit.
   */
  private async lockOrCreate(tx: Store, k: DatasetKey, now: number): Promise<SyncDatasetRow> {
    const existing = await tx.sync.getDataset(k, true);
    if (existing && !existing.deleted) return existing;
    await tx.sync.lockIdentity(k.identityId);
    const live = await tx.sync.countDatasets(k.poolId, k.identityId);
    if (live >= SYNC_LIMITS.datasetsPerIdentity) {
      throw new LimitExceededException(
        `Identity '${k.identityId}' already has ${live} datasets; the limit is ${SYNC_LIMITS.datasetsPerIdentity}.`,
      );
    }
    if (!existing) {
      await tx.sync.insertDatasetIfAbsent({
        pool_id: k.poolId,
        identity_id: k.identityId,
        name: k.name,
        sync_count: 0,
        num_records: 0,
        data_storage: 0,
        last_modified_by: null,
        deleted: 0,
        deleted_sync_count: null,
        created_at: now,
        updated_at: now,
      });
    }
    return (await tx.sync.getDataset(k, true))!;
  }
}

/** Every patch must be based on the record's current SyncCount (absent record: 0). */
function checkCounts(patches: RecordPatch[], current: Map<string, SyncRecordRow>): void {
  for (const p of patches) {
    const stored = current.get(p.key)?.sync_count ?? 0;
    if (p.syncCount !== stored) throw new ResourceConflictException(`Current SyncCount for: ${p.key} is: ${stored} not: ${p.syncCount}`);
  }
}

/** Patch rules the model cannot say: a value for every replace, each key once, counts ≥ 0. */
function checkPatches(patches: RecordPatch[]): void {
  const seen = new Set<string>();
  for (const p of patches) {
    if (seen.has(p.key)) throw new InvalidParameterException(`Record key '${p.key}' appears in more than one patch.`);
    seen.add(p.key);
    if (p.op === 'replace' && p.value === undefined) throw new InvalidParameterException(`The replace patch of '${p.key}' has no Value.`);
    if (p.syncCount < 0) throw new InvalidParameterException(`The patch of '${p.key}' has a negative SyncCount.`);
    if (!fitsIndex(p.key)) throw new InvalidParameterException(`Record keys must be no longer than ${MAX_INDEXED_BYTES} bytes in UTF-8.`);
  }
}
