// ListUsers `sub ^= "..."` on PostgreSQL: users.id has the database's collation, under which a
// prefix is not always a contiguous range (glibc locales skip punctuation such as the hyphens of
// a UUID at the first level). A C-collated index on (pool_id, id) lets the prefix be one byte-wise
// range scan, as it already is on SQLite, whose text compares bytes.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`CREATE INDEX users_pool_sub_c ON users (pool_id, (id COLLATE "C"))`.execute(db);
}
