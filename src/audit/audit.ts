// app.audit: the audit trail. `record` appends one event (never failing the request that caused
// it: a store error is logged and swallowed), `list` reads a user's or a pool's events newest
// first in pages, `setFeedback` keeps an administrator's or user's Valid/Invalid verdict, and a
// purge deletes events older than TESSERA_AUDIT_RETENTION_DAYS, at start and then hourly on an
// unref'd timer (it never keeps the process alive).
//
// What goes in `detail` is decided by the callers (observe.ts): flow, challenge, reason, op name,
// access key id. Never a password, code, token or secret.
//
// Writes are off the response path: `record` queues the row and returns its id at once; a writer
// inserts the queue in multi-row INSERTs (at most BATCH_ROWS each, one batch in flight) a few
// milliseconds later. Nothing is dropped: past MAX_QUEUED rows, `record` waits for the writer
// (back-pressure instead of loss); every read of this process (list, get, setFeedback, purge)
// first writes what is queued, so it sees its own events; `close()` writes the rest (app.close,
// after the server stopped taking requests). A batch the store refuses is retried row by row, so
// one bad row costs only itself (logged, as before).
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import { randomBytes } from 'node:crypto';
import type { AuditCursor } from '../store/audit.js';
import type { AuditEventRow } from '../store/schema.js';
import type { Store } from '../store/store.js';

export type AuditOutcome = 'Pass' | 'Fail' | 'InProgress';

export interface AuditEvent {
  poolId?: string;
  clientId?: string;
  userId?: string;
  username?: string;
  /** SignIn, SignUp, ForgotPassword, PasswordChange, ResendCode, SignOut, MfaChange, DeleteUser, AdminAction, ... */
  type: string;
  outcome: AuditOutcome;
  sourceIp?: string;
  requestId?: string;
  detail?: Record<string, string | number | boolean | undefined>;
}

export interface StoredAuditEvent extends AuditEvent {
  id: string;
  createdAt: number;
  feedback?: { value: 'Valid' | 'Invalid'; at: number };
}

export interface AuditPage {
  events: StoredAuditEvent[];
  next?: string;
}

const PURGE_EVERY_MS = 60 * 60_000;
/** How long a recorded event may wait for others to share its INSERT. */
const FLUSH_DELAY_MS = 20;
const BATCH_ROWS = 200;
const MAX_QUEUED = 10_000;
const DAY_MS = 86_400_000;
const FEEDBACK_PURPOSE = 'audit-feedback';

