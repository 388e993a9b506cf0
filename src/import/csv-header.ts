// GetCSVHeader: the columns of a pool's import file as Cognito lists them, the pool's attributes in
// schema order (standard ones, then custom ones), without `sub` and `identities`, followed by
// `cognito:mfa_enabled` and `cognito:username`. Tessera also reads one column Cognito does not
// list: `tessera:password_hash` (README "Importing users").
import { poolSchema } from '../userpools/attributes.js';
import type { UserPool } from '../userpools/pools.js';

export const USERNAME_COLUMN = 'cognito:username';
export const MFA_COLUMN = 'cognito:mfa_enabled';
export const HASH_COLUMN = 'tessera:password_hash';

const NOT_IMPORTED = new Set(['sub', 'identities']);

/** The pool's attribute columns (what a row may set). */
export function attributeColumns(pool: UserPool): string[] {
  return [...poolSchema(pool).keys()].filter((name) => !NOT_IMPORTED.has(name));
}

/** GetCSVHeader's list. */
export function csvHeader(pool: UserPool): string[] {
  return [...attributeColumns(pool), MFA_COLUMN, USERNAME_COLUMN];
}
