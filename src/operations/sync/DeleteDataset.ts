import type { DeleteDatasetRequest, DeleteDatasetResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { actorOf, datasetKey, toWireDataset } from './wire.js';

export default defineOperation<DeleteDatasetRequest, DeleteDatasetResponse>('sync', 'DeleteDataset', async (input, { app, principal }) => {
  requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
  return { Dataset: toWireDataset(await app.sync.datasets.delete(datasetKey(input), actorOf(principal))) };
});
