import type { ListDatasetsRequest, ListDatasetsResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { notFoundAsInvalidParameter, toWireDataset } from './wire.js';

export default defineOperation<ListDatasetsRequest, ListDatasetsResponse>('sync', 'ListDatasets', async (input, { app, principal }) => {
  requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
  const { datasets, nextToken } = await notFoundAsInvalidParameter(() =>
    app.sync.datasets.list(input.IdentityPoolId, input.IdentityId, { maxResults: input.MaxResults, nextToken: input.NextToken }),
  );
  return { Datasets: datasets.map(toWireDataset), Count: datasets.length, NextToken: nextToken };
});
