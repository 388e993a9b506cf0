// What the identity pool tests share: cognito-identity SDK clients (admin-signed, and unsigned as
// apps use them), identity pools, user pools, users and their sign-in through the real APIs, and
// exception assertions.
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  SetIdentityPoolRolesCommand,
  type CreateIdentityPoolCommandInput,
} from '@aws-sdk/client-cognito-identity';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, type TestServer } from '../../support/server.js';

export const GUEST_ROLE = 'arn:aws:iam::000000000000:role/tessera-guest';
export const USER_ROLE = 'arn:aws:iam::000000000000:role/tessera-user';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An SDK client signed with the given credentials (the admin's by default). */
export function identityClient(s: TestServer, credentials: AwsCredentials = ADMIN): CognitoIdentityClient {
  return new CognitoIdentityClient({ region: s.config.region, endpoint: s.url, credentials, maxAttempts: 1 });
}

/**
 * An SDK client as an app holds it: no credentials of its own. The SDK sends GetId,
 * GetOpenIdToken, GetCredentialsForIdentity and UnlinkIdentity unsigned.
 */
export function appClient(s: TestServer): CognitoIdentityClient {
  return new CognitoIdentityClient({
    region: s.config.region,
    endpoint: s.url,
    maxAttempts: 1,
    credentials: async () => {
      throw new Error('an app client has no credentials: this operation should not be signed');
    },
  });
}

/**
 * A pool with guest and user roles; `extra` overrides the create input. The basic flow is on
 * (GetOpenIdToken needs it), as apps that verify OpenID tokens themselves have it.
 */
export async function createPool(c: CognitoIdentityClient, extra: Partial<CreateIdentityPoolCommandInput> = {}): Promise<string> {
  const pool = await c.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'tessera_test', AllowUnauthenticatedIdentities: true, AllowClassicFlow: true, ...extra }),
  );
  await c.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool.IdentityPoolId!, Roles: { unauthenticated: GUEST_ROLE, authenticated: USER_ROLE } }));
  return pool.IdentityPoolId!;
}

/** Awaits `p` and checks it fails with the exception `name` (and a message matching `message`). */
export async function rejectsWith(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** A user pool with one app client that allows ADMIN_USER_PASSWORD_AUTH, made through the SDK. */
export async function createUserPool(s: TestServer, clientName = 'app'): Promise<{ poolId: string; clientId: string }> {
  const pool = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'identity_test' }));
  const poolId = pool.UserPool!.Id!;
  return { poolId, clientId: await createAppClient(s, poolId, clientName) };
}

export async function createAppClient(s: TestServer, poolId: string, name = 'app'): Promise<string> {
  const client = await s.idp.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: name, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  return client.UserPoolClient!.ClientId!;
}

const PASSWORD = 'Correct-Horse-9-Battery';

/** A confirmed user of the pool (AdminCreateUser + a permanent AdminSetUserPassword). */
export async function createUser(s: TestServer, poolId: string, username: string): Promise<void> {
  await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
  await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
}

/** Signs the user in (ADMIN_USER_PASSWORD_AUTH) and returns the tokens. */
export async function signIn(s: TestServer, poolId: string, clientId: string, username: string): Promise<{ IdToken: string; AccessToken: string }> {
  const r = await s.idp.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  return { IdToken: r.AuthenticationResult!.IdToken!, AccessToken: r.AuthenticationResult!.AccessToken! };
}

/** The Logins key Amplify builds from a Tessera ID token: its `iss` without the scheme. */
export const issuerKey = (s: TestServer, poolId: string): string => `${s.url.replace(/^https?:\/\//, '')}/${poolId}`;
/** The same provider under the name AWS gives it. */
export const awsKey = (poolId: string): string => `cognito-idp.us-east-1.amazonaws.com/${poolId}`;
