// Tessera's own AWS credentials, for the AWS calls it makes itself (Lambda triggers, STS AssumeRole
// for Cognito Sync's deliveries). They come from the SDK's default chain; a local stand-in for an
// AWS service (SAM local, LocalStack, a test server) is given dummy ones when the environment has
// none, as such services do not check them.

/** Credentials for a local endpoint when the environment has none. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'tessera-local', secretAccessKey: 'tessera-local' };

/** Whether the environment names AWS credentials the SDK's default chain would find. */
export function hasAwsCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
}
