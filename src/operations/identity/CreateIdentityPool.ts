import type { CreateIdentityPoolInput, IdentityPool } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';
import { identityPoolShape, settingsOf } from './pool-shape.js';

export default defineOperation<CreateIdentityPoolInput, IdentityPool>('identity', 'CreateIdentityPool', async (input, { app }) => {
  const pool = await app.identity.pools.create(input.IdentityPoolName, settingsOf(input), input.IdentityPoolTags);
  return identityPoolShape(pool, input.IdentityPoolTags ?? {});
});
