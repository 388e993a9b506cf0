// CreateUserImportJob: a Created job whose PreSignedUrl (served by Tessera) takes the CSV file by
// HTTP PUT. CloudWatchLogsRoleArn is kept and shown, not used: the job's log of failed rows is
// served beside the upload URL (README "Importing users").
import type { CreateUserImportJobRequest, CreateUserImportJobResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toUserImportJobType } from './import-job-shape.js';

export default defineOperation<CreateUserImportJobRequest, CreateUserImportJobResponse>('idp', 'CreateUserImportJob', async (input, { app }) => {
  const job = await app.imports.create(input.UserPoolId, {
    name: input.JobName,
    roleArn: input.CloudWatchLogsRoleArn,
    hashingAlgorithm: input.PasswordHashingAlgorithm,
  });
  return { UserImportJob: toUserImportJobType(job) };
});
