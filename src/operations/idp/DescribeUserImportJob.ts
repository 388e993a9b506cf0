// DescribeUserImportJob: the job's status and counters (ImportedUsers, SkippedUsers, FailedUsers).
import type { DescribeUserImportJobRequest, DescribeUserImportJobResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toUserImportJobType } from './import-job-shape.js';

export default defineOperation<DescribeUserImportJobRequest, DescribeUserImportJobResponse>('idp', 'DescribeUserImportJob', async (input, { app }) => {
  return { UserImportJob: toUserImportJobType(await app.imports.describe(input.UserPoolId, input.JobId)) };
});
