// Wire shapes of groups, shared by the group operations.
import type { GroupType, UserType } from '../../models/idp-types.js';
import type { Sealer } from '../../crypto/sealed.js';
import type { GroupRow, UserRow } from '../../store/schema.js';
import type { GroupFields } from '../../userpools/groups.js';
import { toUserType, userFromRow } from '../../userpools/user.js';

/** GroupType: unset members are left out; dates in epoch seconds. */
export function toGroupType(row: GroupRow): GroupType {
  return {
    GroupName: row.name,
    UserPoolId: row.pool_id,
    ...(row.description !== null ? { Description: row.description } : {}),
    ...(row.role_arn !== null ? { RoleArn: row.role_arn } : {}),
    ...(row.precedence !== null ? { Precedence: row.precedence } : {}),
    LastModifiedDate: row.updated_at / 1000,
    CreationDate: row.created_at / 1000,
  };
}

/** The settable members of CreateGroup / UpdateGroup input. */
export function groupFields(input: { Description?: string; RoleArn?: string; Precedence?: number }): GroupFields {
  return { description: input.Description, roleArn: input.RoleArn, precedence: input.Precedence };
}

export function memberToUserType(row: UserRow, sealer: Sealer): UserType {
  return toUserType(userFromRow(row, sealer));
}
