// What the store indexes for a user: its unique aliases (sign-in by e-mail, phone or preferred
// username) and its searchable values (ListUsers filters). Written with every user insert and
// update, read by sign-in lookups and ListUsers, so both sides use these same normalizations.
import type { AliasEntry, SearchEntry } from '../store/users.js';
import type { UserPool } from './pools.js';
import { SEARCHABLE_ATTRIBUTES } from './schema.js';
import type { User } from './user.js';

export type AliasKind = 'email' | 'phone_number' | 'preferred_username';

/** E-mail compares case-insensitively; preferred_username and usernames follow the pool's case setting. */
export function normalizeAlias(pool: UserPool, kind: AliasKind, value: string): string {
  if (kind === 'email') return value.toLowerCase();
  if (kind === 'preferred_username') return normalizeUsername(pool, value);
  return value;
}

export function isCaseSensitive(pool: UserPool): boolean {
  return pool.settings.UsernameConfiguration?.CaseSensitive === true;
}

export function normalizeUsername(pool: UserPool, username: string): string {
  return isCaseSensitive(pool) ? username : username.toLowerCase();
}

/**
 * Aliases a user holds. An e-mail or phone that is a *username attribute* is unique whether
 * verified or not; one that is an *alias attribute* is an alias only once verified;
 * preferred_username, when an alias attribute, is unique whenever set.
 */
export function aliasEntries(pool: UserPool, user: User): AliasEntry[] {
  const usernameAttrs = new Set<string>(pool.settings.UsernameAttributes ?? []);
  const aliasAttrs = new Set<string>(pool.settings.AliasAttributes ?? []);
  const out: AliasEntry[] = [];
  for (const kind of ['email', 'phone_number', 'preferred_username'] as const) {
    const value = user.attributes[kind];
    if (!value) continue;
    const verified = kind === 'preferred_username' || user.attributes[`${kind}_verified`] === 'true';
    if (usernameAttrs.has(kind) || (aliasAttrs.has(kind) && verified)) {
      out.push({ kind, valueNorm: normalizeAlias(pool, kind, value) });
    }
  }
  return out;
}

/**
 * Values ListUsers can filter on that live outside the users table. E-mail is searched
 * case-insensitively (stored lower-cased); the other attributes as written.
 * (username, sub, cognito:user_status and status are columns of users.)
 */
export function searchEntries(user: User): SearchEntry[] {
  const out: SearchEntry[] = [];
  for (const attr of SEARCHABLE_ATTRIBUTES) {
    const value = user.attributes[attr];
    if (value) out.push({ attr, value: searchKey(attr === 'email' ? value.toLowerCase() : value) });
  }
  return out;
}

/**
 * A ListUsers filter is at most 256 characters, so its value, even lower-cased for e-mail (İ
 * becomes two code points), is shorter than SEARCH_KEY_CHARS: a value cut to SEARCH_KEY_CHARS
 * code points matches `=` and `^=` exactly as the whole value does (a longer value can equal no
 * filter value, and a filter is a prefix of the value exactly when it is one of the cut value).
 * Cut, every entry fits PostgreSQL's index (at most 2,052 bytes; names may be 2,048 characters,
 * up to 8 KB of UTF-8). A look-up by a longer value (auto-linking by e-mail) cuts it the same way
 * and compares the whole values itself.
 */
const SEARCH_KEY_CHARS = 2 * 256 + 1;

export function searchKey(value: string): string {
  if (value.length <= SEARCH_KEY_CHARS) return value;
  let end = 0;
  for (let n = 0; n < SEARCH_KEY_CHARS && end < value.length; n++) end += value.codePointAt(end)! > 0xffff ? 2 : 1;
  return value.slice(0, end);
}
