// DescribeResourceServer.
import type { DescribeResourceServerRequest, DescribeResourceServerResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeResourceServerRequest, DescribeResourceServerResponse>('idp', 'DescribeResourceServer', async (input, { app }) => {
  return { ResourceServer: await app.oauth.resourceServers.describe(input.UserPoolId, input.Identifier) };
});
