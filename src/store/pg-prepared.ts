// Named prepared statements on PostgreSQL. node-postgres sends each query as an unnamed statement,
// so the server parses and plans it on every execution; for Tessera's point look-ups planning
// costs more than running (a refresh's token look-up: ~0.2-0.3 ms planning, ~0.06 ms execution).
// With a name, each connection parses and plans a statement once and afterwards only binds and
// executes it. Kysely always sends the same SQL text for the same query shape with the values
// bound, so the text is the statement's identity.
//
// Rules:
// - Only data statements (SELECT, INSERT, UPDATE, DELETE, WITH) with 1 to MAX_PARAMETERS bound
//   values get a name; schema changes, transaction control, big multi-row inserts and anything
//   else go unnamed.
// - Names come from one registry shared by every connection (the same text has the same name
//   everywhere), at most MAX_STATEMENTS texts; further texts go unnamed. So each connection holds
//   at most that many prepared statements on the server.
// - TESSERA_DATABASE_PREPARED_STATEMENTS=false turns it off, for a connection pooler in
//   transaction mode that does not carry prepared statements (PgBouncer before 1.21).
// - Nothing is named until the schema is migrated (`enable()`): a migration may change a table
//   that a statement prepared earlier in the same transaction returns.
// - A prepared `SELECT *` whose table gained a column since (another process migrated) fails with
//   "cached plan must not change result type" (SQLSTATE 0A000, raised by RevalidateCachedQuery),
//   and a statement the server no longer has (DEALLOCATE, DISCARD ALL, a pooler) fails with 26000.
//   That statement then goes unnamed on that connection; outside a transaction it is retried
//   unnamed at once, inside one the error stands (the transaction is already aborted).
import { createHash } from 'node:crypto';
import type pg from 'pg';

const MAX_STATEMENTS = 500;
const MAX_PARAMETERS = 100;
const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

export class PreparedStatements {
  private readonly names = new Map<string, string>();
  private enabled = false;

  /** Starts naming statements (call once migrations are done). */
  enable(): void {
    this.enabled = true;
  }

  /** The name for a statement's text with `parameters` values, or undefined when it stays unnamed. */
  nameOf(text: string, parameters: number): string | undefined {
    if (!this.enabled || parameters < 1 || parameters > MAX_PARAMETERS) return undefined;
    const known = this.names.get(text);
    if (known) return known;
    if (this.names.size >= MAX_STATEMENTS || !DATA_STATEMENT.test(text)) return undefined;
    const name = `t_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    this.names.set(text, name);
    return name;
  }

  /** Makes every client of the pool send named statements for the texts this registry names. */
  install(pool: pg.Pool): void {
    pool.on('connect', (client) => this.wrap(client));
  }

  private wrap(client: pg.PoolClient): void {
    const raw = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
    /** Statements of this connection whose prepared plan went stale: sent unnamed from then on. */
    const stale = new Set<string>();
    let inTransaction = false;
    const query = (text: unknown, values?: unknown, callback?: unknown): unknown => {
      if (typeof text !== 'string' || callback !== undefined) return raw(text, values, callback);
      const [, word, next] = /^\s*(\w+)\s*(\w*)/.exec(text)?.map((w) => w.toLowerCase()) ?? [];
      if (word === 'begin' || word === 'start') inTransaction = true;
      // ROLLBACK TO SAVEPOINT stays in the transaction.
      else if (word === 'commit' || word === 'end' || word === 'abort' || (word === 'rollback' && next !== 'to')) inTransaction = false;
      const name = Array.isArray(values) ? this.nameOf(text, values.length) : undefined;
      if (!name || stale.has(name)) return raw(text, values);
      const retryable = !inTransaction;
      return raw({ name, text, values }).catch((e: { code?: string; routine?: string }) => {
        // Matched by code and routine: the message is in the server's language.
        const stalePlan = e?.code === '0A000' && e.routine === 'RevalidateCachedQuery';
        if (!stalePlan && e?.code !== '26000') throw e;
        stale.add(name);
        if (!retryable) throw e;
        return raw(text, values);
      });
    };
    (client as unknown as { query: typeof query }).query = query;
  }
}
