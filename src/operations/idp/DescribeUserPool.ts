import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toUserPoolType } from './pool-shapes.js';

export default defineOperation<DescribeUserPoolRequest, DescribeUserPoolResponse>('idp', 'DescribeUserPool', async (input, { app }) => {
  return { UserPool: await toUserPoolType(app, await app.pools.get(input.UserPoolId)) };
});
