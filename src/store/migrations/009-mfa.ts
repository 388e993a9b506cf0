// Second factors and remembered devices:
// - totp_steps: the last TOTP time step accepted per user, so that a code (or an older one of the
//   ±1-step window) cannot be used twice (RFC 6238 §5.2); one conditional upsert per use.
// - devices: remembered devices (ConfirmDevice): the device's SRP salt and verifier sealed, its
//   group key, name, status and last sign-in. Keyed by DeviceKey (`<region>_<uuid>`).
// - webauthn_credentials: passkeys: the credential id, COSE public key, sign counter, transports.
// - webauthn_challenges: the one pending passkey registration per user (StartWebAuthnRegistration
//   to CompleteWebAuthnRegistration), consumed by a delete.
import type { Kysely } from 'kysely';
import { bigint, ctext } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);

  await db.schema
    .createTable('totp_steps')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('last_step', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('key', ctext(engine), (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('remembered', 'integer', (c) => c.notNull())
    .addColumn('verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('last_authenticated_at', ts)
    .addColumn('last_ip', 'text')
    .execute();
  await db.schema.createIndex('devices_user').on('devices').columns(['user_id', 'key']).execute();

  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('id', ctext(engine), (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('rp_id', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('sign_count', ts, (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('attachment', 'text')
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webauthn_credentials_user').on('webauthn_credentials').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('rp_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
}
