import type { ListIdentityPoolUsageRequest, ListIdentityPoolUsageResponse } from '../../models/sync-types.js';
import { requirePoolAdmin } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { toWirePoolUsage } from './wire.js';

export default defineOperation<ListIdentityPoolUsageRequest, ListIdentityPoolUsageResponse>(
  'sync',
  'ListIdentityPoolUsage',
  async (input, { app, principal }) => {
    requirePoolAdmin(principal);
    const page = await app.sync.usage.list({ maxResults: input.MaxResults, nextToken: input.NextToken });
    return {
      IdentityPoolUsages: page.usages.map(toWirePoolUsage),
      MaxResults: page.maxResults,
      Count: page.usages.length,
      NextToken: page.nextToken,
    };
  },
);
