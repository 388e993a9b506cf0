import type { BulkPublishRequest, BulkPublishResponse } from '../../models/sync-types.js';
import { requirePoolAdmin } from '../../sync/access.js';
import { defineOperation } from '../operation.js';

export default defineOperation<BulkPublishRequest, BulkPublishResponse>('sync', 'BulkPublish', async (input, { app, principal }) => {
  requirePoolAdmin(principal, input.IdentityPoolId);
  await app.sync.settings.bulkPublish(input.IdentityPoolId);
  return { IdentityPoolId: input.IdentityPoolId };
});
