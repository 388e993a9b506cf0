import type { DescribeIdentityPoolInput, IdentityPool } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';
import { identityPoolShape } from './pool-shape.js';

export default defineOperation<DescribeIdentityPoolInput, IdentityPool>('identity', 'DescribeIdentityPool', async (input, { app }) => {
  const pool = await app.identity.pools.get(input.IdentityPoolId);
  return identityPoolShape(pool, await app.identity.pools.tagsOf(pool));
});
