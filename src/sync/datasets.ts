// Datasets of an identity: list, describe, delete (identity-and-sync.md B.1-B.3). A dataset comes
// into being with its first UpdateRecords (records.ts). Deleting one removes its records but keeps
// its row as a tombstone: the sync count goes on from where it was, and `deleted_sync_count`
// lets ListRecords tell a device that its copy predates the deletion.
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import { ResourceNotFoundException } from '../errors.js';
import type { SyncDatasetRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { DatasetKey } from '../store/sync.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import type { SyncEvents } from './events.js';
import type { SyncPublisher } from './publish.js';
import { SYNC_PAGING } from './limits.js';
import { lockLiveIdentity, requireIdentity } from './scope.js';

export interface Dataset {
  identityId: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  lastModifiedBy?: string;
  bytes: number;
  numRecords: number;
}

export function toDataset(row: SyncDatasetRow): Dataset {
  return {
    identityId: row.identity_id,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastModifiedBy: row.last_modified_by ?? undefined,
    bytes: row.data_storage,
    numRecords: row.num_records,
  };
}

/** A page size from the request: absent means the default, beyond the maximum means the maximum. */
export function pageSize(requested: number | undefined, dflt: number, max: number): number {
  if (requested === undefined || requested <= 0) return dflt;
  return Math.min(requested, max);
}

export class Datasets {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
    private readonly events: SyncEvents,
    private readonly publisher?: SyncPublisher,
  ) {}

  async list(
    poolId: string,
    identityId: string,
    opts: { maxResults?: number; nextToken?: string },
  ): Promise<{ datasets: Dataset[]; nextToken?: string }> {
    await requireIdentity(this.store, poolId, identityId);
    const scope = `ListDatasets|${poolId}|${identityId}`;
    const after = decodePageToken<string>(this.sealer, scope, opts.nextToken);
    const limit = pageSize(opts.maxResults, SYNC_PAGING.listDefault, SYNC_PAGING.listMax);
    const rows = await this.store.sync.listDatasets(poolId, identityId, limit + 1, after);
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    return {
      datasets: page.map(toDataset),
      nextToken: more ? encodePageToken(this.sealer, scope, page[page.length - 1].name) : undefined,
    };
  }

  async describe(k: DatasetKey): Promise<Dataset> {
    await requireIdentity(this.store, k.poolId, k.identityId);
    const row = await this.store.sync.getDataset(k);
    if (!row || row.deleted) throw notFound(k);
    return toDataset(row);
  }

  /** Deletes the dataset and its records; returns the dataset as it was. */
  async delete(k: DatasetKey, by: string): Promise<Dataset> {
    await requireIdentity(this.store, k.poolId, k.identityId);
    const now = this.clock.now();
    const { before, syncCount } = await this.store.transaction(async (tx) => {
      await lockLiveIdentity(tx, k.poolId, k.identityId);
      const row = await tx.sync.getDataset(k, true);
      if (!row || row.deleted) throw notFound(k);
      const syncCount = row.sync_count + 1;
      await tx.sync.deleteRecords(k);
      await tx.sync.updateDataset(k, {
        deleted: 1,
        deleted_sync_count: syncCount,
        sync_count: syncCount,
        num_records: 0,
        data_storage: 0,
        last_modified_by: by,
        updated_at: now,
      });
      await this.events.inTransaction(tx, change(k, syncCount));
      return { before: toDataset(row), syncCount };
    });
    this.events.afterCommit(change(k, syncCount));
    this.publisher?.afterChange(k, { records: [], syncCount, removed: true, at: now });
    return before;
  }
}

export const change = (k: DatasetKey, syncCount: number) => ({
  identityPoolId: k.poolId,
  identityId: k.identityId,
  datasetName: k.name,
  syncCount,
});

export function notFound(k: DatasetKey): ResourceNotFoundException {
  return new ResourceNotFoundException(`Dataset '${k.name}' of identity '${k.identityId}' not found.`);
}
