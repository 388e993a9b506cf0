import type { ListRecordsRequest, ListRecordsResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { datasetKey, notFoundAsInvalidParameter, toWireRecord } from './wire.js';

export default defineOperation<ListRecordsRequest, ListRecordsResponse>('sync', 'ListRecords', async (input, { app, principal }) => {
  requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
  const page = await notFoundAsInvalidParameter(() =>
    app.sync.records.list(datasetKey(input), {
      lastSyncCount: input.LastSyncCount,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      syncSessionToken: input.SyncSessionToken,
    }),
  );
  return {
    Records: page.records.map(toWireRecord),
    NextToken: page.nextToken,
    Count: page.records.length,
    DatasetSyncCount: page.datasetSyncCount,
    LastModifiedBy: page.lastModifiedBy,
    MergedDatasetNames: page.mergedDatasetNames,
    DatasetExists: page.datasetExists,
    DatasetDeletedAfterRequestedSyncCount: page.deletedAfterRequestedSyncCount,
    SyncSessionToken: page.syncSessionToken,
  };
});
