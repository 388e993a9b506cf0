// Bulk rewrites of a pool's users for a change of its frozen settings
// (src/userpools/frozen-settings.ts), inside the caller's transaction: a few statements per 500
// users instead of four per user, so the pool row's lock is held for as short a time as it can be.
// Rows only: what to write is the domain's decision.
import { sql } from 'kysely';
import { rethrowUnique } from './connect.js';
import type { Db } from './store.js';
import type { AliasEntry, SearchEntry } from './users.js';

/** One user's new state; a member left out stays as stored. */
export interface UserRewrite {
  id: string;
  usernameNorm?: string;
  /** New attributes document (JSON) and its modification time. */
  attributes?: { json: string; updatedAt: number };
  aliases?: AliasEntry[];
  search?: SearchEntry[];
}

const CHUNK = 500;

export class FrozenRewriteRepo {
  constructor(private readonly db: Db) {}

  /** A broken unique index (a username or alias taken meanwhile) is UniqueViolation. */
  async rewrite(poolId: string, users: UserRewrite[]): Promise<void> {
    try {
      for (let i = 0; i < users.length; i += CHUNK) await this.chunk(poolId, users.slice(i, i + CHUNK));
    } catch (e) {
      rethrowUnique(e);
    }
  }

  private async chunk(poolId: string, part: UserRewrite[]): Promise<void> {
    const withAliases = part.filter((u) => u.aliases);
    const withSearch = part.filter((u) => u.search);
    if (withAliases.length) await this.db.deleteFrom('user_aliases').where('user_id', 'in', withAliases.map((u) => u.id)).execute();
    if (withSearch.length) await this.db.deleteFrom('user_search').where('user_id', 'in', withSearch.map((u) => u.id)).execute();

    const norms = part.filter((u) => u.usernameNorm !== undefined);
    if (norms.length) {
      const v = sql.join(norms.map((u) => sql`(${u.id}, ${u.usernameNorm!})`));
      await sql`WITH v(id, norm) AS (VALUES ${v})
        UPDATE users SET username_norm = (SELECT v.norm FROM v WHERE v.id = users.id)
        WHERE users.pool_id = ${poolId} AND users.id IN (SELECT v.id FROM v)`.execute(this.db);
    }
    const attrs = part.filter((u) => u.attributes);
    if (attrs.length) {
      const v = sql.join(attrs.map((u) => sql`(${u.id}, ${u.attributes!.json}, CAST(${u.attributes!.updatedAt} AS BIGINT))`));
      await sql`WITH v(id, attrs, upd) AS (VALUES ${v})
        UPDATE users SET attributes = (SELECT v.attrs FROM v WHERE v.id = users.id), updated_at = (SELECT v.upd FROM v WHERE v.id = users.id)
        WHERE users.pool_id = ${poolId} AND users.id IN (SELECT v.id FROM v)`.execute(this.db);
    }

    const aliasRows = withAliases.flatMap((u) => u.aliases!.map((a) => ({ pool_id: poolId, kind: a.kind, value_norm: a.valueNorm, user_id: u.id })));
    if (aliasRows.length) await this.db.insertInto('user_aliases').values(aliasRows).execute();
    const searchRows = withSearch.flatMap((u) => {
      const unique = new Map(u.search!.map((s) => [`${s.attr}\u0000${s.value}`, s]));
      return [...unique.values()].map((s) => ({ pool_id: poolId, attr: s.attr, value: s.value, user_id: u.id }));
    });
    for (let j = 0; j < searchRows.length; j += CHUNK) await this.db.insertInto('user_search').values(searchRows.slice(j, j + CHUNK)).execute();
  }
}
