// Audit events: appended, read newest first by user or by pool (keyset pages on created_at, id),
// feedback set on one, and purged by age.
import { sql } from 'kysely';
import type { AuditEventRow } from './schema.js';
import type { Db } from './store.js';
import type { Engine } from './connect.js';
import { compiled } from './compiled.js';

const COLUMNS = [
  'id',
  'pool_id',
  'client_id',
  'user_id',
  'username',
  'type',
  'outcome',
  'source_ip',
  'request_id',
  'detail',
  'feedback',
  'feedback_at',
  'created_at',
] as const satisfies readonly (keyof AuditEventRow)[];
/** Fails to compile when AuditEventRow gains a column COLUMNS does not list. */
const everyColumn: Exclude<keyof AuditEventRow, (typeof COLUMNS)[number]> extends never ? true : never = true;
void everyColumn;

/** PostgreSQL's type of each column, for the arrays insertMany unnests. */
const PG_TYPES: Record<(typeof COLUMNS)[number], 'text' | 'bigint'> = {
  id: 'text',
  pool_id: 'text',
  client_id: 'text',
  user_id: 'text',
  username: 'text',
  type: 'text',
  outcome: 'text',
  source_ip: 'text',
  request_id: 'text',
  detail: 'text',
  feedback: 'text',
  feedback_at: 'bigint',
  created_at: 'bigint',
};

/**
 * PostgreSQL: any number of rows as one array per column, so one statement text serves every
 * batch size and is prepared once per connection (a multi-row VALUES of 13 parameters a row is a
 * new text for each size, and past 100 parameters is never prepared: pg-prepared.ts).
 */
const insertUnnestPg = compiled((db, ...columns: unknown[][]) =>
  db
    .insertInto('audit_events')
    .columns([...COLUMNS])
    .expression(sql`select * from unnest(${sql.join(columns.map((c, i) => sql`${c}::${sql.raw(PG_TYPES[COLUMNS[i]!])}[]`))})`),
);

/** SQLite: the rows as one JSON array, taken apart by json_each; again one statement for every batch size. */
const insertJsonSqlite = compiled((db, rows: string) =>
  db
    .insertInto('audit_events')
    .columns([...COLUMNS])
    .expression(sql`select ${sql.join(COLUMNS.map((c) => sql.raw(`json_extract(value, '$.${c}')`)))} from json_each(${rows})`),
);

export interface AuditCursor {
  createdAt: number;
  id: string;
}

export interface AuditQuery {
  poolId: string;
  /** One user's events; all of the pool's when absent. */
  userId?: string;
  /** Only these types, when given. */
  types?: readonly string[];
  limit: number;
  /** Events strictly older than this one. */
  after?: AuditCursor;
}

export class AuditRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  async insert(row: AuditEventRow): Promise<void> {
    await this.db.insertInto('audit_events').values(row).execute();
  }

  /**
   * One INSERT of all the rows (keep it to a few hundred), by one statement whatever their number
   * (a multi-row VALUES would be a new statement for each batch size): PostgreSQL takes one array
   * per column (insertUnnestPg), SQLite one JSON array (insertJsonSqlite).
   */
  async insertMany(rows: AuditEventRow[]): Promise<void> {
    if (!rows.length) return;
    if (this.engine === 'postgres') await insertUnnestPg(this.db, ...COLUMNS.map((c) => rows.map((row) => row[c])));
    else await insertJsonSqlite(this.db, JSON.stringify(rows));
  }

  list(q: AuditQuery): Promise<AuditEventRow[]> {
    let query = this.db.selectFrom('audit_events').selectAll().where('pool_id', '=', q.poolId);
    if (q.userId !== undefined) query = query.where('user_id', '=', q.userId);
    if (q.types?.length) query = query.where('type', 'in', [...q.types]);
    const after = q.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  }

  get(poolId: string, id: string): Promise<AuditEventRow | undefined> {
    return this.db.selectFrom('audit_events').selectAll().where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
  }

  async setFeedback(poolId: string, id: string, value: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('audit_events')
      .set({ feedback: value, feedback_at: at })
      .where('pool_id', '=', poolId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Deletes the events created before `before`; returns how many. */
  async purgeBefore(before: number): Promise<number> {
    const r = await this.db.deleteFrom('audit_events').where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
