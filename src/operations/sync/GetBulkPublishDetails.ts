import type { GetBulkPublishDetailsRequest, GetBulkPublishDetailsResponse } from '../../models/sync-types.js';
import { requirePoolAdmin } from '../../sync/access.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetBulkPublishDetailsRequest, GetBulkPublishDetailsResponse>(
  'sync',
  'GetBulkPublishDetails',
  async (input, { app, principal }) => {
    requirePoolAdmin(principal, input.IdentityPoolId);
    const s = await app.sync.settings.bulkPublishState(input.IdentityPoolId);
    return {
      IdentityPoolId: input.IdentityPoolId,
      BulkPublishStatus: s.status,
      BulkPublishStartTime: s.startedAt === undefined ? undefined : s.startedAt / 1000,
      BulkPublishCompleteTime: s.completedAt === undefined ? undefined : s.completedAt / 1000,
      FailureMessage: s.failure,
    };
  },
);
