// User import jobs (CreateUserImportJob & co.): the job with its counters; the uploaded CSV, kept
// in the database in chunks so that whichever process runs StartUserImportJob can read it (an
// upload is one `upload_id`: a new PUT replaces the previous one only once it has completed); and
// the rows that failed, with the reason (capped per job by the runner).
import type { Kysely } from 'kysely';
import { bigint } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);
  const blob = engine === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('user_import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('role_arn', 'text', (c) => c.notNull())
    .addColumn('hashing_algorithm', 'text')
    .addColumn('upload_id', 'text')
    .addColumn('upload_bytes', ts)
    .addColumn('imported', ts, (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', ts, (c) => c.notNull().defaultTo(0))
    .addColumn('failed', ts, (c) => c.notNull().defaultTo(0))
    .addColumn('completion_message', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('started_at', ts)
    .addColumn('completed_at', ts)
    .addColumn('heartbeat_at', ts)
    .execute();
  await db.schema.createIndex('user_import_jobs_pool').on('user_import_jobs').columns(['pool_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('user_import_chunks')
    .addColumn('job_id', 'text', (c) => c.notNull().references('user_import_jobs.id').onDelete('cascade'))
    .addColumn('upload_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_import_chunks_pk', ['job_id', 'upload_id', 'seq'])
    .execute();

  await db.schema
    .createTable('user_import_errors')
    .addColumn('job_id', 'text', (c) => c.notNull().references('user_import_jobs.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_import_errors_pk', ['job_id', 'line'])
    .execute();
}
