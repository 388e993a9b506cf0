// Tessera's own AWS credentials, for the AWS calls it makes itself (Lambda triggers, STS AssumeRole
// for Cognito Sync's deliveries). At AWS they are the SDK's default chain (environment, profile,
// web identity, container or instance role). A service named by a TESSERA_*_ENDPOINT setting gets
// the same chain's credentials when it finds some, and dummy ones when it finds none: local
// stand-ins (SAM local, LocalStack, a test server) do not check them.
import credentialProvider from '@aws-sdk/credential-provider-node';

interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

const DUMMY_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'tessera-local', secretAccessKey: 'tessera-local' };

/** The credentials for a client of `endpoint`: undefined (the SDK's own default) without one. */
export function credentialsFor(endpoint: string | undefined): AwsCredentialIdentityProvider | undefined {
  if (!endpoint) return undefined;
  const chain = credentialProvider.defaultProvider();
  let none = false;
  return async () => {
    if (none) return DUMMY_CREDENTIALS;
    try {
      return await chain();
    } catch (e) {
      if ((e as Error).name !== 'CredentialsProviderError') throw e;
      none = true;
      return DUMMY_CREDENTIALS;
    }
  };
}
