// Shared set-up of the token tests: pools, clients and users written through the store (until the
// pool and user operations exist to create them through the SDK), sign-in through app.tokens, and
// the two third-party verifiers applications use (jose, aws-jwt-verify) pointed at the JWKS URL.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import { newClientId, newUserPoolId, newUuid } from '../../../src/ids.js';
import type { AuthenticationResultType } from '../../../src/models/idp-types.js';
import type { AppClient, ClientSettings, UserPool } from '../../../src/userpools/pools.js';
import { userToRow, type User } from '../../../src/userpools/user.js';
import type { TestServer } from '../../support/server.js';

export async function seedPool(s: TestServer): Promise<UserPool> {
  const id = newUserPoolId('us-east-1');
  const now = s.app.clock.now();
  await s.app.store.pools.insert({ id, name: 'tokens', config: JSON.stringify({}), created_at: now, updated_at: now });
  return s.app.pools.get(id);
}

export async function seedClient(s: TestServer, pool: UserPool, settings: Partial<ClientSettings> = {}, secret?: string): Promise<AppClient> {
  const id = newClientId();
  const now = s.app.clock.now();
  await s.app.store.clients.insert({
    id,
    pool_id: pool.id,
    name: 'app',
    secret: secret ? s.app.sealer.seal('client-secret', secret) : null,
    config: JSON.stringify(settings),
    created_at: now,
    updated_at: now,
  });
  return s.app.pools.getClient(pool.id, id);
}

export async function seedUser(s: TestServer, pool: UserPool, username: string, attributes: Record<string, string> = {}): Promise<User> {
  const now = s.app.clock.now();
  const user: User = {
    id: newUuid(),
    poolId: pool.id,
    username,
    usernameNorm: username.toLowerCase(),
    status: 'CONFIRMED',
    enabled: true,
    attributes,
    mfa: {},
    createdAt: now,
    updatedAt: now,
  };
  await s.app.store.users.insert(userToRow(user, s.app.sealer), [], []);
  return user;
}

/** Rewrites a user's attributes in the store (what an attribute update leaves behind). */
export async function setAttributes(s: TestServer, user: User, attributes: Record<string, string>): Promise<void> {
  await s.app.store.users.update({ id: user.id, pool_id: user.poolId, attributes: JSON.stringify(attributes) });
}

export async function setEnabled(s: TestServer, user: User, enabled: boolean): Promise<void> {
  await s.app.store.users.update({ id: user.id, pool_id: user.poolId, enabled: enabled ? 1 : 0 });
}

/** A client and a user (in `opts.pool`, else a new pool), signed in once. */
export async function signedIn(
  s: TestServer,
  opts: { pool?: UserPool; client?: Partial<ClientSettings>; secret?: string; attributes?: Record<string, string> } = {},
): Promise<{ pool: UserPool; client: AppClient; user: User; tokens: Required<Pick<AuthenticationResultType, 'AccessToken' | 'IdToken' | 'RefreshToken' | 'ExpiresIn'>> }> {
  // Each new pool costs two RSA key generations: tests that do not need their own pool share one.
  const pool = opts.pool ?? (await seedPool(s));
  const client = await seedClient(s, pool, opts.client, opts.secret);
  const user = await seedUser(s, pool, `user-${newUuid().slice(0, 8)}`, opts.attributes ?? { email: 'a@example.com', email_verified: 'true' });
  const r = await s.app.tokens.issueForSignIn({ pool, client, user });
  return {
    pool,
    client,
    user,
    tokens: { AccessToken: r.AccessToken!, IdToken: r.IdToken!, RefreshToken: r.RefreshToken!, ExpiresIn: r.ExpiresIn! },
  };
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
