// StopUserImportJob: a Pending or InProgress job becomes Stopping, then Stopped after the batch it
// is on (users already imported stay); anything else is PreconditionNotMetException.
import type { StopUserImportJobRequest, StopUserImportJobResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toUserImportJobType } from './import-job-shape.js';

export default defineOperation<StopUserImportJobRequest, StopUserImportJobResponse>('idp', 'StopUserImportJob', async (input, { app }) => {
  return { UserImportJob: toUserImportJobType(await app.imports.stop(input.UserPoolId, input.JobId)) };
});
