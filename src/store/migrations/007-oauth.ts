// Hosted UI and OAuth: the pools' domains (at most one prefix and one custom domain each),
// resource servers with their custom scopes, classic UI customizations (pool-wide under the
// client id 'ALL', or per app client), managed-login brandings (one per app client), and the
// hosted-UI sessions that /logout ended before their cookie expired. Authorization codes need no
// table: they are sealed and made single-use through auth_used_challenges.
import type { Kysely } from 'kysely';
import { bigint, ctext } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);

  await db.schema
    .createTable('user_pool_domains')
    .addColumn('domain', ctext(engine), (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'prefix' | 'custom'
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_pool_domains_pool_kind').unique().on('user_pool_domains').columns(['pool_id', 'kind']).execute();

  await db.schema
    .createTable('resource_servers')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('identifier', ctext(engine), (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_servers_pk', ['pool_id', 'identifier'])
    .execute();

  await db.schema
    .createTable('ui_customizations')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('css', 'text')
    .addColumn('image', 'text')
    .addColumn('image_type', 'text')
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('ui_customizations_pk', ['pool_id', 'client_id'])
    .execute();

  await db.schema
    .createTable('managed_login_brandings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('app_clients.id').onDelete('cascade'))
    .addColumn('use_cognito_values', 'integer', (c) => c.notNull())
    .addColumn('settings', 'text')
    .addColumn('assets', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('managed_login_brandings_client').unique().on('managed_login_brandings').columns(['pool_id', 'client_id']).execute();

  await db.schema
    .createTable('hosted_sessions_ended')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hosted_sessions_ended_expiry').on('hosted_sessions_ended').column('expires_at').execute();
}
