// Threat protection settings (SetRiskConfiguration): one row for the pool (client_id '') and one
// per app client that has its own; the document is the request's configuration members as JSON.
import type { Kysely } from 'kysely';
import { bigint } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('risk_configurations')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('updated_at', bigint(engine), (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_configurations_pk', ['pool_id', 'client_id'])
    .execute();
}
