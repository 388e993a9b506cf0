// Page sizes of the list operations that take `Limit` (ListUsers, ListGroups, ListUsersInGroup,
// AdminListGroupsForUser): the model allows 0..60 and the validator has refused anything else.
// An absent Limit is the maximum. So is 0: an empty page would have to carry a token that
// leads nowhere new, and SDK paginators and the CLI loop until the token is omitted.

export const MAX_PAGE = 60;

/** @example pageSize(undefined) // 60;  pageSize(10) // 10 */
export function pageSize(limit: number | undefined, max = MAX_PAGE): number {
  return limit ? Math.min(limit, max) : max;
}
