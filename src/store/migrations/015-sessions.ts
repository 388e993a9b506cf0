// User session tracking (SetUserPoolSessionConfiguration UserSessionTracking ENABLED): what
// Tessera keeps about a session beyond what signing in already stores. Nothing is written here
// while a pool does not track sessions.
//   token_sessions  one per tracked sign-in (token family): its last activity, address and device,
//                   and the SSO session it came through; it goes with its family
//   sso_sessions    one per tracked managed-login (hosted UI) session: the cookie names its id
import type { Kysely } from 'kysely';
import { bigint } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);
  await db.schema
    .createTable('token_sessions')
    .addColumn('family_id', 'text', (c) => c.primaryKey().references('token_families.id').onDelete('cascade'))
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('sso_session_id', 'text')
    .addColumn('last_active_at', ts, (c) => c.notNull())
    .addColumn('last_ip', 'text')
    .addColumn('device_type', 'text')
    .execute();
  await db.schema.createIndex('token_sessions_user').on('token_sessions').columns(['user_id', 'last_active_at']).execute();
  await db.schema.createIndex('token_sessions_sso').on('token_sessions').column('sso_session_id').execute();

  await db.schema
    .createTable('sso_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('auth_time', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_active_at', ts, (c) => c.notNull())
    .addColumn('last_ip', 'text')
    .addColumn('device_type', 'text')
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('sso_sessions_user').on('sso_sessions').columns(['user_id', 'expires_at']).execute();
}
