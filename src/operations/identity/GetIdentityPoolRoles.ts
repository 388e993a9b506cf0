import type { GetIdentityPoolRolesInput, GetIdentityPoolRolesResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetIdentityPoolRolesInput, GetIdentityPoolRolesResponse>('identity', 'GetIdentityPoolRoles', async (input, { app }) => {
  const pool = await app.identity.pools.get(input.IdentityPoolId);
  return {
    IdentityPoolId: pool.id,
    Roles: pool.roles.Roles,
    ...(pool.roles.RoleMappings && Object.keys(pool.roles.RoleMappings).length ? { RoleMappings: pool.roles.RoleMappings } : {}),
  };
});
