// Push sync delivery: each registered device remembers the SNS platform endpoint made for its
// token at the first push (and the application ARN it was made under, so that a pool moved to
// another SNS application gets new endpoints).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sync_devices').addColumn('endpoint_arn', 'text').execute();
  await db.schema.alterTable('sync_devices').addColumn('endpoint_app', 'text').execute();
}
