// Queries of the hot paths (a refresh, a GetUser, a sign-in) built and compiled by Kysely once per
// database, then run with each call's values: building and compiling a query costs more CPU than
// SQLite takes to run it. The SQL is exactly what Kysely makes for the same builder.
//
//   const byId = compiled((db, id) => db.selectFrom('users').selectAll().where('id', '=', id));
//   const rows = await byId(this.db, userId);
//
// `build` gets one placeholder per argument and must use each as a bound value (a `where`
// operand, a value to insert, a value interpolated in a sql`...` template, which Kysely binds too),
// never as an identifier or as SQL text (sql.ref, sql.raw, sql.lit, string concatenation): the
// placeholders are found among the compiled parameters and replaced there. A placeholder it does
// not bind is a programming error, thrown at the first call.
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './store.js';

const MARK = '\u0000tessera-compiled-';

interface Template {
  query: CompiledQuery;
  /** For each compiled parameter: the argument it takes, or -1 for a constant. */
  slots: number[];
}

export function compiled<R, A extends unknown[]>(build: (db: Db, ...placeholders: { [K in keyof A]: A[K] }) => Compilable<R>) {
  const templates = new WeakMap<Db, Template>();
  return async (db: Db, ...args: A): Promise<R[]> => {
    let t = templates.get(db);
    if (!t) {
      const marks = args.map((_, i) => `${MARK}${i}`) as unknown as A;
      const query = build(db, ...marks).compile();
      const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : -1));
      for (let i = 0; i < args.length; i++) {
        if (!slots.includes(i)) throw new Error(`compiled query: argument ${i} is not a bound value in ${query.sql}`);
      }
      t = { query, slots };
      templates.set(db, t);
    }
    const { query, slots } = t;
    const parameters = query.parameters.map((p, i) => (slots[i] === -1 ? p : args[slots[i]!]));
    const r = await db.executeQuery<R>({ ...query, parameters });
    return r.rows;
  };
}
