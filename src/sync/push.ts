// Push sync bookkeeping (identity-and-sync.md B.5): devices registered by their push token, and
// their subscriptions to datasets. The pushes themselves go out through SNS after each change
// (publish.ts); apps without push can follow the change stream instead (events.ts).
import type { Clock } from '../clock.js';
import { InvalidConfigurationException, InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import { MAX_INDEXED_BYTES, fitsIndex } from '../store/indexed.js';
import { newUuid } from '../ids.js';
import type { Store } from '../store/store.js';
import type { DatasetKey } from '../store/sync.js';
import type { PoolSettings } from './pool-settings.js';
import { lockLiveIdentity, requireIdentity } from './scope.js';

export class PushDevices {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: PoolSettings,
  ) {}

  /** Registers a device's push token for an identity; the same token answers the same id. */
  async register(poolId: string, identityId: string, platform: string, token: string): Promise<string> {
    // The token is a unique index's key (store/indexed.ts); the model sets it no maximum.
    if (!fitsIndex(token)) throw new InvalidParameterException(`Token must be no longer than ${MAX_INDEXED_BYTES} bytes in UTF-8.`);
    await requireIdentity(this.store, poolId, identityId);
    const config = await this.settings.configuration(poolId);
    if (!config.PushSync?.ApplicationArns?.length) {
      throw new InvalidConfigurationException(`Push sync is not configured for identity pool '${poolId}'.`);
    }
    return this.store.transaction(async (tx) => {
      await lockLiveIdentity(tx, poolId, identityId);
      return tx.sync.putDevice({
        id: newUuid(),
        pool_id: poolId,
        identity_id: identityId,
        platform,
        token,
        created_at: this.clock.now(),
      });
    });
  }

  async subscribe(k: DatasetKey, deviceId: string): Promise<void> {
    await this.requireDevice(k, deviceId);
    await this.store.transaction(async (tx) => {
      await lockLiveIdentity(tx, k.poolId, k.identityId);
      await tx.sync.subscribe(k, deviceId, this.clock.now());
    });
  }

  async unsubscribe(k: DatasetKey, deviceId: string): Promise<void> {
    await this.requireDevice(k, deviceId);
    await this.store.sync.unsubscribe(k, deviceId);
  }

  /** The device must exist and be one of this identity's. */
  private async requireDevice(k: DatasetKey, deviceId: string): Promise<void> {
    await requireIdentity(this.store, k.poolId, k.identityId);
    const d = await this.store.sync.getDevice(deviceId);
    if (!d || d.pool_id !== k.poolId || d.identity_id !== k.identityId) {
      throw new ResourceNotFoundException(`Device '${deviceId}' not found.`);
    }
  }
}
