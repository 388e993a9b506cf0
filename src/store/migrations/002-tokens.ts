// Token tables: per-pool signing keys (private halves sealed), sign-in families (one per sign-in:
// the unit that revocation and sign-out reach) and refresh tokens (stored as SHA-256 hashes).
import type { Kysely } from 'kysely';
import { bigint } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('token_use', 'text', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('retired_at', ts)
    .execute();
  // One key per (pool, token use, generation): processes that create or rotate keys at the same
  // time insert-or-ignore against this and re-read, so they all end up with the same key set.
  await db.schema
    .createIndex('signing_keys_generation')
    .unique()
    .on('signing_keys')
    .columns(['pool_id', 'token_use', 'generation'])
    .execute();

  await db.schema
    .createTable('token_families')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull().references('app_clients.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('auth_time', ts, (c) => c.notNull())
    .addColumn('device_key', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('token_families_user').on('token_families').columns(['user_id', 'revoked_at']).execute();
  await db.schema.createIndex('token_families_client').on('token_families').column('client_id').execute();
  await db.schema.createIndex('token_families_expiry').on('token_families').column('expires_at').execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('token_families.id').onDelete('cascade'))
    .addColumn('parent_hash', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_parent').on('refresh_tokens').column('parent_hash').execute();
}
