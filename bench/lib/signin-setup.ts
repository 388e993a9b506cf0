// What the sign-in benches (signin.ts, profile.ts) run against: a pool with one client that allows
// SRP, password and refresh sign-ins, `users` seeded users of which the first `signers` have their
// own password (user0, user1, ...), and tokens from 50 real sign-ins through the SDK.
import { CreateUserPoolClientCommand, CreateUserPoolCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { computeX, makeVerifier } from '../../src/crypto/srp.js';
import { publicClient, type TestServer } from '../../test/support/server.js';
import { seedUsers } from './seed.js';

export const SIGNIN_PASSWORD = 'Bench-Passw0rd!';

export interface SignInSetup {
  poolId: string;
  clientId: string;
  /** user0 .. user{signers-1}: the users with their own password. */
  usernames: string[];
  /** For an SRP load job: each signer and its x (hex), from the password and salt seeded. */
  srpUsers: { username: string; x: string }[];
  refreshTokens: string[];
  accessTokens: string[];
  /** Seconds the seeding took. */
  seedSeconds: number;
}

export async function signInSetup(s: TestServer, opts: { users: number; signers: number; name?: string }): Promise<SignInSetup> {
  const pool = await s.idp.send(new CreateUserPoolCommand({ PoolName: opts.name ?? 'bench' }));
  const poolId = pool.UserPool!.Id!;
  const c = await s.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: opts.name ?? 'bench',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const clientId = c.UserPoolClient!.ClientId!;
  const domainPool = await s.app.pools.get(poolId);
  // Sign-ins from 127.0.0.1 only ever succeed here, but keep the address limit out of the way.
  Object.assign(s.app.auth.limits, { ipFailures: 1e9 });

  const salts = new Map<number, string>();
  const seed = await seedUsers(s.app, domainPool, 0, opts.users, {
    passwordFor: (i) => {
      if (i >= opts.signers) return undefined;
      const v = makeVerifier(domainPool.srpName, `user${i}`, SIGNIN_PASSWORD);
      salts.set(i, v.salt);
      return v;
    },
  });
  const usernames = Array.from({ length: opts.signers }, (_, i) => `user${i}`);
  const srpUsers = usernames.map((username, i) => ({ username, x: computeX(domainPool.srpName, username, SIGNIN_PASSWORD, salts.get(i)!).toString(16) }));

  const pub = publicClient(s.url);
  const refreshTokens: string[] = [];
  const accessTokens: string[] = [];
  try {
    for (const u of usernames.slice(0, 50)) {
      const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u, PASSWORD: SIGNIN_PASSWORD } }));
      refreshTokens.push(r.AuthenticationResult!.RefreshToken!);
      accessTokens.push(r.AuthenticationResult!.AccessToken!);
    }
  } finally {
    pub.destroy();
  }
  return { poolId, clientId, usernames, srpUsers, refreshTokens, accessTokens, seedSeconds: seed.seconds };
}
