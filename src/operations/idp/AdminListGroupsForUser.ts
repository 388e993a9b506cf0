// AdminListGroupsForUser: the groups of a user (by username or alias) by name, paged by NextToken.
import type { AdminListGroupsForUserRequest, AdminListGroupsForUserResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toGroupType } from './group-shapes.js';

export default defineOperation<AdminListGroupsForUserRequest, AdminListGroupsForUserResponse>(
  'idp',
  'AdminListGroupsForUser',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    const user = await app.users.get(pool, input.Username);
    const page = await app.groups.listForUser(pool.id, user.id, input.Limit, input.NextToken);
    return { Groups: page.items.map(toGroupType), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  },
);
