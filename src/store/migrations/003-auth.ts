// Sign-in state that must hold across processes: failure counters (per user or per typed name,
// and per client address) for lockout and rate limits, and the ids of SRP challenges already
// answered, so that a captured PASSWORD_VERIFIER answer cannot be replayed.
import type { Kysely } from 'kysely';
import { bigint, ctext } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);
  await db.schema
    .createTable('auth_failures')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('subject', ctext(engine), (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failed_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_failures_pk', ['pool_id', 'subject'])
    .execute();
  await db.schema.createIndex('auth_failures_age').on('auth_failures').column('last_failed_at').execute();

  await db.schema
    .createTable('auth_used_challenges')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_used_challenges_expiry').on('auth_used_challenges').column('expires_at').execute();
}