export class Audit {
  private timer?: NodeJS.Timeout;
  private queue: AuditEventRow[] = [];
  /** Events queued since start, and those the writer is done with (stored, or logged as lost). */
  private recorded = 0;
  private written = 0;
  private flushTimer?: NodeJS.Timeout;
  /** The writer's current run; reads and close() wait for it. */
  private writing?: Promise<void>;
  private readonly observing = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      sealer: Sealer;
      log: Logger;
      retentionDays: number;
      /** Told of each event as it is recorded (the log export, src/log-delivery); must not throw. */
      onRecord?: (e: AuditEvent, id: string, at: number) => void;
    },
  ) {}

  /**
   * Queues one event and returns its id; the writer stores it within milliseconds (a store error
   * then is logged, never thrown).
   * @example await app.audit.record({ poolId, username, type: 'SignIn', outcome: 'Fail', sourceIp, requestId, detail: { reason } })
   */
  async record(e: AuditEvent): Promise<string> {
    const now = this.deps.clock.now();
    const id = eventId(now);
    this.queue.push({
      id,
      pool_id: e.poolId ?? null,
      client_id: e.clientId ?? null,
      user_id: e.userId ?? null,
      username: e.username ?? null,
      type: e.type,
      outcome: e.outcome,
      source_ip: e.sourceIp ?? null,
      request_id: e.requestId ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
      feedback: null,
      feedback_at: null,
      created_at: now,
    });
    this.recorded++;
    this.deps.onRecord?.(e, id, now);
    // Not flush(): an observation recording its event must not wait for the observations.
    if (this.queue.length >= MAX_QUEUED) await this.writeQueued();
    else this.flushTimer ??= setTimeout(() => void this.writeQueued(), FLUSH_DELAY_MS);
    return id;
  }

  /**
   * An observation still working out its event (observe.ts after the reply was sent): reads and
   * close() wait for it, so an answered call's event is never missing from a later read.
   */
  track(observation: Promise<unknown>): void {
    this.observing.add(observation);
    void observation.finally(() => this.observing.delete(observation));
  }

  /** Writes every event recorded so far (by this process), after the observations under way; never throws. */
  async flush(): Promise<void> {
    if (this.observing.size) await Promise.allSettled([...this.observing]);
    await this.writeQueued();
  }

  /** Writes the events queued by now. */
  private async writeQueued(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    // Up to the events recorded by now (later ones do not hold a reader up); one writer at a
    // time, taking the queue in order.
    const target = this.recorded;
    while (this.written < target) {
      if (!this.writing) {
        const batch = this.queue.splice(0, BATCH_ROWS);
        this.writing = this.write(batch).finally(() => {
          this.written += batch.length;
          this.writing = undefined;
        });
      }
      await this.writing;
    }
    if (this.queue.length) this.flushTimer ??= setTimeout(() => void this.writeQueued(), FLUSH_DELAY_MS);
  }

  private async write(rows: AuditEventRow[]): Promise<void> {
    try {
      await this.deps.store.audit.insertMany(rows);
      return;
    } catch {
      // One row may be the cause: the others still go in.
    }
    for (const row of rows) {
      try {
        await this.deps.store.audit.insertMany([row]);
      } catch (err) {
        this.deps.log.error({ err, requestId: row.request_id, type: row.type }, 'audit event not recorded');
      }
    }
  }

  /** A user's (or, without userId, a pool's) events, newest first; `next` continues. */
  async list(q: { poolId: string; userId?: string; types?: readonly string[]; limit: number; next?: string }): Promise<AuditPage> {
    await this.flush();
    const after = q.next ? decodeCursor(q.next) : undefined;
    const rows = await this.deps.store.audit.list({ poolId: q.poolId, userId: q.userId, types: q.types, limit: q.limit + 1, after });
    const events = rows.slice(0, q.limit).map(fromRow);
    const last = events[events.length - 1];
    return { events, next: rows.length > q.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : undefined };
  }

  async get(poolId: string, id: string): Promise<StoredAuditEvent | undefined> {
    await this.flush();
    const row = await this.deps.store.audit.get(poolId, id);
    return row ? fromRow(row) : undefined;
  }

  async setFeedback(poolId: string, id: string, value: 'Valid' | 'Invalid'): Promise<boolean> {
    await this.flush();
    return this.deps.store.audit.setFeedback(poolId, id, value, this.deps.clock.now());
  }

  /** A token that lets the user of one event give feedback on it (UpdateAuthEventFeedback). */
  feedbackToken(poolId: string, eventId: string, userId: string): string {
    return this.deps.sealer.sealJson(FEEDBACK_PURPOSE, { p: poolId, e: eventId, u: userId });
  }

  /** True when `token` was made by feedbackToken for this pool, event and user. */
  isFeedbackToken(token: string, poolId: string, eventId: string, userId: string): boolean {
    const t = this.deps.sealer.openJson<{ p: string; e: string; u: string }>(FEEDBACK_PURPOSE, token);
    return !!t && t.p === poolId && t.e === eventId && t.u === userId;
  }

  /** Deletes events older than the retention; returns how many went. */
  async purge(): Promise<number> {
    await this.flush();
    const n = await this.deps.store.audit.purgeBefore(this.deps.clock.now() - this.deps.retentionDays * DAY_MS);
    if (n) this.deps.log.info({ purged: n, retentionDays: this.deps.retentionDays }, 'audit events purged');
    return n;
  }

  /** Purges now and every hour; the timer does not keep the process alive. */
  startPurging(): void {
    const run = () => void this.purge().catch((err) => this.deps.log.warn({ err }, 'audit purge failed'));
    run();
    this.timer = setInterval(run, PURGE_EVERY_MS);
    this.timer.unref();
  }

  /** Stops purging and writes every queued event. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}

let sequence = 0;
/** Random bytes drawn 4 KiB at a time: one call into OpenSSL per 512 events instead of one each. */
let entropy = Buffer.alloc(0);
let entropyAt = 0;
function random8Hex(): string {
  if (entropyAt + 8 > entropy.length) {
    entropy = randomBytes(4096);
    entropyAt = 0;
  }
  entropyAt += 8;
  return entropy.toString('hex', entropyAt - 8, entropyAt);
}

/** Sortable like the rows: creation time, a per-process sequence, then randomness (UUID-sized). */
function eventId(now: number): string {
  sequence = (sequence + 1) % 0x10000;
  const hex = now.toString(16).padStart(12, '0') + sequence.toString(16).padStart(4, '0') + random8Hex();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fromRow(r: AuditEventRow): StoredAuditEvent {
  return {
    id: r.id,
    createdAt: Number(r.created_at),
    poolId: r.pool_id ?? undefined,
    clientId: r.client_id ?? undefined,
    userId: r.user_id ?? undefined,
    username: r.username ?? undefined,
    type: r.type,
    outcome: r.outcome as AuditOutcome,
    sourceIp: r.source_ip ?? undefined,
    requestId: r.request_id ?? undefined,
    detail: r.detail ? JSON.parse(r.detail) : undefined,
    feedback: r.feedback ? { value: r.feedback as 'Valid' | 'Invalid', at: Number(r.feedback_at) } : undefined,
  };
}

const encodeCursor = (c: AuditCursor): string => Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');

/** A NextToken back to a cursor; a malformed one reads as the start (the operation checks first). */
export function decodeCursor(token: string): AuditCursor | undefined {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    // Only what this server could have written: a time the columns hold, an id of event-id shape.
    if (Number.isSafeInteger(createdAt) && createdAt >= 0 && typeof id === 'string' && /^[\w-]{1,64}$/.test(id)) return { createdAt, id };
  } catch {
    /* not ours */
  }
  return undefined;
}
