// Lazy migration from a live Cognito user pool, with no Lambda: a pool tagged
//   tessera:migrate-from = <upstream pool id>:<app client id>[:<endpoint URL>]
// checks a password sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH) of a name it does not
// know against the upstream pool. If the upstream accepts the password, the user is created here,
// CONFIRMED, with the upstream's username, sub and attributes and the password just proven (as an
// SRP verifier), and the sign-in goes on as for any user. The upstream is asked:
//   - with TESSERA_MIGRATE_ACCESS_KEY_ID / _SECRET_ACCESS_KEY set: AdminInitiateAuth
//     ADMIN_USER_PASSWORD_AUTH (SECRET_HASH from DescribeUserPoolClient when the client has a
//     secret), then AdminGetUser; an MFA challenge still proves the password;
//   - without: InitiateAuth USER_PASSWORD_AUTH (the client must allow it and have no secret),
//     then GetUser with the access token; a challenge cannot be passed and refuses the migration.
// The endpoint defaults to Cognito's for the region in the upstream pool id. Unknown upstream (or
// unreachable: logged) = unknown here; a refused password = "Incorrect username or password.",
// counted by the lockout of the name. SRP sign-ins cannot migrate (no password is sent), as with
// Cognito's own UserMigration trigger; neither do MFA enrolments (TOTP secrets cannot be read).
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHmac } from 'node:crypto';
import { CognitoException, NotAuthorizedException, UsernameExistsException } from '../errors.js';
import { checkNotLocked, lockSubject, recordFailure } from '../auth/lockout.js';
import type { FlowContext } from '../auth/types.js';
import { INCORRECT_CREDENTIALS } from '../auth/user-existence.js';
import { checkAttributeWrites, poolSchema } from '../userpools/attributes.js';
import { makePasswordMaterial } from '../userpools/passwords.js';
import type { User } from '../userpools/user.js';

export const MIGRATE_TAG = 'tessera:migrate-from';

export interface Upstream {
  poolId: string;
  clientId: string;
  region: string;
  endpoint?: string;
}

/** The tag's value, or undefined when it is not of the form `<pool id>:<client id>[:<endpoint>]`. */
export function parseMigrateFrom(value: string | undefined): Upstream | undefined {
  const m = /^([\w-]+)_([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::(https?:\/\/\S+))?$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  return { poolId: `${m[1]}_${m[2]}`, region: m[1]!, clientId: m[3]!, endpoint: m[4] };
}

type Answer = { kind: 'proven'; username: string; attributes: AttributeType[] } | { kind: 'refused' } | { kind: 'unknown' };

const secrets = new Map<string, { at: number; secret?: string }>();
const SECRET_CACHE_MS = 5 * 60_000;

/**
 * The user an unknown name designates in the upstream pool, created here when the upstream
 * accepts `password`; undefined when the pool migrates from nowhere or the upstream knows nobody
 * by that name. A refused password is NotAuthorizedException (counted).
 */
export async function migrateFromUpstream(ctx: FlowContext, typed: string, password: string): Promise<User | undefined> {
  const tags = await ctx.app.store.tags.list(ctx.pool.arn);
  const upstream = parseMigrateFrom(tags[MIGRATE_TAG]);
  if (!upstream) {
    if (tags[MIGRATE_TAG]) ctx.app.log.warn({ poolId: ctx.pool.id }, `the ${MIGRATE_TAG} tag is not <pool id>:<client id>[:<endpoint>]`);
    return undefined;
  }
  const subject = lockSubject(ctx, undefined, typed);
  await checkNotLocked(ctx, subject);
  let answer: Answer;
  try {
    answer = await askUpstream(ctx, upstream, typed, password);
  } catch (e) {
    ctx.app.log.error({ poolId: ctx.pool.id, upstream: upstream.poolId, err: (e as Error).message }, 'the upstream user pool did not answer');
    return undefined;
  }
  if (answer.kind === 'unknown') return undefined;
  if (answer.kind === 'refused') {
    await recordFailure(ctx, subject);
    throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
  }
  return createMigrated(ctx, answer.username, answer.attributes, password);
}

function clientFor(ctx: FlowContext, u: Upstream): CognitoIdentityProviderClient {
  const { migrateAccessKeyId: accessKeyId, migrateSecretAccessKey: secretAccessKey } = ctx.app.config;
  return new CognitoIdentityProviderClient({
    region: u.region,
    endpoint: u.endpoint,
    maxAttempts: 2,
    // Public operations go unsigned whatever the credentials; these sign the Admin* ones.
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
}

async function askUpstream(ctx: FlowContext, u: Upstream, typed: string, password: string): Promise<Answer> {
  const client = clientFor(ctx, u);
  const admin = !!(ctx.app.config.migrateAccessKeyId && ctx.app.config.migrateSecretAccessKey);
  try {
    if (admin) {
      const secret = await clientSecret(client, u, ctx.app.clock.now());
      const params = { USERNAME: typed, PASSWORD: password, ...(secret ? { SECRET_HASH: secretHash(secret, typed, u.clientId) } : {}) };
      await client.send(new AdminInitiateAuthCommand({ UserPoolId: u.poolId, ClientId: u.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: params }));
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: u.poolId, Username: typed }));
      return { kind: 'proven', username: user.Username!, attributes: user.UserAttributes ?? [] };
    }
    const r = await client.send(new InitiateAuthCommand({ ClientId: u.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: typed, PASSWORD: password } }));
    if (!r.AuthenticationResult?.AccessToken) {
      ctx.app.log.warn({ poolId: ctx.pool.id, challenge: r.ChallengeName }, 'the upstream answered a challenge: configure TESSERA_MIGRATE_ACCESS_KEY_ID to migrate such users');
      return { kind: 'refused' };
    }
    const user = await client.send(new GetUserCommand({ AccessToken: r.AuthenticationResult.AccessToken }));
    return { kind: 'proven', username: user.Username!, attributes: user.UserAttributes ?? [] };
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'UserNotFoundException') return { kind: 'unknown' };
    if (name === 'NotAuthorizedException' || name === 'PasswordResetRequiredException' || name === 'UserNotConfirmedException') return { kind: 'refused' };
    throw e;
  } finally {
    client.destroy();
  }
}

