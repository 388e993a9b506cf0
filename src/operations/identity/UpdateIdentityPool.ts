// Full replacement: settings left out return to their defaults (tags are kept unless given).
import type { IdentityPool } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';
import { identityPoolShape, settingsOf } from './pool-shape.js';

export default defineOperation<IdentityPool, IdentityPool>('identity', 'UpdateIdentityPool', async (input, { app }) => {
  const pool = await app.identity.pools.update(input.IdentityPoolId, input.IdentityPoolName, settingsOf(input), input.IdentityPoolTags);
  return identityPoolShape(pool, await app.identity.pools.tagsOf(pool));
});
