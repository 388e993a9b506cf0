// Rows of Cognito Sync: datasets, records, per-pool settings, push devices and subscriptions, and
// the few reads of identity pools and identities that sync needs. Knows rows, not sync rules.
import { sql } from 'kysely';
import pg from 'pg';
import type { Engine } from './connect.js';
import type { Db } from './store.js';
import type { SyncDatasetRow, SyncDeviceRow, SyncPoolSettingsRow, SyncRecordRow } from './schema.js';

export interface DatasetKey {
  poolId: string;
  identityId: string;
  name: string;
}

export interface UsageTotals {
  datasets: number;
  bytes: number;
  syncCount: number;
  lastModifiedAt: number | null;
}

export class SyncRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  // --- identity pools and identities (tables of the identity service, read only) ---

  async identityPoolExists(poolId: string): Promise<boolean> {
    const r = await this.db.selectFrom('identity_pools').select('id').where('id', '=', poolId).executeTakeFirst();
    return r !== undefined;
  }

  async identityPoolOf(identityId: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('identities').select('pool_id').where('id', '=', identityId).executeTakeFirst();
    return r?.pool_id;
  }

  /** Identity pool ids in id order, after `afterId`. */
  async listIdentityPoolIds(limit: number, afterId?: string): Promise<string[]> {
    let q = this.db.selectFrom('identity_pools').select('id').orderBy('id').limit(limit);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return (await q.execute()).map((r) => r.id);
  }

  // --- datasets ---

  /** The dataset row (deleted ones too); on PostgreSQL `lock` holds it until the transaction ends. */
  getDataset(k: DatasetKey, lock = false): Promise<SyncDatasetRow | undefined> {
    let q = this.db
      .selectFrom('sync_datasets')
      .selectAll()
      .where('pool_id', '=', k.poolId)
      .where('identity_id', '=', k.identityId)
      .where('name', '=', k.name);
    if (lock && this.engine === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /** Inserts the row unless the dataset exists (a concurrent creator won: not an error). */
  async insertDatasetIfAbsent(row: SyncDatasetRow): Promise<void> {
    await this.db.insertInto('sync_datasets').values(row).onConflict((oc) => oc.doNothing()).execute();
  }

  async updateDataset(k: DatasetKey, patch: Partial<Omit<SyncDatasetRow, 'pool_id' | 'identity_id' | 'name'>>): Promise<void> {
    await this.db
      .updateTable('sync_datasets')
      .set(patch)
      .where('pool_id', '=', k.poolId)
      .where('identity_id', '=', k.identityId)
      .where('name', '=', k.name)
      .execute();
  }

  /**
   * Serializes the sync writes of one identity with each other and with a merge that moves its
   * datasets (src/identity/linking.ts), until the transaction ends. SQLite's transactions are
   * serial already.
   */
  async lockIdentity(identityId: string): Promise<void> {
    if (this.engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${'sync:' + identityId}))`.execute(this.db);
  }

  /**
   * The identity's pool and the identity it was merged into, if any; undefined when it is gone.
   * On PostgreSQL the row is key-share locked until the transaction ends, so that deleting the
   * identity (DeleteIdentities, DeleteIdentityPool's cascade) waits for a sync write under way and
   * then deletes what it wrote.
   */
  async identityState(identityId: string): Promise<{ poolId: string; mergedInto: string | null } | undefined> {
    let q = this.db.selectFrom('identities').select(['pool_id', 'merged_into']).where('id', '=', identityId);
    if (this.engine === 'postgres') q = q.forKeyShare();
    const r = await q.executeTakeFirst();
    return r && { poolId: r.pool_id, mergedInto: r.merged_into ?? null };
  }

  /** Deletes every sync row of these identities (DeleteIdentities): records, datasets, devices, subscriptions. */
  async deleteIdentityData(poolId: string, identityIds: string[]): Promise<void> {
    if (!identityIds.length) return;
    for (const table of ['sync_records', 'sync_subscriptions', 'sync_datasets', 'sync_devices'] as const) {
      await this.db.deleteFrom(table).where('pool_id', '=', poolId).where('identity_id', 'in', identityIds).execute();
    }
  }

  /** Deletes every sync row of an identity pool (DeleteIdentityPool). */
  async deletePoolData(poolId: string): Promise<void> {
    for (const table of ['sync_records', 'sync_subscriptions', 'sync_datasets', 'sync_devices', 'sync_pool_settings'] as const) {
      await this.db.deleteFrom(table).where('pool_id', '=', poolId).execute();
    }
  }

  /** Live (not deleted) datasets of an identity, by name, after `afterName`. */
  listDatasets(poolId: string, identityId: string, limit: number, afterName?: string): Promise<SyncDatasetRow[]> {
    let q = this.db
      .selectFrom('sync_datasets')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('identity_id', '=', identityId)
      .where('deleted', '=', 0)
      .orderBy('name')
      .limit(limit);
    if (afterName !== undefined) q = q.where('name', '>', afterName);
    return q.execute();
  }

  /** Live datasets of every identity of a pool, in (identity, name) order after `after` (bulk publish). */
  listPoolDatasets(poolId: string, limit: number, after?: { identityId: string; name: string }): Promise<SyncDatasetRow[]> {
    let q = this.db
      .selectFrom('sync_datasets')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('deleted', '=', 0)
      .orderBy('identity_id')
      .orderBy('name')
      .limit(limit);
    if (after) {
      q = q.where((eb) => eb.or([eb('identity_id', '>', after.identityId), eb.and([eb('identity_id', '=', after.identityId), eb('name', '>', after.name)])]));
    }
    return q.execute();
  }

  /**
   * Gives a dataset (its row and records) another key: the row is copied to `to`, the records
   * follow, the old row goes (records reference their dataset, so the key cannot change in place).
   */
  async moveDataset(from: DatasetKey, to: DatasetKey): Promise<void> {
    const row = await this.getDataset(from);
    if (!row) return;
    await this.db.insertInto('sync_datasets').values({ ...row, pool_id: to.poolId, identity_id: to.identityId, name: to.name }).execute();
    await this.db
      .updateTable('sync_records')
      .set({ pool_id: to.poolId, identity_id: to.identityId, dataset_name: to.name })
      .where('pool_id', '=', from.poolId)
      .where('identity_id', '=', from.identityId)
      .where('dataset_name', '=', from.name)
      .execute();
    await this.db
      .deleteFrom('sync_datasets')
      .where('pool_id', '=', from.poolId)
      .where('identity_id', '=', from.identityId)
      .where('name', '=', from.name)
      .execute();
  }

  async countDatasets(poolId: string, identityId: string): Promise<number> {
    const r = await this.db
      .selectFrom('sync_datasets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', poolId)
      .where('identity_id', '=', identityId)
      .where('deleted', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Totals over the live datasets of a pool, or of one identity in it. */
  async usage(poolId: string, identityId?: string): Promise<UsageTotals> {
    let q = this.db
      .selectFrom('sync_datasets')
      .select((eb) => [
        eb.fn.countAll<number>().as('datasets'),
        eb.fn.sum<number>('data_storage').as('bytes'),
        eb.fn.sum<number>('sync_count').as('syncCount'),
        eb.fn.max<number>('updated_at').as('lastModifiedAt'),
      ])
      .where('pool_id', '=', poolId)
      .where('deleted', '=', 0);
    if (identityId !== undefined) q = q.where('identity_id', '=', identityId);
    const r = await q.executeTakeFirstOrThrow();
    return {
      datasets: Number(r.datasets),
      bytes: Number(r.bytes ?? 0),
      syncCount: Number(r.syncCount ?? 0),
      lastModifiedAt: r.lastModifiedAt === null ? null : Number(r.lastModifiedAt),
    };
  }

  // --- records ---

  getRecords(k: DatasetKey, keys: string[]): Promise<SyncRecordRow[]> {
    if (!keys.length) return Promise.resolve([]);
    return this.db
      .selectFrom('sync_records')
      .selectAll()
      .where('pool_id', '=', k.poolId)
      .where('identity_id', '=', k.identityId)
      .where('dataset_name', '=', k.name)
      .where('key', 'in', keys)
      .execute();
  }

  /** Inserts or replaces the records, a few hundred rows per statement. */
  async putRecords(rows: SyncRecordRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('sync_records')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['pool_id', 'identity_id', 'dataset_name', 'key']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            sync_count: eb.ref('excluded.sync_count'),
            last_modified_by: eb.ref('excluded.last_modified_by'),
            device_modified_at: eb.ref('excluded.device_modified_at'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  async deleteRecords(k: DatasetKey): Promise<void> {
    await this.db
      .deleteFrom('sync_records')
      .where('pool_id', '=', k.poolId)
      .where('identity_id', '=', k.identityId)
      .where('dataset_name', '=', k.name)
      .execute();
  }

  /**
   * Records (tombstones included) whose sync count is in (afterCount, upToCount], in
   * (sync_count, key) order, after the keyset cursor `after`.
   */
  listChanges(
    k: DatasetKey,
    afterCount: number,
    upToCount: number,
    limit: number,
    after?: { syncCount: number; key: string },
  ): Promise<SyncRecordRow[]> {
    let q = this.db
      .selectFrom('sync_records')
      .selectAll()
      .where('pool_id', '=', k.poolId)
      .where('identity_id', '=', k.identityId)
      .where('dataset_name', '=', k.name)
      .where('sync_count', '>', afterCount)
      .where('sync_count', '<=', upToCount)
      .orderBy('sync_count')
      .orderBy('key')
      .limit(limit);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('sync_count', '>', after.syncCount),
          eb.and([eb('sync_count', '=', after.syncCount), eb('key', '>', after.key)]),
        ]),
      );
    }
    return q.execute();
  }

  // --- pool settings ---

  getPoolSettings(poolId: string, lock = false): Promise<SyncPoolSettingsRow | undefined> {
    let q = this.db.selectFrom('sync_pool_settings').selectAll().where('pool_id', '=', poolId);
    if (lock && this.engine === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async putPoolSettings(row: SyncPoolSettingsRow): Promise<void> {
    const { pool_id, ...rest } = row;
    await this.db
      .insertInto('sync_pool_settings')
      .values(row)
      .onConflict((oc) => oc.column('pool_id').doUpdateSet(rest))
      .execute();
  }

  // --- push devices and subscriptions ---

  /** Registers the device, or finds the one already registered with this token; returns its id. */
  async putDevice(row: SyncDeviceRow): Promise<string> {
    await this.db.insertInto('sync_devices').values(row).onConflict((oc) => oc.doNothing()).execute();
    const r = await this.db
      .selectFrom('sync_devices')
      .select('id')
      .where('pool_id', '=', row.pool_id)
      .where('identity_id', '=', row.identity_id)
      .where('platform', '=', row.platform)
      .where('token', '=', row.token)
      .executeTakeFirstOrThrow();
    return r.id;
  }

  getDevice(id: string): Promise<SyncDeviceRow | undefined> {
    return this.db.selectFrom('sync_devices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async subscribe(k: DatasetKey, deviceId: string, now: number): Promise<void> {
    await this.db
      .insertInto('sync_subscriptions')
      .values({ pool_id: k.poolId, identity_id: k.identityId, dataset_name: k.name, device_id: deviceId, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async unsubscribe(k: DatasetKey, deviceId: string): Promise<void> {
    await this.db
      .deleteFrom('sync_subscriptions')
      .where('pool_id', '=', k.poolId)
      .where('identity_id', '=', k.identityId)
      .where('dataset_name', '=', k.name)
      .where('device_id', '=', deviceId)
      .execute();
  }

  /** The devices subscribed to a dataset. */
  subscribedDevices(k: DatasetKey): Promise<SyncDeviceRow[]> {
    return this.db
      .selectFrom('sync_subscriptions as s')
      .innerJoin('sync_devices as d', 'd.id', 's.device_id')
      .selectAll('d')
      .where('s.pool_id', '=', k.poolId)
      .where('s.identity_id', '=', k.identityId)
      .where('s.dataset_name', '=', k.name)
      .orderBy('d.id')
      .execute();
  }

  /** Remembers the SNS endpoint made for a device's token, and the application it belongs to. */
  async setDeviceEndpoint(id: string, endpointArn: string | null, applicationArn: string | null): Promise<void> {
    await this.db.updateTable('sync_devices').set({ endpoint_arn: endpointArn, endpoint_app: applicationArn }).where('id', '=', id).execute();
  }

  /** Device ids subscribed to a dataset. */
  async subscribers(k: DatasetKey): Promise<string[]> {
    const rows = await this.db
      .selectFrom('sync_subscriptions')
      .select('device_id')
      .where('pool_id', '=', k.poolId)
      .where('identity_id', '=', k.identityId)
      .where('dataset_name', '=', k.name)
      .execute();
    return rows.map((r) => r.device_id);
  }

  // --- change notification across processes ---

  /** PostgreSQL NOTIFY; inside a transaction it is delivered on commit, and only then. */
  async notify(channel: string, payload: string): Promise<void> {
    if (this.engine === 'postgres') await sql`SELECT pg_notify(${channel}, ${payload})`.execute(this.db);
  }
}

/** A dedicated PostgreSQL connection that LISTENs on one channel. */
export interface ChannelListener {
  close(): Promise<void>;
}

export async function listenToChannel(
  opts: { databaseUrl: string; channel: string },
  onPayload: (payload: string) => void,
  onError: (e: Error) => void,
): Promise<ChannelListener> {
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  client.on('error', onError);
  client.on('notification', (n) => {
    if (n.channel === opts.channel && n.payload !== undefined) onPayload(n.payload);
  });
  await client.connect();
  await client.query(`LISTEN ${client.escapeIdentifier(opts.channel)}`);
  return {
    async close() {
      client.removeAllListeners('notification');
      await client.end().catch(() => undefined);
    },
  };
}
