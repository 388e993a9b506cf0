import type { UnsubscribeFromDatasetRequest, UnsubscribeFromDatasetResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { datasetKey } from './wire.js';

export default defineOperation<UnsubscribeFromDatasetRequest, UnsubscribeFromDatasetResponse>(
  'sync',
  'UnsubscribeFromDataset',
  async (input, { app, principal }) => {
    requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
    await app.sync.push.unsubscribe(datasetKey(input), input.DeviceId);
    return {};
  },
);
