// Builders for the sign-in tests: a pool, an app client and users made through the real admin
// operations, and the real client libraries pointed at the test server.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHmac, randomBytes } from 'node:crypto';
import pkg from 'amazon-cognito-identity-js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { N, computeX, fromHex, hashHex, k, modPowN, padHex, powG } from '../../../src/crypto/srp.js';
import type { TestServer } from '../../support/server.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = pkg;

export const PASSWORD = 'Corr3ct-Horse!';
export const WRONG = 'Wr0ng-Horse!';

export const ALL_FLOWS = [
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
] as const;

export async function makePool(s: TestServer, extra: Partial<CreateUserPoolCommandInput> = {}) {
  const r = await s.idp.send(new CreateUserPoolCommand({ PoolName: `p${randomBytes(4).toString('hex')}`, ...extra }));
  return r.UserPool!.Id!;
}

export async function makeClient(s: TestServer, poolId: string, extra: Partial<CreateUserPoolClientCommandInput> = {}) {
  const r = await s.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: [...ALL_FLOWS],
      PreventUserExistenceErrors: 'ENABLED',
      ...extra,
    }),
  );
  return { id: r.UserPoolClient!.ClientId!, secret: r.UserPoolClient!.ClientSecret };
}

/** A CONFIRMED user with a permanent password. Returns the canonical username. */
export async function makeUser(
  s: TestServer,
  poolId: string,
  username: string,
  opts: { password?: string; attributes?: Record<string, string>; permanent?: boolean } = {},
): Promise<string> {
  const r = await s.idp.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(opts.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
      TemporaryPassword: opts.permanent === false ? (opts.password ?? PASSWORD) : undefined,
    }),
  );
  if (opts.permanent !== false) {
    await s.idp.send(
      new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: opts.password ?? PASSWORD, Permanent: true }),
    );
  }
  return r.User!.Username!;
}

export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId).digest('base64');
}

export function cognitoUser(s: TestServer, poolId: string, clientId: string, username: string) {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${s.url}/` });
  return new CognitoUser({ Username: username, Pool: pool });
}

export type SrpOutcome =
  | { kind: 'success'; session: pkg.CognitoUserSession; user: pkg.CognitoUser }
  | { kind: 'failure'; code: string; message: string }
  | { kind: 'newPassword'; userAttributes: Record<string, string>; requiredAttributes: string[]; user: pkg.CognitoUser };

/** amazon-cognito-identity-js authenticateUser (USER_SRP_AUTH), its callbacks as a value. */
export function srpSignIn(s: TestServer, poolId: string, clientId: string, username: string, password: string): Promise<SrpOutcome> {
  const user = cognitoUser(s, poolId, clientId, username);
  return new Promise((resolve) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ kind: 'success', session, user }),
      onFailure: (e: { code: string; message: string }) => resolve({ kind: 'failure', code: e.code, message: e.message }),
      newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ kind: 'newPassword', userAttributes, requiredAttributes, user }),
    });
  });
}

/** The claims of a token after checking its signature against the pool's JWKS. */
export async function verifiedClaims(s: TestServer, poolId: string, token: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${s.url}/${poolId}/.well-known/jwks.json`));
  return (await jwtVerify(token, jwks)).payload;
}

/** The name and message of a rejected SDK call. */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error;
    return { name: err.name, message: err.message };
  }
  throw new Error('expected the call to fail');
}

// ---- an SRP client of our own, for SDK-level tests of PASSWORD_VERIFIER ----------------------

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Cognito's TIMESTAMP: `Tue Sep 25 00:09:40 UTC 2018`, day of month not padded. */
export function srpTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** A client's half of SRP: A to send, and the answer to a PASSWORD_VERIFIER challenge. */
export function srpClient(poolId: string) {
  const a = fromHex(randomBytes(128).toString('hex'));
  const A = powG(a);
  const poolName = poolId.split('_')[1];
  return {
    SRP_A: A.toString(16),
    answer(params: Record<string, string>, password: string, nowMs = Date.now()): Record<string, string> {
      const B = fromHex(params.SRP_B);
      const u = fromHex(hashHex(padHex(A) + padHex(B)));
      const x = computeX(poolName, params.USER_ID_FOR_SRP, password, params.SALT);
      const base = (((B - ((k * powG(x)) % N)) % N) + N) % N;
      const S = modPowN(base, a + u * x);
      const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
      const key = createHmac('sha256', prk)
        .update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])]))
        .digest()
        .subarray(0, 16);
      const TIMESTAMP = srpTimestamp(nowMs);
      const PASSWORD_CLAIM_SIGNATURE = createHmac('sha256', key)
        .update(Buffer.from(poolName))
        .update(Buffer.from(params.USER_ID_FOR_SRP))
        .update(Buffer.from(params.SECRET_BLOCK, 'base64'))
        .update(Buffer.from(TIMESTAMP))
        .digest('base64');
      return { USERNAME: params.USERNAME, PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE };
    },
  };
}

/** A whole USER_SRP_AUTH sign-in through the SDK with srpClient (fast; no client library). */
export async function srpSdkSignIn(pub: CognitoIdentityProviderClient, poolId: string, clientId: string, username: string, password: string, nowMs = Date.now()) {
  const srp = srpClient(poolId);
  const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.SRP_A } }));
  return pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: srp.answer(r.ChallengeParameters!, password, nowMs),
      Session: r.Session,
    }),
  );
}
