// NEW_PASSWORD_REQUIRED: a user with a temporary password (AdminCreateUser, or
// AdminSetUserPassword without Permanent) must choose a password before getting tokens.
//
// The challenge carries, as the clients parse them (amazon-cognito-identity-js
// `newPasswordRequired(userAttributes, requiredAttributes)`, Amplify's missingAttributes):
//   USER_ID_FOR_SRP     the canonical username
//   userAttributes      JSON object of the user's attributes (without `sub`)
//   requiredAttributes  JSON array of "userAttributes.<name>" the schema requires and the user lacks
// The answer carries NEW_PASSWORD and "userAttributes.<name>" values. The password is checked
// against the pool's policy before anything is written; then, in one transaction, the Session's
// id is recorded as used (so a completed challenge cannot be answered again), the attributes are
// set, and the password is set permanently (status CONFIRMED). Then MFA as after any password (mfa.ts).
import { createHash } from 'node:crypto';
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import { checkAttributeWrites, poolSchema } from '../userpools/attributes.js';
import { checkPasswordPolicy } from '../userpools/passwords.js';
import type { User } from '../userpools/user.js';
import { INVALID_SESSION, newSession, openSession, sealSession, type ChallengeSession } from './challenge-session.js';
import { checkSecretHash } from './secret-hash.js';
import { afterFirstFactor } from './mfa.js';
import { checkUserMaySignIn, type ProvenBy } from './user-status.js';
import type { AuthStep, FlowContext } from './types.js';
import type { Store } from '../store/store.js';

const PREFIX = 'userAttributes.';

/** The attributes the schema requires that the user has no value for. */
function missingRequired(ctx: FlowContext, attributes: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, entry] of poolSchema(ctx.pool)) {
    if (entry.Required && name !== 'sub' && !attributes[name]) out.push(name);
  }
  return out;
}

export function newPasswordChallenge(ctx: FlowContext, user: User, by: ProvenBy): AuthStep {
  const session = newSession(ctx, {
    userId: user.id,
    username: user.username,
    typed: by.typed,
    challenge: 'NEW_PASSWORD_REQUIRED',
    deviceKey: by.deviceKey,
    // The temporary password this challenge answers: another one set meanwhile voids it.
    state: { password: passwordMark(user) },
  });
  return {
    kind: 'challenge',
    name: 'NEW_PASSWORD_REQUIRED',
    session: sealSession(ctx, session),
    parameters: {
      USER_ID_FOR_SRP: user.username,
      userAttributes: JSON.stringify(user.attributes),
      requiredAttributes: JSON.stringify(missingRequired(ctx, user.attributes).map((n) => PREFIX + n)),
    },
  };
}

/** The attribute values of the answer, checked against the schema and the client's write rights. */
function attributeAnswers(ctx: FlowContext, user: User, responses: Record<string, string>): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(responses)) {
    if (!key.startsWith(PREFIX)) continue;
    const name = key.slice(PREFIX.length);
    const creating = !user.attributes[name];
    const checked = checkAttributeWrites(ctx.pool, [{ Name: name, Value: value }], { by: ctx.admin ? 'admin' : ctx.client, creating });
    Object.assign(set, checked.set);
  }
  return set;
}

/** Applies attribute values: a changed e-mail or phone becomes unverified unless the answer says otherwise. */
function applyAttributes(user: User, set: Record<string, string>): boolean {
  let changed = false;
  for (const [name, value] of Object.entries(set)) {
    if (user.attributes[name] === value) continue;
    const contact = name === 'email' || name === 'phone_number';
    if (contact && set[`${name}_verified`] === undefined) user.attributes[`${name}_verified`] = 'false';
    user.attributes[name] = value;
    changed = true;
  }
  return changed;
}

/**
 * The challenged user as it stands (in `tx`: locked until the password is written, so that a
 * disable or another temporary password cannot land in between and be overwritten).
 */
async function loadChallengedUser(ctx: FlowContext, s: ChallengeSession, tx?: Store): Promise<User> {
  const user = await ctx.app.users.findBySub(ctx.pool, s.userId, tx, { forUpdate: !!tx });
  // The password was changed some other way meanwhile (permanently, or to another temporary
  // one): this challenge no longer applies.
  if (!user || user.status !== 'FORCE_CHANGE_PASSWORD') throw new NotAuthorizedException(INVALID_SESSION);
  if (s.state?.password !== undefined && s.state.password !== passwordMark(user)) throw new NotAuthorizedException(INVALID_SESSION);
  // Disabled, or the temporary password expired, since the challenge began: refused as at its start.
  checkUserMaySignIn(ctx, user);
  return user;
}

/** A fingerprint of the user's password material (a new salt each time one is set). */
function passwordMark(user: User): string {
  return createHash('sha256').update(JSON.stringify(user.password ?? null)).digest('base64url').slice(0, 16);
}

/** RespondToAuthChallenge NEW_PASSWORD_REQUIRED. */
export async function answerNewPassword(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const s = openSession(ctx, sealed, 'NEW_PASSWORD_REQUIRED');
  checkSecretHash(ctx.client, responses.SECRET_HASH, [s.username, s.typed, s.userId]);
  const password = responses.NEW_PASSWORD;
  if (!password) throw new InvalidParameterException('Missing required parameter NEW_PASSWORD');
  const seen = await loadChallengedUser(ctx, s);
  const set = attributeAnswers(ctx, seen, responses);
  const missing = missingRequired(ctx, { ...seen.attributes, ...set });
  if (missing.length) throw new InvalidParameterException(`Invalid attributes given, ${missing[0]} is missing`);
  checkPasswordPolicy(ctx.pool, password);
  const user = await ctx.app.store.transaction(async (tx) => {
    if (!(await tx.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
    // The pool first, then the user, in the order every user write takes them (users.save's
    // followPool; a settings change locks the pool, then rewrites users): no deadlock.
    await tx.pools.getForUserWrite(ctx.pool.id);
    // Read again, and checked again, under the lock the write needs; the answer's attributes too.
    const current = await loadChallengedUser(ctx, s, tx);
    const values = attributeAnswers(ctx, current, responses);
    const stillMissing = missingRequired(ctx, { ...current.attributes, ...values });
    if (stillMissing.length) throw new InvalidParameterException(`Invalid attributes given, ${stillMissing[0]} is missing`);
    const reindex = applyAttributes(current, values);
    await ctx.app.users.setPassword(ctx.pool, current, password, { permanent: true, store: tx });
    if (reindex) await ctx.app.users.save(ctx.pool, current, { reindex: true, store: tx });
    return current;
  });
  return afterFirstFactor({ ...ctx, tokenSource: 'TokenGeneration_NewPasswordChallenge' }, user, { typed: s.typed, deviceKey: s.deviceKey });
}
