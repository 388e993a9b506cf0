// ListUserImportJobs: the pool's jobs, newest first; MaxResults (1..60) is required, pages go on
// with PaginationToken (not NextToken), omitted on the last page.
import type { ListUserImportJobsRequest, ListUserImportJobsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toUserImportJobType } from './import-job-shape.js';

export default defineOperation<ListUserImportJobsRequest, ListUserImportJobsResponse>('idp', 'ListUserImportJobs', async (input, { app }) => {
  const page = await app.imports.list(input.UserPoolId, input.MaxResults, input.PaginationToken);
  return {
    UserImportJobs: page.jobs.map(toUserImportJobType),
    ...(page.next ? { PaginationToken: page.next } : {}),
  };
});
