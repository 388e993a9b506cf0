// Cognito Sync rows whose identity or identity pool was deleted before DeleteIdentities and
// DeleteIdentityPool took them along: no call could reach them, yet they were counted by the
// usage reports and sent by BulkPublish. They go.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['sync_records', 'sync_subscriptions', 'sync_datasets', 'sync_devices']) {
    await sql`DELETE FROM ${sql.table(table)} WHERE NOT EXISTS (SELECT 1 FROM identities i WHERE i.id = ${sql.ref(`${table}.identity_id`)})`.execute(db);
  }
  await sql`DELETE FROM sync_pool_settings WHERE NOT EXISTS (SELECT 1 FROM identity_pools p WHERE p.id = sync_pool_settings.pool_id)`.execute(db);
}
