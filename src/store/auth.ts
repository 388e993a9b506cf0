// Sign-in counters and single-use challenge ids (see migrations/003-auth.ts). Each failure is one
// upsert, so counts add up across processes without a read-then-write.
import { sql } from 'kysely';
import type { AuthFailureRow } from './schema.js';
import type { Db } from './store.js';
import { compiled } from './compiled.js';

/** A challenge answer's single-use record: a row back when this call inserted it. */
export const useOnceQuery = compiled((db, jti: string, expiresAt: number) =>
  db
    .insertInto('auth_used_challenges')
    .values({ jti, expires_at: expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .returning('jti'),
);

/** Every sign-in step's lockout check: compiled once. */
const failuresQuery = compiled((db, poolId: string, subject: string, other: string) =>
  db.selectFrom('auth_failures').selectAll().where('pool_id', '=', poolId).where('subject', 'in', [subject, other]),
);

export class AuthRepo {
  constructor(private readonly db: Db) {}

  /**
   * Counts one failure of `subject` at `now`; a count whose last failure is older than
   * `windowMs` starts over at 1. Returns the stored row after the update.
   */
  async countFailure(poolId: string, subject: string, now: number, windowMs: number): Promise<AuthFailureRow> {
    const row = await this.db
      .insertInto('auth_failures')
      .values({ pool_id: poolId, subject, failures: 1, last_failed_at: now })
      .onConflict((oc) =>
        oc.columns(['pool_id', 'subject']).doUpdateSet({
          failures: sql<number>`case when auth_failures.last_failed_at < ${now - windowMs} then 1 else auth_failures.failures + 1 end`,
          last_failed_at: now,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...row, failures: Number(row.failures), last_failed_at: Number(row.last_failed_at) };
  }

  /** The counters of two subjects (a sign-in's user and address) in one query; absent: none. */
  async failures(poolId: string, subject: string, other: string): Promise<[AuthFailureRow | undefined, AuthFailureRow | undefined]> {
    const rows = await failuresQuery(this.db, poolId, subject, other);
    const pick = (s: string) => {
      const row = rows.find((r) => r.subject === s);
      return row && { ...row, failures: Number(row.failures), last_failed_at: Number(row.last_failed_at) };
    };
    return [pick(subject), pick(other)];
  }

  async clearFailures(poolId: string, subject: string): Promise<void> {
    await this.db.deleteFrom('auth_failures').where('pool_id', '=', poolId).where('subject', '=', subject).execute();
  }

  /** Forgets counters whose last failure is before `before`. */
  async pruneFailures(before: number): Promise<void> {
    await this.db.deleteFrom('auth_failures').where('last_failed_at', '<', before).execute();
  }

  /**
   * Records that challenge `jti` has been answered. Returns false when it already was (a
   * replay): the primary key decides, so two processes racing on one answer cannot both win.
   */
  async useOnce(jti: string, expiresAt: number): Promise<boolean> {
    return (await useOnceQuery(this.db, jti, expiresAt)).length > 0;
  }

  /** Forgets used challenge ids, and challenge states, that have expired anyway. */
  async pruneUsed(now: number): Promise<void> {
    await this.db.deleteFrom('auth_used_challenges').where('expires_at', '<', now).execute();
    await this.db.deleteFrom('auth_session_state').where('expires_at', '<', now).execute();
  }

  /**
   * Keeps a challenge's (sealed) state under its Session id until `expiresAt`; states that expired
   * before `now` go at the same time (an indexed range).
   */
  async putSessionState(jti: string, state: string, expiresAt: number, now: number): Promise<void> {
    await this.db.deleteFrom('auth_session_state').where('expires_at', '<', now).execute();
    await this.db.insertInto('auth_session_state').values({ jti, state, expires_at: expiresAt }).execute();
  }

  /** Takes the state kept for a Session id, if any: it is read once, and deleted. */
  async takeSessionState(jti: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('auth_session_state').select('state').where('jti', '=', jti).executeTakeFirst();
    if (r) await this.db.deleteFrom('auth_session_state').where('jti', '=', jti).execute();
    return r?.state;
  }
}
