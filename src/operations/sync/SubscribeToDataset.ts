import type { SubscribeToDatasetRequest, SubscribeToDatasetResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { datasetKey } from './wire.js';

export default defineOperation<SubscribeToDatasetRequest, SubscribeToDatasetResponse>('sync', 'SubscribeToDataset', async (input, { app, principal }) => {
  requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
  await app.sync.push.subscribe(datasetKey(input), input.DeviceId);
  return {};
});
