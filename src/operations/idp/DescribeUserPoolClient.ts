import type { DescribeUserPoolClientRequest, DescribeUserPoolClientResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toClientType } from './pool-shapes.js';

export default defineOperation<DescribeUserPoolClientRequest, DescribeUserPoolClientResponse>('idp', 'DescribeUserPoolClient', async (input, { app }) => {
  return { UserPoolClient: toClientType(await app.pools.getClient(input.UserPoolId, input.ClientId)) };
});
