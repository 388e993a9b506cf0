import type { DescribeDatasetRequest, DescribeDatasetResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { datasetKey, toWireDataset } from './wire.js';

export default defineOperation<DescribeDatasetRequest, DescribeDatasetResponse>('sync', 'DescribeDataset', async (input, { app, principal }) => {
  requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
  return { Dataset: toWireDataset(await app.sync.datasets.describe(datasetKey(input))) };
});
