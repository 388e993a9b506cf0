// Cognito Sync: datasets and their records, per-pool sync settings, push devices and dataset
// subscriptions (identity-and-sync.md Part B).
import type { Kysely } from 'kysely';
import { bigint, ctext } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);
  const key = ctext(engine);

  // One row per dataset ever created; a deleted dataset keeps its row (deleted = 1) so that its
  // sync count stays monotonic and ListRecords can tell a client its copy predates the deletion.
  await db.schema
    .createTable('sync_datasets')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('name', key, (c) => c.notNull())
    .addColumn('sync_count', ts, (c) => c.notNull())
    .addColumn('num_records', 'integer', (c) => c.notNull())
    .addColumn('data_storage', ts, (c) => c.notNull())
    .addColumn('last_modified_by', 'text')
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('deleted_sync_count', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_datasets_pk', ['pool_id', 'identity_id', 'name'])
    .execute();

  // A record with a null value is a tombstone: other devices learn the removal through ListRecords.
  await db.schema
    .createTable('sync_records')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('dataset_name', key, (c) => c.notNull())
    .addColumn('key', key, (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('sync_count', ts, (c) => c.notNull())
    .addColumn('last_modified_by', 'text')
    .addColumn('device_modified_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_records_pk', ['pool_id', 'identity_id', 'dataset_name', 'key'])
    .addForeignKeyConstraint(
      'sync_records_dataset',
      ['pool_id', 'identity_id', 'dataset_name'],
      'sync_datasets',
      ['pool_id', 'identity_id', 'name'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  // ListRecords reads the records changed after a sync count, in (sync_count, key) order.
  await db.schema
    .createIndex('sync_records_changes')
    .on('sync_records')
    .columns(['pool_id', 'identity_id', 'dataset_name', 'sync_count', 'key'])
    .execute();

  // Push sync / streams configuration, Cognito Events and the bulk publish state of a pool, JSON.
  await db.schema
    .createTable('sync_pool_settings')
    .addColumn('pool_id', 'text', (c) => c.primaryKey())
    .addColumn('configuration', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('bulk_publish', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sync_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  // Registering the same push token again answers the same device id.
  await db.schema
    .createIndex('sync_devices_token')
    .unique()
    .on('sync_devices')
    .columns(['pool_id', 'identity_id', 'platform', 'token'])
    .execute();

  await db.schema
    .createTable('sync_subscriptions')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('dataset_name', key, (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull().references('sync_devices.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_subscriptions_pk', ['pool_id', 'identity_id', 'dataset_name', 'device_id'])
    .execute();
}
