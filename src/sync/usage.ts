// Usage figures: per identity (DescribeIdentityUsage) and per identity pool
// (DescribeIdentityPoolUsage, ListIdentityPoolUsage). Deleted datasets do not count.
// SyncSessionsCount is the sum of the pool's dataset sync counts: one per committed change.
import type { Sealer } from '../crypto/sealed.js';
import type { Store } from '../store/store.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import { pageSize } from './datasets.js';
import { SYNC_PAGING } from './limits.js';
import { requireIdentity, requireIdentityPool } from './scope.js';

export interface IdentityUsage {
  identityId: string;
  identityPoolId: string;
  datasetCount: number;
  bytes: number;
  lastModifiedAt?: number;
}

export interface PoolUsage {
  identityPoolId: string;
  syncSessionsCount: number;
  bytes: number;
  lastModifiedAt?: number;
}

export class Usage {
  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
  ) {}

  async ofIdentity(poolId: string, identityId: string): Promise<IdentityUsage> {
    await requireIdentity(this.store, poolId, identityId);
    const t = await this.store.sync.usage(poolId, identityId);
    return { identityId, identityPoolId: poolId, datasetCount: t.datasets, bytes: t.bytes, lastModifiedAt: t.lastModifiedAt ?? undefined };
  }

  async ofPool(poolId: string): Promise<PoolUsage> {
    await requireIdentityPool(this.store, poolId);
    return this.poolTotals(poolId);
  }

  /** Every identity pool with its usage, in pool id order. */
  async list(opts: { maxResults?: number; nextToken?: string }): Promise<{ usages: PoolUsage[]; nextToken?: string; maxResults: number }> {
    const scope = 'ListIdentityPoolUsage';
    const after = decodePageToken<string>(this.sealer, scope, opts.nextToken);
    const limit = pageSize(opts.maxResults, SYNC_PAGING.listDefault, SYNC_PAGING.listMax);
    const ids = await this.store.sync.listIdentityPoolIds(limit + 1, after);
    const page = ids.slice(0, limit);
    const usages = await Promise.all(page.map((id) => this.poolTotals(id)));
    return {
      usages,
      maxResults: limit,
      nextToken: ids.length > limit ? encodePageToken(this.sealer, scope, page[page.length - 1]) : undefined,
    };
  }

  private async poolTotals(poolId: string): Promise<PoolUsage> {
    const t = await this.store.sync.usage(poolId);
    return { identityPoolId: poolId, syncSessionsCount: t.syncCount, bytes: t.bytes, lastModifiedAt: t.lastModifiedAt ?? undefined };
  }
}
