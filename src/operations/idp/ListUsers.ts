// ListUsers: the users of a pool, optionally filtered by one condition, Limit (0..60, default
// 60) per page, PaginationToken onwards (src/userpools/list-users.ts has the rules).
import type { ListUsersRequest, ListUsersResponse } from '../../models/idp-types.js';
import { listUsers } from '../../userpools/list-users.js';
import { toUserType } from '../../userpools/user.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ListUsersRequest, ListUsersResponse>('idp', 'ListUsers', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  const page = await listUsers(app, pool, {
    filter: input.Filter,
    limit: input.Limit,
    attributesToGet: input.AttributesToGet,
    paginationToken: input.PaginationToken,
  });
  return {
    Users: page.users.map((u) => toUserType(u, page.only)),
    ...(page.paginationToken ? { PaginationToken: page.paginationToken } : {}),
  };
});
