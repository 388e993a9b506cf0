import type { DescribeIdentityPoolUsageRequest, DescribeIdentityPoolUsageResponse } from '../../models/sync-types.js';
import { requirePoolAdmin } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { toWirePoolUsage } from './wire.js';

export default defineOperation<DescribeIdentityPoolUsageRequest, DescribeIdentityPoolUsageResponse>(
  'sync',
  'DescribeIdentityPoolUsage',
  async (input, { app, principal }) => {
    requirePoolAdmin(principal, input.IdentityPoolId);
    return { IdentityPoolUsage: toWirePoolUsage(await app.sync.usage.ofPool(input.IdentityPoolId)) };
  },
);
