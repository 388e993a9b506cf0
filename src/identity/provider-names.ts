// Names of login providers as Logins keys (identity-and-sync.md A.2). A Tessera user pool is
// named two ways, both meaning the same provider: AWS's `cognito-idp.<region>.amazonaws.com/<poolId>`
// and its issuer without the scheme (`auth.example.test/us-east-1_X`), which is what Amplify sends
// because it builds the key from the ID token's `iss`.

/** The key under which OpenID tokens of identity pools (developer identities) are sent. */
export const IDENTITY_PROVIDER_KEY = 'cognito-identity.amazonaws.com';

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const AWS_FORM = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)$/;

/** `https://host/path` -> `host/path` */
export const withoutScheme = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');

/**
 * The user pool id in a provider name of either form, or undefined when it does not name a user
 * pool (for configuration, where any issuer-form host is accepted).
 */
export function userPoolIdOfProvider(name: string): string | undefined {
  const aws = AWS_FORM.exec(name);
  if (aws) return aws[2];
  const slash = name.lastIndexOf('/');
  if (slash <= 0) return undefined;
  const poolId = name.slice(slash + 1);
  return POOL_ID.test(poolId) ? poolId : undefined;
}

/** The user pool a Logins key names: AWS form, or exactly Tessera's issuer for that pool. */
export function userPoolIdOfLoginKey(key: string, publicUrl: string): string | undefined {
  const aws = AWS_FORM.exec(key);
  if (aws) return aws[2];
  const prefix = withoutScheme(publicUrl) + '/';
  if (!key.startsWith(prefix)) return undefined;
  const poolId = key.slice(prefix.length);
  return POOL_ID.test(poolId) ? poolId : undefined;
}

/** The one name Tessera stores and reports for a user pool provider (AWS form). */
export function userPoolProviderName(poolId: string): string {
  return `cognito-idp.${poolId.split('_')[0]}.amazonaws.com/${poolId}`;
}

/** Whether a Logins key carries an identity pool OpenID token: AWS's name or Tessera's issuer. */
export function isIdentityTokenKey(key: string, publicUrl: string): boolean {
  return key === IDENTITY_PROVIDER_KEY || key === `${withoutScheme(publicUrl)}/identity`;
}
