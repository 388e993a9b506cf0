// The state of a challenge too large for its Session (Cognito's Session is at most 2,048
// characters): a custom sign-in's history and private challenge parameters, sealed, kept under
// the Session's id until it expires.
import type { Kysely } from 'kysely';
import { bigint } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('auth_session_state')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('expires_at', bigint(engine), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_session_state_expiry').on('auth_session_state').column('expires_at').execute();
}
