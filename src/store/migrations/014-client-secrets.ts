// Client secret rotation (AddUserPoolClientSecret): an app client may hold up to two secrets.
// `secrets` lists them all, oldest first, as JSON [{ id, secret (sealed), created_at }]; null on a
// client that never had one added or deleted, whose one secret is still the `secret` column alone.
// `secret` always holds the oldest active secret (what DescribeUserPoolClient shows).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_clients').addColumn('secrets', 'text').execute();
}
