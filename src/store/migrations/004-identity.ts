// Identity pools (cognito-identity): pools, identities, the logins linked to them and the
// temporary credentials Tessera issues itself (secret and session token sealed at rest).
import { sql, type Kysely } from 'kysely';
import { bigint, ctext } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);
  const key = ctext(engine);

  await db.schema
    .createTable('identity_pools')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('principal_tags', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('identities')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('pool_id', key, (c) => c.notNull().references('identity_pools.id').onDelete('cascade'))
    // 1 until a login is first linked: only such identities may act without logins.
    .addColumn('guest', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('merged_into', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identities_pool').on('identities').columns(['pool_id', 'id']).execute();

  // A login (provider, subject) belongs to at most one identity of a pool, by primary key.
  await db.schema
    .createTable('identity_logins')
    .addColumn('pool_id', key, (c) => c.notNull())
    .addColumn('provider', key, (c) => c.notNull())
    .addColumn('subject', key, (c) => c.notNull())
    .addColumn('identity_id', key, (c) => c.notNull().references('identities.id').onDelete('cascade'))
    // 1 for public providers (one subject per provider per identity); 0 for the developer
    // provider, whose identifiers can gather on one identity through merges.
    .addColumn('exclusive', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_logins_pk', ['pool_id', 'provider', 'subject'])
    .execute();
  await db.schema.createIndex('identity_logins_identity').on('identity_logins').columns(['identity_id', 'provider', 'subject']).execute();
  await db.schema
    .createIndex('identity_logins_one_per_provider')
    .unique()
    .on('identity_logins')
    .columns(['identity_id', 'provider'])
    .where(sql.ref('exclusive'), '=', sql.lit(1))
    .execute();

  await db.schema
    .createTable('identity_credentials')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('identity_id', key, (c) => c.notNull().references('identities.id').onDelete('cascade'))
    .addColumn('pool_id', key, (c) => c.notNull())
    .addColumn('role_arn', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('session_token', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identity_credentials_expiry').on('identity_credentials').column('expires_at').execute();
  await db.schema.createIndex('identity_credentials_identity').on('identity_credentials').column('identity_id').execute();
}
