// ListUsers (api-surface.md §5): one filter condition turned into an indexed store query, pages
// cut by a keyset cursor inside a sealed token, attributes restricted to AttributesToGet.
//
// How each searchable attribute is matched (the same normalizations the indexes were written
// with, src/userpools/indexes.ts):
//   username             users.username_norm: case-insensitively unless the pool's usernames are
//                        case-sensitive (UsernameConfiguration.CaseSensitive), as sign-in does
//   sub                  users.id, exactly (case-sensitive)
//   cognito:user_status  users.status; the value is case-insensitive. A prefix is matched
//                        against the known statuses (CONFIRMED, UNCONFIRMED, ...) and each
//                        status it names is read in turn, every one an exact index range
//   status               users.enabled: "Enabled" / "Disabled", case-sensitive
//   email                user_search, case-insensitively (values are kept lower-cased)
//   phone_number, name, given_name, family_name, preferred_username
//                        user_search, case-sensitively, as written
//
// Pagination: a chain of tokens neither repeats nor skips a user that exists throughout, even
// while others are added or removed, because each page continues strictly after the sort key of
// the previous page's last row. The token is bound to pool, filter and AttributesToGet; a token
// used with other parameters, or altered, is an InvalidParameterException.
import type { Sealer } from '../crypto/sealed.js';
import { InvalidParameterException } from '../errors.js';
import type { Store } from '../store/store.js';
import type { UserCursor, UserQuery } from '../store/users.js';
import { poolSchema } from './attributes.js';
import { normalizeUsername } from './indexes.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { pageSize } from './paging.js';
import type { UserPool, UserPools } from './pools.js';
import { userFromRow, type User, type UserStatus } from './user.js';
import { parseUserFilter, type UserFilter } from './user-filter.js';

export interface ListUsersInput {
  filter?: string;
  limit?: number;
  attributesToGet?: string[];
  paginationToken?: string;
}

export interface ListUsersResult {
  users: User[];
  /** The attributes to return, when AttributesToGet restricts them. */
  only?: ReadonlySet<string>;
  /** Present only when more users may follow. */
  paginationToken?: string;
}

export interface ListUsersDeps {
  store: Store;
  pools: UserPools;
  sealer: Sealer;
}

const USER_STATUSES: readonly UserStatus[] = [
  'UNCONFIRMED',
  'CONFIRMED',
  'ARCHIVED',
  'COMPROMISED',
  'UNKNOWN',
  'RESET_REQUIRED',
  'FORCE_CHANGE_PASSWORD',
  'EXTERNAL_PROVIDER',
];

/**
 * The store queries a filter needs, read one after the other: usually one; none when nothing
 * can match; one per status for a prefix of cognito:user_status. `undefined` is every user.
 */
export function filterQueries(pool: UserPool, filter: UserFilter | undefined): (UserQuery | undefined)[] {
  if (!filter) return [undefined];
  const { attribute, operator: op, value } = filter;
  const matches = (candidate: string, v: string) => (op === '=' ? candidate === v : candidate.startsWith(v));
  switch (attribute) {
    case 'username':
      return [{ on: 'users', column: 'username_norm', op, value: normalizeUsername(pool, value) }];
    case 'sub':
      return [{ on: 'users', column: 'id', op, value }];
    case 'cognito:user_status': {
      const wanted = value.toUpperCase();
      if (op === '^=' && wanted === '') return [undefined];
      return USER_STATUSES.filter((s) => matches(s, wanted)).map((s) => ({ on: 'users', column: 'status', op: '=', value: s }));
    }
    case 'status': {
      const states = [
        { label: 'Enabled', enabled: 1 },
        { label: 'Disabled', enabled: 0 },
      ].filter((s) => matches(s.label, value));
      if (states.length === 2) return [undefined];
      return states.map((s) => ({ on: 'users', column: 'enabled', op: '=', value: s.enabled }));
    }
    default:
      return [{ on: 'search', attr: attribute, op, value: attribute === 'email' ? value.toLowerCase() : value }];
  }
}

/** Where a chain of pages stands: which of the filter's queries, and after which row of it. */
interface Position {
  q: number;
  after?: UserCursor;
}

/**
 * One page of ListUsers.
 * @example await listUsers(app, pool, { filter: 'email ^= "jo"', limit: 10 })
 */
export async function listUsers(deps: ListUsersDeps, pool: UserPool, input: ListUsersInput): Promise<ListUsersResult> {
  const only = input.attributesToGet ? checkAttributesToGet(pool, input.attributesToGet) : undefined;
  const filter = parseUserFilter(input.filter);
  const queries = filterQueries(pool, filter);
  const scope = [
    'ListUsers',
    pool.id,
    JSON.stringify(filter ?? null),
    input.attributesToGet ? JSON.stringify([...new Set(input.attributesToGet)].sort()) : '*',
  ].join('|');
  const start = decodePageToken<Position>(deps.sealer, scope, input.paginationToken) ?? { q: 0 };
  const size = pageSize(input.limit);

  const users: User[] = [];
  let next: Position | undefined;
  for (let q = start.q, after = start.after; q < queries.length; q++, after = undefined) {
    const want = size - users.length;
    // One row more than wanted says whether this query has more after the page.
    const found = await deps.store.users.list(pool.id, queries[q], want + 1, after);
    for (const row of found.rows.slice(0, want)) users.push(userFromRow(row, deps.sealer));
    if (found.rows.length > want) {
      next = { q, after: found.keys[want - 1] };
      break;
    }
    if (users.length === size) {
      if (q + 1 < queries.length) next = { q: q + 1 };
      break;
    }
  }
  return {
    users,
    only,
    ...(next ? { paginationToken: encodePageToken(deps.sealer, scope, next) } : {}),
  };
}

/** AttributesToGet names attributes of the pool's schema (standard or its own custom ones). */
function checkAttributesToGet(pool: UserPool, names: string[]): ReadonlySet<string> {
  const schema = poolSchema(pool);
  const unknown = names.filter((n) => !schema.has(n));
  if (unknown.length) {
    throw new InvalidParameterException(
      `AttributesToGet names attributes that are not in the user pool's schema: ${unknown.join(', ')}.`,
    );
  }
  return new Set(names);
}
