// Shared set-up of the token tests: pools, clients and users made through the SDK, sign-in through
// InitiateAuth, and the two third-party verifiers applications use (jose, aws-jwt-verify) pointed
// at the pool's JWKS URL.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type CreateUserPoolClientRequest,
  type CreateUserPoolRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { newUuid } from '../../../src/ids.js';
import type { AuthenticationResultType } from '../../../src/models/idp-types.js';
import type { AppClient, UserPool } from '../../../src/userpools/pools.js';
import type { User } from '../../../src/userpools/user.js';
import { publicClient, type TestServer } from '../../support/server.js';

const PASSWORD = 'Tessera-t0ken-Test!';

/** A pool made by CreateUserPool, with the custom attributes the token tests use. */
export async function seedPool(s: TestServer, extra: Partial<CreateUserPoolRequest> = {}): Promise<UserPool> {
  const r = await s.idp.send(
    new CreateUserPoolCommand({
      PoolName: 'tokens',
      Schema: [
        { Name: 'tier', AttributeDataType: 'String', Mutable: true },
        { Name: 'plan', AttributeDataType: 'String', Mutable: true },
        { Name: 'other', AttributeDataType: 'String', Mutable: true },
        { Name: 'secret', AttributeDataType: 'String', Mutable: true, DeveloperOnlyAttribute: true },
      ],
      ...extra,
    }),
  );
  return s.app.pools.get(r.UserPool!.Id!);
}

type ClientInput = Omit<CreateUserPoolClientRequest, 'UserPoolId' | 'ClientName'>;

/** A client made by CreateUserPoolClient that allows USER_PASSWORD_AUTH; `GenerateSecret` for a confidential one. */
export async function seedClient(s: TestServer, pool: UserPool, settings: ClientInput = {}): Promise<AppClient> {
  const r = await s.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: pool.id,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...settings,
    }),
  );
  return s.app.pools.getClient(pool.id, r.UserPoolClient!.ClientId!);
}

/** A CONFIRMED user made by AdminCreateUser and AdminSetUserPassword (permanent). */
export async function seedUser(s: TestServer, pool: UserPool, username: string, attributes: Record<string, string> = {}): Promise<User> {
  await s.idp.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.id,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.id, Username: username, Password: PASSWORD, Permanent: true }));
  return s.app.users.get(pool, username);
}

/** Signs in through InitiateAuth USER_PASSWORD_AUTH (with SECRET_HASH for a confidential client). */
export async function signIn(s: TestServer, client: AppClient, username: string): Promise<SignedInTokens> {
  const api = publicClient(s.url);
  try {
    const r = await api.send(
      new InitiateAuthCommand({
        ClientId: client.id,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: username,
          PASSWORD,
          ...(client.secret ? { SECRET_HASH: createHmac('sha256', client.secret).update(username + client.id).digest('base64') } : {}),
        },
      }),
    );
    const a = r.AuthenticationResult!;
    return { AccessToken: a.AccessToken!, IdToken: a.IdToken!, RefreshToken: a.RefreshToken!, ExpiresIn: a.ExpiresIn! };
  } finally {
    api.destroy();
  }
}

/** AdminUpdateUserAttributes. */
export async function setAttributes(s: TestServer, pool: UserPool, user: User, attributes: Record<string, string>): Promise<void> {
  await s.idp.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: pool.id,
      Username: user.username,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
}

export type SignedInTokens = Required<Pick<AuthenticationResultType, 'AccessToken' | 'IdToken' | 'RefreshToken' | 'ExpiresIn'>>;

/** A client and a user (in `opts.pool`, else a new pool), signed in once through InitiateAuth. */
export async function signedIn(
  s: TestServer,
  opts: { pool?: UserPool; client?: ClientInput; attributes?: Record<string, string> } = {},
): Promise<{ pool: UserPool; client: AppClient; user: User; tokens: SignedInTokens }> {
  // Each new pool costs two RSA key generations: tests that do not need their own pool share one.
  const pool = opts.pool ?? (await seedPool(s));
  const client = await seedClient(s, pool, opts.client);
  const user = await seedUser(s, pool, `user-${newUuid().slice(0, 8)}`, opts.attributes ?? { email: 'a@example.com', email_verified: 'true' });
  return { pool, client, user, tokens: await signIn(s, client, user.username) };
}

export const issuerOf = (s: TestServer, poolId: string) => `${s.url}/${poolId}`;
export const jwksUrl = (s: TestServer, poolId: string) => `${issuerOf(s, poolId)}/.well-known/jwks.json`;

/** Verifies as an application using jose would: remote JWKS over HTTP, issuer checked. */
export async function verifyWithJose(s: TestServer, poolId: string, token: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(jwksUrl(s, poolId)));
  const { payload } = await jwtVerify(token, jwks, { issuer: issuerOf(s, poolId), algorithms: ['RS256'] });
  return payload;
}

/** aws-jwt-verify's default fetcher refuses http:// (tokens.md §7); this one uses global fetch. */
const fetchFetcher: Fetcher = {
  async fetch(uri: string) {
    const r = await fetch(uri);
    if (r.status !== 200) throw new Error(`JWKS answered ${r.status}`);
    return r.arrayBuffer();
  },
};

/** Verifies with aws-jwt-verify's generic verifier and the Cognito checks re-done in customJwtCheck. */
export async function verifyWithAwsJwtVerify(
  s: TestServer,
  poolId: string,
  token: string,
  expect: { tokenUse: 'id' | 'access'; clientId: string },
): Promise<JWTPayload> {
  const verifier = JwtVerifier.create(
    {
      issuer: issuerOf(s, poolId),
      audience: null,
      jwksUri: jwksUrl(s, poolId),
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== expect.tokenUse) throw new Error(`token_use ${String(payload.token_use)}`);
        const client = expect.tokenUse === 'id' ? payload.aud : payload.client_id;
        if (client !== expect.clientId) throw new Error(`client ${String(client)}`);
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: fetchFetcher }) },
  );
  return (await verifier.verify(token)) as JWTPayload;
}

export const claimsOf = (token: string) => decodeJwt(token);
export const kidOf = (token: string) => decodeProtectedHeader(token).kid!;
