import { sql } from 'kysely';

/** Epoch-millisecond columns: 64-bit on PostgreSQL (parsed back to numbers in connect.ts). */
export const bigint = (engine: 'sqlite' | 'postgres') => (engine === 'postgres' ? 'bigint' : 'integer');

/**
 * Text compared byte-wise, for keys searched by equality, prefix range and keyset pagination:
 * PostgreSQL's locale collations would order `a-b` and `ab` in ways a range scan cannot use.
 */
export const ctext = (engine: 'sqlite' | 'postgres') => (engine === 'postgres' ? sql`text collate "C"` : 'text');
