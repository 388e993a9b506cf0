import type { SetIdentityPoolRolesInput } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<SetIdentityPoolRolesInput>('identity', 'SetIdentityPoolRoles', async (input, { app }) => {
  await app.identity.pools.setRoles(input.IdentityPoolId, { Roles: input.Roles, RoleMappings: input.RoleMappings });
  return {};
});
