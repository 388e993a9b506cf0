// StartUserImportJob: a Created job with its file uploaded becomes Pending and runs in the
// background; anything else is PreconditionNotMetException.
import type { StartUserImportJobRequest, StartUserImportJobResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toUserImportJobType } from './import-job-shape.js';

export default defineOperation<StartUserImportJobRequest, StartUserImportJobResponse>('idp', 'StartUserImportJob', async (input, { app }) => {
  return { UserImportJob: toUserImportJobType(await app.imports.start(input.UserPoolId, input.JobId)) };
});
