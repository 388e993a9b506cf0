// What the identity pool tests share: cognito-identity SDK clients (admin-signed, and unsigned as
// apps use them), pool set-up through the real API, and exception assertions.
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  SetIdentityPoolRolesCommand,
  type CreateIdentityPoolCommandInput,
} from '@aws-sdk/client-cognito-identity';
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

/** A pool with guest and user roles; `extra` overrides the create input. */
export async function createPool(c: CognitoIdentityClient, extra: Partial<CreateIdentityPoolCommandInput> = {}): Promise<string> {
  const pool = await c.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'tessera_test', AllowUnauthenticatedIdentities: true, ...extra }),
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
