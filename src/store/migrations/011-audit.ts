// Audit events (src/audit): one row per sign-in step, sign-out, password or MFA change and admin
// action. Read by user (AdminListUserAuthEvents, the console's user page), by pool (the console)
// and purged by age, so three indexes; no foreign keys: an event outlives the user it names.
import type { Kysely } from 'kysely';
import { bigint } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('username', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('feedback', 'text')
    .addColumn('feedback_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_user').on('audit_events').columns(['pool_id', 'user_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('audit_events_pool').on('audit_events').columns(['pool_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('audit_events_created').on('audit_events').columns(['created_at']).execute();
}
