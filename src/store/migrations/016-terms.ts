// Terms documents of app clients (CreateTerms): a terms-of-use and a privacy-policy link set per
// client, shown on the hosted UI's sign-up page. One document of each name per client.
import type { Kysely } from 'kysely';
import { bigint } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);
  await db.schema
    .createTable('terms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('app_clients.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('enforcement', 'text', (c) => c.notNull())
    // JSON: language id (cognito:default, cognito:german, ...) -> URL
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('terms_client_name').unique().on('terms').columns(['client_id', 'name']).execute();
  await db.schema.createIndex('terms_pool').on('terms').columns(['pool_id', 'id']).execute();
}
