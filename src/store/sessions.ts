// Rows of tracked user sessions (migration 015): token sessions beside their token families, and
// managed-login (SSO) sessions. Knows rows, not the rules of src/sessions/sessions.ts.
import { sql } from 'kysely';
import type { Engine } from './connect.js';
import type { Db } from './store.js';
import type { SsoSessionRow, TokenSessionRow } from './schema.js';

/** A live token session: its row and its family's. */
export interface TokenSessionView extends TokenSessionRow {
  client_id: string;
  created_at: number;
  expires_at: number;
}

export class SessionRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  /**
   * Inside a transaction: holds the user's sessions for a read-modify-write until it ends (an
   * advisory lock on PostgreSQL; SQLite runs one transaction at a time already).
   */
  async lockUser(userId: string): Promise<void> {
    if (this.engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${`tessera-sessions:${userId}`}, 0))`.execute(this.db);
  }

  async insertToken(row: TokenSessionRow): Promise<void> {
    await this.db.insertInto('token_sessions').values(row).onConflict((oc) => oc.column('family_id').doNothing()).execute();
  }

  async touchToken(familyId: string, at: number, ip: string | null, device: string | null): Promise<void> {
    await this.db.updateTable('token_sessions').set({ last_active_at: at, last_ip: ip, device_type: device }).where('family_id', '=', familyId).execute();
  }

  /** The user's token sessions whose family is neither revoked nor expired, most recently active first. */
  liveTokens(poolId: string, userId: string, now: number): Promise<TokenSessionView[]> {
    return this.db
      .selectFrom('token_sessions as s')
      .innerJoin('token_families as f', 'f.id', 's.family_id')
      .selectAll('s')
      .select(['f.client_id', 'f.created_at', 'f.expires_at'])
      .where('s.user_id', '=', userId)
      .where('s.pool_id', '=', poolId)
      .where('f.revoked_at', 'is', null)
      .where('f.expires_at', '>', now)
      .orderBy('s.last_active_at', 'desc')
      .orderBy('s.family_id')
      .execute();
  }

  /** Families of the token sessions that came through an SSO session. */
  async familiesOfSso(ssoId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('token_sessions').select('family_id').where('sso_session_id', '=', ssoId).execute();
    return rows.map((r) => r.family_id);
  }

  async deleteToken(familyId: string): Promise<void> {
    await this.db.deleteFrom('token_sessions').where('family_id', '=', familyId).execute();
  }

  async insertSso(row: SsoSessionRow): Promise<void> {
    await this.db.insertInto('sso_sessions').values(row).execute();
  }

  getSso(id: string): Promise<SsoSessionRow | undefined> {
    return this.db.selectFrom('sso_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async touchSso(id: string, at: number, ip: string | null, device: string | null): Promise<void> {
    await this.db.updateTable('sso_sessions').set({ last_active_at: at, last_ip: ip, device_type: device }).where('id', '=', id).execute();
  }

  liveSso(poolId: string, userId: string, now: number): Promise<SsoSessionRow[]> {
    return this.db
      .selectFrom('sso_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('pool_id', '=', poolId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_active_at', 'desc')
      .execute();
  }

  /** Ends an SSO session; false when it was unknown or already ended. */
  async revokeSso(id: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('sso_sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Drops SSO sessions past their expiry (and revoked ones once they would have expired). */
  async purgeSso(now: number): Promise<void> {
    await this.db.deleteFrom('sso_sessions').where('expires_at', '<', now).execute();
  }
}
