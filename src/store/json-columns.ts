// Rows of a second table carried as one JSON column of a hot path's single query, so that a sign-in
// or refresh reads the user and what comes with it (groups, failure counters) in one statement
// instead of several. PostgreSQL aggregates with json_agg (node-postgres hands back parsed JSON),
// SQLite with json_group_array (JSON text); bigint columns arrive as JSON numbers either way.
import { sql, type RawBuilder } from 'kysely';
import type { Engine } from './connect.js';
import type { AuthFailureRow, GroupRow } from './schema.js';

/**
 * Every group of the user `userId` (a column reference such as 'f.user_id') in pool `poolId`, as
 * a JSON array: the user_groups (user_id, pool_id) index, then groups by primary key.
 */
export function groupsJson(engine: Engine, userId: string, poolId: string): RawBuilder<unknown> {
  const where = sql`from user_groups ug join groups g on g.pool_id = ug.pool_id and g.name = ug.group_name where ug.user_id = ${sql.ref(userId)} and ug.pool_id = ${sql.ref(poolId)}`;
  return engine === 'postgres'
    ? sql`(select coalesce(json_agg(g.*), '[]'::json) ${where})`
    : sql`(select json_group_array(json_object('pool_id', g.pool_id, 'name', g.name, 'description', g.description, 'role_arn', g.role_arn, 'precedence', g.precedence, 'created_at', g.created_at, 'updated_at', g.updated_at)) ${where})`;
}

export function groupsFromJson(v: unknown): GroupRow[] {
  return parse<GroupRow>(v).map((g) => ({
    pool_id: g.pool_id,
    name: g.name,
    description: g.description ?? null,
    role_arn: g.role_arn ?? null,
    precedence: g.precedence == null ? null : Number(g.precedence),
    created_at: Number(g.created_at),
    updated_at: Number(g.updated_at),
  }));
}

/**
 * The failure counters (lockout.ts) of pool `poolId` (a column reference) for the subjects given:
 * SQL expressions, bound values or column arithmetic such as `'user:' || u.id`.
 */
export function failuresJson(engine: Engine, poolId: string, subjects: RawBuilder<unknown>[]): RawBuilder<unknown> {
  const where = sql`from auth_failures af where af.pool_id = ${sql.ref(poolId)} and af.subject in (${sql.join(subjects)})`;
  return engine === 'postgres'
    ? sql`(select coalesce(json_agg(af.*), '[]'::json) ${where})`
    : sql`(select json_group_array(json_object('pool_id', af.pool_id, 'subject', af.subject, 'failures', af.failures, 'last_failed_at', af.last_failed_at)) ${where})`;
}

export function failuresFromJson(v: unknown): AuthFailureRow[] {
  return parse<AuthFailureRow>(v).map((f) => ({ pool_id: f.pool_id, subject: f.subject, failures: Number(f.failures), last_failed_at: Number(f.last_failed_at) }));
}

function parse<T>(v: unknown): T[] {
  return ((typeof v === 'string' ? JSON.parse(v) : v) as T[] | null) ?? [];
}
