import { rethrowUnique } from './connect.js';
import type { Db } from './store.js';
import type { GroupRow, UserRow } from './schema.js';
import { compiled } from './compiled.js';

export class GroupRepo {
  constructor(private readonly db: Db) {}

  /** Throws UniqueViolation('groups') when the name is taken in the pool. */
  async insert(row: GroupRow): Promise<void> {
    try {
      await this.db.insertInto('groups').values(row).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  get(poolId: string, name: string): Promise<GroupRow | undefined> {
    return this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
  }

  async update(poolId: string, name: string, patch: Partial<Omit<GroupRow, 'pool_id' | 'name' | 'created_at'>>): Promise<boolean> {
    const r = await this.db.updateTable('groups').set(patch).where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(poolId: string, name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('groups').where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  list(poolId: string, limit: number, afterName?: string): Promise<GroupRow[]> {
    let q = this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).orderBy('name').limit(limit);
    if (afterName !== undefined) q = q.where('name', '>', afterName);
    return q.execute();
  }

  /** Adds a membership; adding one that exists is not an error. */
  async addUser(poolId: string, groupName: string, userId: string): Promise<void> {
    await this.db
      .insertInto('user_groups')
      .values({ pool_id: poolId, group_name: groupName, user_id: userId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async removeUser(poolId: string, groupName: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('user_groups')
      .where('pool_id', '=', poolId)
      .where('group_name', '=', groupName)
      .where('user_id', '=', userId)
      .execute();
  }

  /** The groups of a user, ordered by name, after `afterName`. */
  listForUser(poolId: string, userId: string, limit: number, afterName?: string): Promise<GroupRow[]> {
    // The first page is every refresh's and sign-in's group read: compiled once.
    if (afterName === undefined) return firstGroupsOfUser(this.db, poolId, userId, limit);
    let q = this.db
      .selectFrom('user_groups as ug')
      .innerJoin('groups as g', (j) => j.onRef('g.pool_id', '=', 'ug.pool_id').onRef('g.name', '=', 'ug.group_name'))
      .selectAll('g')
      .where('ug.user_id', '=', userId)
      .where('ug.pool_id', '=', poolId)
      .orderBy('g.name')
      .limit(limit);
    if (afterName !== undefined) q = q.where('g.name', '>', afterName);
    return q.execute();
  }

  /** Members of a group, ordered by user id, after `afterId`. */
  listUsers(poolId: string, groupName: string, limit: number, afterId?: string): Promise<UserRow[]> {
    let q = this.db
      .selectFrom('user_groups as ug')
      .innerJoin('users as u', 'u.id', 'ug.user_id')
      .selectAll('u')
      .where('ug.pool_id', '=', poolId)
      .where('ug.group_name', '=', groupName)
      .orderBy('u.id')
      .limit(limit);
    if (afterId !== undefined) q = q.where('u.id', '>', afterId);
    return q.execute();
  }
}

/** listForUser's first page. */
const firstGroupsOfUser = compiled((db, poolId: string, userId: string, limit: number) =>
  db
    .selectFrom('user_groups as ug')
    .innerJoin('groups as g', (j) => j.onRef('g.pool_id', '=', 'ug.pool_id').onRef('g.name', '=', 'ug.group_name'))
    .selectAll('g')
    .where('ug.user_id', '=', userId)
    .where('ug.pool_id', '=', poolId)
    .orderBy('g.name')
    .limit(limit),
);
