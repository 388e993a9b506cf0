import type { DescribeIdentityUsageRequest, DescribeIdentityUsageResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeIdentityUsageRequest, DescribeIdentityUsageResponse>(
  'sync',
  'DescribeIdentityUsage',
  async (input, { app, principal }) => {
    requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
    const u = await app.sync.usage.ofIdentity(input.IdentityPoolId, input.IdentityId);
    return {
      IdentityUsage: {
        IdentityId: u.identityId,
        IdentityPoolId: u.identityPoolId,
        LastModifiedDate: u.lastModifiedAt === undefined ? undefined : u.lastModifiedAt / 1000,
        DatasetCount: u.datasetCount,
        DataStorage: u.bytes,
      },
    };
  },
);
