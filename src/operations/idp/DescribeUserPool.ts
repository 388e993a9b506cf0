import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeUserPoolRequest, DescribeUserPoolResponse>('idp', 'DescribeUserPool', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  return {
    UserPool: {
      ...pool.settings,
      Id: pool.id,
      Name: pool.name,
      Arn: pool.arn,
      CreationDate: pool.createdAt / 1000,
      LastModifiedDate: pool.updatedAt / 1000,
      EstimatedNumberOfUsers: await app.store.users.count(pool.id),
      UserPoolTags: await app.store.tags.list(pool.arn),
    },
  };
});
