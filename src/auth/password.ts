// USER_PASSWORD_AUTH (InitiateAuth) and ADMIN_USER_PASSWORD_AUTH / its legacy name
// ADMIN_NO_SRP_AUTH (AdminInitiateAuth): the password arrives in the request and the users domain
// checks it against the stored verifier (one exponentiation, about 1 ms, on the crypto worker pool
// like SRP's own, so that password sign-ins do not hold up the event loop).
//
// In order: USERNAME and PASSWORD present; SECRET_HASH; the user (an unknown one is
// UserNotFoundException, or with PreventUserExistenceErrors the same verifier work on a stand-in
// and then "Incorrect username or password."); lockout; the password (a wrong one is counted); then
// user-status.ts.
import { timingSafeEqual } from 'node:crypto';
import { computeX, padHex, type Verifier } from '../crypto/srp.js';
import { NotAuthorizedException } from '../errors.js';
import { checkNotLocked, ipSubject, lockSubject, recordFailure, recordSuccess } from './lockout.js';
import { requireParam } from './params.js';
import { checkSecretHash } from './secret-hash.js';
import { afterPasswordProven } from './user-status.js';
import { INCORRECT_CREDENTIALS, hidesUserExistence, standIn, unknownUser } from './user-existence.js';
import type { AuthStep, FlowContext } from './types.js';
import { migrateFromUpstream } from '../import/upstream.js';

/** InitiateAuth USER_PASSWORD_AUTH, AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH. */
export async function startPasswordAuth(ctx: FlowContext, params: Record<string, string>): Promise<AuthStep> {
  const typed = requireParam(params, 'USERNAME');
  const password = requireParam(params, 'PASSWORD');
  // The user (by name, else by each alias kind), with its groups and lockout counters in the same statement.
  const found = await ctx.app.users.findForSignIn(ctx.pool, { typed }, ipSubject(ctx));
  let user = found.user;
  checkSecretHash(ctx.client, params.SECRET_HASH, [typed, user?.username]);
  // An unknown name: the UserMigration trigger (the pool's old directory) may know it.
  user ??= await ctx.app.triggers.migrateUser(ctx.app.users, {
    pool: ctx.pool,
    clientId: ctx.client.id,
    source: 'Authentication',
    typed,
    password,
    validationData: ctx.validationData,
  });
  // Or the live user pool it migrates from (tag tessera:migrate-from, src/import/upstream.ts).
  user ??= await migrateFromUpstream(ctx, typed, password);
  if (!user && !hidesUserExistence(ctx.client)) throw unknownUser(ctx.client);
  await ctx.app.triggers.preAuthentication(ctx, user, typed);
  const subject = lockSubject(ctx, user, typed);
  // Counters and groups read before a PreAuthentication function ran (which may take its time, and
  // change the user's groups) are read again.
  const prefetched = ctx.app.triggers.has(ctx.pool, 'PreAuthentication') ? undefined : found.prefetched;
  const lock = await checkNotLocked(ctx, subject, prefetched?.failures);
  let proven: boolean;
  if (user) {
    // SRP verifiers are checked here, off the event loop; other kinds (imported hashes) by the users domain.
    const material = user.password;
    proven =
      material?.kind === 'srp'
        ? await verifierMatches(ctx, user.username, password, material)
        : await ctx.app.users.checkPassword(ctx.pool, user, password);
  } else {
    // The same verifier work as for a real user, on the stand-in; it can never match.
    const ghost = await standIn(ctx, typed);
    await verifierMatches(ctx, ghost.username, password, ghost);
    proven = false;
  }
  if (!proven || !user) {
    await recordFailure(ctx, subject);
    throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
  }
  await recordSuccess(ctx, subject, lock);
  if (prefetched && found.user === user) ctx.groupsOf = { userId: user.id, groups: prefetched.groups };
  return afterPasswordProven(ctx, user, { typed, deviceKey: params.DEVICE_KEY });
}

/**
 * crypto/srp.ts checkPassword with g^x on the worker pool: v = g^x for x from the password, salt,
 * pool name and username, compared with the stored verifier in constant time.
 */
async function verifierMatches(ctx: FlowContext, username: string, password: string, v: Verifier): Promise<boolean> {
  const x = computeX(ctx.pool.srpName, username, password, v.salt);
  const mine = Buffer.from(padHex(await ctx.app.auth.modPow.powG(x)), 'hex');
  const theirs = Buffer.from(v.verifier, 'hex');
  return mine.length === theirs.length && timingSafeEqual(mine, theirs);
}
