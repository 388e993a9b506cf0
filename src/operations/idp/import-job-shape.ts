// UserImportJobType from an import job of the domain (src/import/jobs.ts): dates in epoch seconds.
import type { ImportJob } from '../../import/jobs.js';
import type { UserImportJobType } from '../../models/idp-types.js';

export function toUserImportJobType(job: ImportJob): UserImportJobType {
  return {
    JobName: job.name,
    JobId: job.id,
    UserPoolId: job.poolId,
    ...(job.uploadUrl ? { PreSignedUrl: job.uploadUrl } : {}),
    CreationDate: job.createdAt / 1000,
    ...(job.startedAt !== undefined ? { StartDate: job.startedAt / 1000 } : {}),
    ...(job.completedAt !== undefined ? { CompletionDate: job.completedAt / 1000 } : {}),
    Status: job.status,
    CloudWatchLogsRoleArn: job.roleArn,
    ImportedUsers: job.imported,
    SkippedUsers: job.skipped,
    FailedUsers: job.failed,
    ...(job.completionMessage ? { CompletionMessage: job.completionMessage } : {}),
    ...(job.hashingAlgorithm ? { PasswordHashingAlgorithm: job.hashingAlgorithm as UserImportJobType['PasswordHashingAlgorithm'] } : {}),
  };
}
