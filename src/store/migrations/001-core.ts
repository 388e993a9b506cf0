// The core tables: pools, clients, users with their unique aliases, groups, codes, tags, outbox.
import type { Kysely } from 'kysely';
import { bigint, ctext } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);
  const key = ctext(engine);
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('user_pools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('app_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('app_clients_pool').on('app_clients').columns(['pool_id', 'id']).execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_norm', key, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('password', 'text')
    .addColumn('mfa', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('password_updated_at', ts)
    .execute();
  // Usernames are unique per pool by constraint, not by read-then-write.
  await db.schema.createIndex('users_pool_username').unique().on('users').columns(['pool_id', 'username_norm']).execute();
  await db.schema.createIndex('users_pool_status').on('users').columns(['pool_id', 'status', 'username_norm']).execute();
  await db.schema.createIndex('users_pool_enabled').on('users').columns(['pool_id', 'enabled', 'username_norm']).execute();
  await db.schema.createIndex('users_pool_sub').on('users').columns(['pool_id', 'id']).execute();

  await db.schema
    .createTable('user_aliases')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value_norm', key, (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_aliases_pk', ['pool_id', 'kind', 'value_norm'])
    .execute();
  await db.schema.createIndex('user_aliases_user').on('user_aliases').column('user_id').execute();

  await db.schema
    .createTable('user_search')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('attr', 'text', (c) => c.notNull())
    .addColumn('value', key, (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_search_pk', ['pool_id', 'attr', 'value', 'user_id'])
    .execute();
  await db.schema.createIndex('user_search_user').on('user_search').column('user_id').execute();

  await db.schema
    .createTable('groups')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('role_arn', 'text')
    .addColumn('precedence', 'integer')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['pool_id', 'name'])
    .execute();
  await db.schema
    .createTable('user_groups')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_groups_pk', ['pool_id', 'group_name', 'user_id'])
    .addForeignKeyConstraint('user_groups_group', ['pool_id', 'group_name'], 'groups', ['pool_id', 'name'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('user_groups_user').on('user_groups').columns(['user_id', 'group_name']).execute();

  await db.schema
    .createTable('codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('codes_pk', ['user_id', 'purpose'])
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tags_pk', ['resource', 'key'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text')
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_dest').on('outbox').columns(['destination', 'created_at']).execute();
}
