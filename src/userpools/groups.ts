// Groups of a pool and their members, with Cognito's rules:
// - a group name is unique in its pool (GroupExistsException 'A group with the name already
//   exists.', from the store's constraint, not a read-then-write);
// - a missing group is ResourceNotFoundException 'Group not found.';
// - Precedence is 0..2^31-1 (the model only states the minimum; the documentation the maximum);
// - UpdateGroup changes only the members it is given;
// - deleting a group removes its memberships; deleting a user removes theirs (foreign keys);
// - the lists page with sealed tokens bound to the operation and its parameters.
// Users are resolved by the operations (app.users.get) and arrive here as ids.
import type { Clock } from '../clock.js';
import { GroupExistsException, InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import { UniqueViolation } from '../store/connect.js';
import type { GroupRow, UserRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { pageSize } from './paging.js';
import type { UserPools } from './pools.js';

export const GROUP_NOT_FOUND = 'Group not found.';
export const GROUP_EXISTS = 'A group with the name already exists.';
const MAX_PRECEDENCE = 2 ** 31 - 1;

/** The settable members of a group. `undefined` leaves a member as it is (UpdateGroup). */
export interface GroupFields {
  description?: string;
  roleArn?: string;
  precedence?: number;
}

export interface Page<T> {
  items: T[];
  /** Present only when more may follow. */
  nextToken?: string;
}

export class Groups {
  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly pools: UserPools,
  ) {}

  /** Creates a group; GroupExistsException when the pool has one of that name. */
  async create(poolId: string, name: string, fields: GroupFields): Promise<GroupRow> {
    await this.pools.get(poolId);
    checkPrecedence(fields.precedence);
    const now = this.clock.now();
    const row: GroupRow = {
      pool_id: poolId,
      name,
      description: fields.description ?? null,
      role_arn: fields.roleArn ?? null,
      precedence: fields.precedence ?? null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.store.groups.insert(row);
    } catch (e) {
      if (e instanceof UniqueViolation) throw new GroupExistsException(GROUP_EXISTS);
      throw e;
    }
    return row;
  }

  /** The group, or ResourceNotFoundException (for the pool, then for the group). */
  async get(poolId: string, name: string): Promise<GroupRow> {
    await this.pools.get(poolId);
    const row = await this.store.groups.get(poolId, name);
    if (!row) throw new ResourceNotFoundException(GROUP_NOT_FOUND);
    return row;
  }

  /** Changes the members given, keeps the others. */
  async update(poolId: string, name: string, fields: GroupFields): Promise<GroupRow> {
    await this.pools.get(poolId);
    checkPrecedence(fields.precedence);
    const patch: Partial<GroupRow> = { updated_at: this.clock.now() };
    if (fields.description !== undefined) patch.description = fields.description;
    if (fields.roleArn !== undefined) patch.role_arn = fields.roleArn;
    if (fields.precedence !== undefined) patch.precedence = fields.precedence;
    if (!(await this.store.groups.update(poolId, name, patch))) throw new ResourceNotFoundException(GROUP_NOT_FOUND);
    return (await this.store.groups.get(poolId, name)) ?? throwNotFound();
  }

  /** Deletes the group and, through the foreign key, its memberships. */
  async delete(poolId: string, name: string): Promise<void> {
    await this.pools.get(poolId);
    if (!(await this.store.groups.delete(poolId, name))) throw new ResourceNotFoundException(GROUP_NOT_FOUND);
  }

  /** The pool's groups by name. */
  async list(poolId: string, limit: number | undefined, token: string | undefined): Promise<Page<GroupRow>> {
    await this.pools.get(poolId);
    const scope = `ListGroups|${poolId}`;
    const after = decodePageToken<string>(this.pools.sealer, scope, token);
    const size = pageSize(limit);
    const rows = await this.store.groups.list(poolId, size + 1, after);
    return this.page(rows, size, scope, (g) => g.name);
  }

  /** Adds a member; adding a member twice is not an error. */
  async addUser(poolId: string, name: string, userId: string): Promise<void> {
    await this.get(poolId, name);
    try {
      await this.store.groups.addUser(poolId, name, userId);
    } catch (e) {
      // The group was deleted between the check and the insert (a foreign-key failure).
      if (!(await this.store.groups.get(poolId, name))) throw new ResourceNotFoundException(GROUP_NOT_FOUND);
      throw e;
    }
  }

  /** Removes a member; removing a user who is not a member is not an error. */
  async removeUser(poolId: string, name: string, userId: string): Promise<void> {
    await this.get(poolId, name);
    await this.store.groups.removeUser(poolId, name, userId);
  }

  /** The groups of a user by name (AdminListGroupsForUser). */
  async listForUser(poolId: string, userId: string, limit: number | undefined, token: string | undefined): Promise<Page<GroupRow>> {
    const scope = `AdminListGroupsForUser|${poolId}|${userId}`;
    const after = decodePageToken<string>(this.pools.sealer, scope, token);
    const size = pageSize(limit);
    const rows = await this.store.groups.listForUser(poolId, userId, size + 1, after);
    return this.page(rows, size, scope, (g) => g.name);
  }

  /** The members of a group by user id (ListUsersInGroup). */
  async listUsers(poolId: string, name: string, limit: number | undefined, token: string | undefined): Promise<Page<UserRow>> {
    await this.get(poolId, name);
    const scope = `ListUsersInGroup|${poolId}|${name}`;
    const after = decodePageToken<string>(this.pools.sealer, scope, token);
    const size = pageSize(limit);
    const rows = await this.store.groups.listUsers(poolId, name, size + 1, after);
    return this.page(rows, size, scope, (u) => u.id);
  }

  /**
   * Every group of a user, for the token claims cognito:groups, cognito:roles and
   * cognito:preferred_role. Ordered by precedence (unset last), then name.
   * @example const groups = await app.groups.groupsOfUser(pool.id, user.id)
   */
  async groupsOfUser(poolId: string, userId: string): Promise<GroupRow[]> {
    const all: GroupRow[] = [];
    const batch = 500;
    for (let after: string | undefined; ; ) {
      const rows = await this.store.groups.listForUser(poolId, userId, batch, after);
      all.push(...rows);
      if (rows.length < batch) break;
      after = rows[rows.length - 1].name;
    }
    return sortGroups(all);
  }

  /** Cuts a `size + 1` fetch into a page, with a token after its last item when more follow. */
  private page<T>(rows: T[], size: number, scope: string, keyOf: (row: T) => string): Page<T> {
    if (rows.length <= size) return { items: rows };
    const items = rows.slice(0, size);
    return { items, nextToken: encodePageToken(this.pools.sealer, scope, keyOf(items[items.length - 1])) };
  }
}

/** Groups in the order of the token claims: by precedence (unset last), then name. Sorts in place. */
export function sortGroups<G extends { name: string; precedence: number | null }>(groups: G[]): G[] {
  const rank = (g: G) => g.precedence ?? Number.POSITIVE_INFINITY;
  return groups.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function checkPrecedence(precedence: number | undefined): void {
  if (precedence !== undefined && (!Number.isInteger(precedence) || precedence > MAX_PRECEDENCE)) {
    throw new InvalidParameterException(`Precedence must be an integer from 0 to ${MAX_PRECEDENCE}.`);
  }
}

function throwNotFound(): never {
  throw new ResourceNotFoundException(GROUP_NOT_FOUND);
}
