// Second factors and remembered devices (see migrations/009-mfa.ts): TOTP steps, devices,
// passkeys and pending passkey registrations. Rows only; the rules are in src/auth.
import { sql, type Kysely } from 'kysely';
import { rethrowUnique, type Engine } from './connect.js';
import type { Database, DeviceRow, WebAuthnChallengeRow, WebAuthnCredentialRow } from './schema.js';
import type { Db } from './store.js';

export class TotpStepRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine = 'sqlite',
  ) {}

  /**
   * Records `step` as the user's last accepted TOTP step, only if it is later than the one
   * recorded. False when it is not: the code (or an older one) was used already. The
   * conditional upsert decides, so two requests racing with one code cannot both win.
   */
  async advance(userId: string, step: number): Promise<boolean> {
    const r = await this.db
      .insertInto('totp_steps')
      .values({ user_id: userId, last_step: step })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_step: step }).where('totp_steps.last_step', '<', step))
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * A right SOFTWARE_TOKEN_MFA answer's two writes at once: `advance(userId, step)`, then, only if
   * that won, the challenge `jti` marked used (auth_used_challenges, as AuthRepo.useOnce). The
   * outcome is the same as those two calls in that order: `advanced` false means the step (or a
   * later one) was used already and nothing was written; `used` false means the challenge had been
   * answered before (the step stays recorded, as it would have). On PostgreSQL it is one statement
   * (two data-modifying CTEs, so one round trip); the conditional upsert still decides between
   * racing requests, in any number of processes. On SQLite the two statements share one
   * transaction (one commit).
   */
  async advanceAndUse(userId: string, step: number, jti: string, expiresAt: number): Promise<{ advanced: boolean; used: boolean }> {
    if (this.engine === 'postgres') {
      const r = await sql<{ advanced: string | number; used: string | number }>`
        with adv as (
          insert into totp_steps (user_id, last_step) values (${userId}, ${step})
          on conflict (user_id) do update set last_step = excluded.last_step where totp_steps.last_step < excluded.last_step
          returning 1
        ), used as (
          insert into auth_used_challenges (jti, expires_at) select ${jti}, ${expiresAt} where exists (select 1 from adv)
          on conflict (jti) do nothing
          returning 1
        )
        select (select count(*) from adv) as advanced, (select count(*) from used) as used`.execute(this.db);
      const row = r.rows[0]!;
      return { advanced: Number(row.advanced) > 0, used: Number(row.used) > 0 };
    }
    const both = async (db: Db) => {
      if (!(await new TotpStepRepo(db).advance(userId, step))) return { advanced: false, used: false };
      const u = await db.insertInto('auth_used_challenges').values({ jti, expires_at: expiresAt }).onConflict((oc) => oc.column('jti').doNothing()).executeTakeFirst();
      return { advanced: true, used: Number(u.numInsertedOrUpdatedRows ?? 0n) > 0 };
    };
    return this.db.isTransaction ? both(this.db) : (this.db as Kysely<Database>).transaction().execute(both);
  }
}

export class DeviceRepo {
  constructor(private readonly db: Db) {}

  /** Inserts a device; a DeviceKey already present is a UniqueViolation. */
  async insert(row: DeviceRow): Promise<void> {
    await this.db.insertInto('devices').values(row).execute().catch(rethrowUnique);
  }

  get(key: string): Promise<DeviceRow | undefined> {
    return this.db.selectFrom('devices').selectAll().where('key', '=', key).executeTakeFirst();
  }

  /** The user's devices in key order, after `after`, at most `limit`. */
  list(userId: string, limit: number, after?: string): Promise<DeviceRow[]> {
    let q = this.db.selectFrom('devices').selectAll().where('user_id', '=', userId);
    if (after !== undefined) q = q.where('key', '>', after);
    return q.orderBy('key').limit(limit).execute();
  }

  async update(key: string, patch: Partial<Pick<DeviceRow, 'remembered' | 'updated_at' | 'last_authenticated_at' | 'last_ip' | 'name'>>): Promise<boolean> {
    const r = await this.db.updateTable('devices').set(patch).where('key', '=', key).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(key: string): Promise<boolean> {
    const r = await this.db.deleteFrom('devices').where('key', '=', key).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

export class WebAuthnRepo {
  constructor(private readonly db: Db) {}

  async insertCredential(row: WebAuthnCredentialRow): Promise<void> {
    await this.db.insertInto('webauthn_credentials').values(row).execute().catch(rethrowUnique);
  }

  getCredential(id: string): Promise<WebAuthnCredentialRow | undefined> {
    return this.db.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The user's passkeys, oldest first, after credential `after` (its created_at, id), at most `limit`. */
  listCredentials(userId: string, limit: number, after?: { createdAt: number; id: string }): Promise<WebAuthnCredentialRow[]> {
    let q = this.db.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId);
    if (after) {
      q = q.where((eb) =>
        eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]),
      );
    }
    return q.orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  async countCredentials(userId: string): Promise<number> {
    const r = await this.db.selectFrom('webauthn_credentials').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /**
   * Moves the sign counter forward; false when the stored one is not below `count` (a cloned
   * authenticator, or a replay). Authenticators that keep no counter send 0 every time: the
   * caller skips the check for them.
   */
  async advanceCounter(id: string, count: number): Promise<boolean> {
    const r = await this.db.updateTable('webauthn_credentials').set({ sign_count: count }).where('id', '=', id).where('sign_count', '<', count).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteCredential(userId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webauthn_credentials').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Replaces the user's pending registration. */
  async putChallenge(row: WebAuthnChallengeRow): Promise<void> {
    await this.db
      .insertInto('webauthn_challenges')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ challenge: row.challenge, rp_id: row.rp_id, client_id: row.client_id, expires_at: row.expires_at }))
      .execute();
  }

  /** Takes the user's pending registration away (single use). */
  async takeChallenge(userId: string): Promise<WebAuthnChallengeRow | undefined> {
    return this.db.deleteFrom('webauthn_challenges').where('user_id', '=', userId).returningAll().executeTakeFirst();
  }
}