async function clientSecret(client: CognitoIdentityProviderClient, u: Upstream, now: number): Promise<string | undefined> {
  const hit = secrets.get(u.clientId);
  if (hit && now - hit.at < SECRET_CACHE_MS) return hit.secret;
  const r = await client.send(new DescribeUserPoolClientCommand({ UserPoolId: u.poolId, ClientId: u.clientId }));
  secrets.set(u.clientId, { at: now, secret: r.UserPoolClient?.ClientSecret });
  return r.UserPoolClient?.ClientSecret;
}

const secretHash = (secret: string, username: string, clientId: string) => createHmac('sha256', secret).update(username + clientId).digest('base64');

/**
 * The migrated user: the upstream's username and sub, the attributes this pool's schema knows
 * (each checked as an admin's write; one that does not fit is left out and logged), CONFIRMED,
 * with the proven password as an SRP verifier. A concurrent migration of the same user wins.
 */
async function createMigrated(ctx: FlowContext, username: string, upstreamAttrs: AttributeType[], password: string): Promise<User | undefined> {
  const { app, pool } = ctx;
  const known = poolSchema(pool);
  const sub = upstreamAttrs.find((a) => a.Name === 'sub')?.Value;
  const attributes: Record<string, string> = {};
  for (const a of upstreamAttrs) {
    if (!a.Name || a.Name === 'sub' || a.Name === 'identities' || !known.has(a.Name) || a.Value === undefined) continue;
    try {
      Object.assign(attributes, checkAttributeWrites(pool, [{ Name: a.Name, Value: a.Value }], { by: 'admin', creating: true }).set);
    } catch (e) {
      if (!(e instanceof CognitoException)) throw e;
      app.log.warn({ poolId: pool.id, attribute: a.Name, why: e.message }, 'an upstream attribute was left out of a migrated user');
    }
  }
  const user = app.users.build(pool, { username, attributes, status: 'CONFIRMED' });
  if (sub && /^[0-9a-f-]{36}$/i.test(sub)) user.id = sub;
  user.password = await makePasswordMaterial(pool, user.username, password, { temporary: false, now: user.createdAt, modPow: app.users.modPow });
  user.passwordUpdatedAt = user.createdAt;
  try {
    await app.users.insert(pool, user);
  } catch (e) {
    if (!(e instanceof UsernameExistsException)) throw e;
    const now = await app.users.find(pool, username);
    if (now) return now;
    app.log.warn({ poolId: pool.id, why: e.message }, 'a migrated user could not be created here');
    throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
  }
  app.log.info({ poolId: pool.id, sub: user.id }, 'user migrated from the upstream user pool');
  return user;
}

