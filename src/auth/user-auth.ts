// USER_AUTH, choice-based sign-in: the first factor is one of the pool's SignInPolicy
// AllowedFirstAuthFactors that this user can use (availableChallenges):
//   PASSWORD      -> PASSWORD (the password in the request) and PASSWORD_SRP (SRP_A), if the user has one
//   EMAIL_OTP     -> a code to a verified e-mail address
//   SMS_OTP       -> a code to a verified phone number
//   WEB_AUTHN     -> a passkey, if the user registered one (webauthn.ts)
//
// InitiateAuth USER_AUTH { USERNAME, PREFERRED_CHALLENGE?, PASSWORD? / SRP_A? }:
//   a preference the user can use starts it at once (PASSWORD and PASSWORD_SRP run password.ts and
//   srp.ts as their own flows do, unknown users' stand-ins included); otherwise SELECT_CHALLENGE
//   with AvailableChallenges. An unknown user is UserNotFoundException, or, when the client hides
//   user existence, a SELECT_CHALLENGE offering the password factors, which then fail as a wrong
//   password does (the password flows' stand-ins).
// RespondToAuthChallenge SELECT_CHALLENGE { ANSWER, PASSWORD? / SRP_A? } starts the one named
//   (one of the available, else InvalidParameterException; the Session is used once).
// RespondToAuthChallenge EMAIL_OTP / SMS_OTP { EMAIL_OTP_CODE / SMS_OTP_CODE }: the code; then tokens,
//   with no second factor (the code is one already). Password first factors go on to MFA as always.
import type { App } from '../app.js';
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import { newUuid } from '../ids.js';
import { CODE_FIRST_FACTORS, mfaMode } from '../userpools/mfa-config.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { INVALID_SESSION, newSession, openSession, sealSession, type ChallengeSession } from './challenge-session.js';
import { finishSignIn, knownDevice } from './devices.js';
import { openChallenge } from './mfa.js';
import { requireParam } from './params.js';
import { startPasswordAuth } from './password.js';
import { checkSecretHash } from './secret-hash.js';
import { checkSignInCode, codeDestination, sendSignInCode } from './sign-in-code.js';
import { startSrp } from './srp.js';
import { hidesUserExistence, standIn, unknownUser } from './user-existence.js';
import { checkUserMaySignIn } from './user-status.js';
import { hasPasskey, webAuthnChallenge } from './webauthn.js';
import type { AuthStep, AvailableChallenge, FlowContext } from './types.js';

type Params = Record<string, string>;

/**
 * The pool's allowed first factors (PASSWORD always among them). A pool that requires MFA never
 * offers a one-time code as the first factor, which would end the sign-in without a second one:
 * its settings refuse the combination (checkFirstFactorsWithMfa), and this holds for a pool
 * stored before that check too.
 */
function allowedFactors(pool: UserPool): Set<string> {
  const listed = pool.settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors as unknown as string[] | undefined;
  const out = new Set(listed?.length ? listed : ['PASSWORD']);
  if (mfaMode(pool) === 'ON') for (const f of CODE_FIRST_FACTORS) out.delete(f);
  return out;
}

/** The first factors this user can use in this pool, in a stable order. */
export async function availableChallenges(app: App, pool: UserPool, user: User): Promise<AvailableChallenge[]> {
  const allowed = allowedFactors(pool);
  const out: AvailableChallenge[] = [];
  if (allowed.has('PASSWORD') && user.password) out.push('PASSWORD', 'PASSWORD_SRP');
  if (allowed.has('EMAIL_OTP') && codeDestination(user, 'EMAIL', { verified: true })) out.push('EMAIL_OTP');
  if (allowed.has('SMS_OTP') && codeDestination(user, 'SMS', { verified: true })) out.push('SMS_OTP');
  if (allowed.has('WEB_AUTHN') && (await hasPasskey(app, user))) out.push('WEB_AUTHN');
  return out;
}

type AuthFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/** ConfiguredUserAuthFactors of GetUserAuthFactors: the first factors the user has, by factor. */
export async function configuredAuthFactors(app: App, pool: UserPool, user: User): Promise<AuthFactor[]> {
  const available = await availableChallenges(app, pool, user);
  return available.filter((c): c is AuthFactor => c !== 'PASSWORD_SRP');
}

/** InitiateAuth / AdminInitiateAuth USER_AUTH. */
export async function startUserAuth(ctx: FlowContext, params: Params): Promise<AuthStep> {
  const typed = requireParam(params, 'USERNAME');
  const preferred = params.PREFERRED_CHALLENGE;
  // The password factors are their own flows, unknown users and all.
  if (preferred === 'PASSWORD' && params.PASSWORD && allowedFactors(ctx.pool).has('PASSWORD')) return startPasswordAuth(ctx, params);
  if (preferred === 'PASSWORD_SRP' && params.SRP_A && allowedFactors(ctx.pool).has('PASSWORD')) return startSrp(ctx, params);
  const user = await ctx.app.users.find(ctx.pool, typed);
  checkSecretHash(ctx.client, params.SECRET_HASH, [typed, user?.username]);
  if (!user && hidesUserExistence(ctx.client) && allowedFactors(ctx.pool).has('PASSWORD')) return selectForUnknown(ctx, typed, params);
  if (!user) throw unknownUser(ctx.client);
  checkUserMaySignIn(ctx, user);
  const available = await availableChallenges(ctx.app, ctx.pool, user);
  if (preferred && (available as string[]).includes(preferred)) return startFactor(ctx, user, typed, preferred as AvailableChallenge, params);
  const session = newSession(ctx, {
    userId: user.id,
    username: user.username,
    typed,
    challenge: 'SELECT_CHALLENGE',
    deviceKey: params.DEVICE_KEY,
    state: { available: available.join(' ') },
  });
  return { kind: 'challenge', name: 'SELECT_CHALLENGE', session: sealSession(ctx, session), parameters: { USERNAME: user.username }, available };
}

/**
 * An unknown name when the client hides user existence: a SELECT_CHALLENGE that offers the
 * password factors under the name's stand-in, whose answers then run the password flows' own
 * stand-in paths and fail as a wrong password does.
 */
async function selectForUnknown(ctx: FlowContext, typed: string, params: Params): Promise<AuthStep> {
  const ghost = await standIn(ctx, typed);
  const available: AvailableChallenge[] = ['PASSWORD', 'PASSWORD_SRP'];
  const session = newSession(ctx, { userId: '', username: ghost.username, typed, challenge: 'SELECT_CHALLENGE', deviceKey: params.DEVICE_KEY, state: { available: available.join(' ') } });
  return { kind: 'challenge', name: 'SELECT_CHALLENGE', session: sealSession(ctx, session), parameters: { USERNAME: ghost.username }, available };
}

/** SELECT_CHALLENGE answered for an unknown name (see selectForUnknown). */
async function answerForUnknown(ctx: FlowContext, s: ChallengeSession, responses: Params): Promise<AuthStep> {
  checkSecretHash(ctx.client, responses.SECRET_HASH, [s.typed, s.username]);
  const answer = requireParam(responses, 'ANSWER');
  if (!(s.state?.available ?? '').split(' ').includes(answer)) throw new InvalidParameterException(`${answer} is not one of the available challenges.`);
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  const base = { USERNAME: s.typed, ...(responses.SECRET_HASH ? { SECRET_HASH: responses.SECRET_HASH } : {}) };
  if (answer === 'PASSWORD') return startPasswordAuth(ctx, { ...base, PASSWORD: requireParam(responses, 'PASSWORD') });
  return startSrp(ctx, { ...base, SRP_A: requireParam(responses, 'SRP_A') });
}

/** Starts the first factor `factor` for a known user. */
async function startFactor(ctx: FlowContext, user: User, typed: string, factor: AvailableChallenge, params: Params): Promise<AuthStep> {
  const named = { ...params, USERNAME: params.USERNAME ?? user.username };
  if (factor === 'PASSWORD') return startPasswordAuth(ctx, { ...named, PASSWORD: requireParam(params, 'PASSWORD') });
  if (factor === 'PASSWORD_SRP') return startSrp(ctx, { ...named, SRP_A: requireParam(params, 'SRP_A') });
  if (factor === 'WEB_AUTHN') return webAuthnChallenge(ctx, user, typed, params.DEVICE_KEY);
  const jti = newUuid();
  const name = factor === 'EMAIL_OTP' ? 'EMAIL_OTP' : 'SMS_OTP';
  const session = newSession(ctx, { userId: user.id, username: user.username, typed, challenge: name, deviceKey: params.DEVICE_KEY, jti, state: { firstFactor: '1' } });
  const destination = codeDestination(user, factor === 'EMAIL_OTP' ? 'EMAIL' : 'SMS', { verified: true })!;
  const parameters = { USERNAME: user.username, ...(await sendSignInCode(ctx, user, destination, jti)) };
  return { kind: 'challenge', name, session: sealSession(ctx, session), parameters };
}

/** RespondToAuthChallenge SELECT_CHALLENGE. */
export async function answerSelectChallenge(ctx: FlowContext, responses: Params, sealed?: string): Promise<AuthStep> {
  const peek = openSession(ctx, sealed, 'SELECT_CHALLENGE');
  if (!peek.userId) return answerForUnknown(ctx, peek, responses);
  const { s, user } = await openChallenge(ctx, 'SELECT_CHALLENGE', responses, sealed);
  const answer = requireParam(responses, 'ANSWER');
  const available = (s.state?.available ?? '').split(' ');
  if (!available.includes(answer)) throw new InvalidParameterException(`${answer} is not one of the available challenges.`);
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  const params: Params = { ...responses, USERNAME: user.username, ...(s.deviceKey ? { DEVICE_KEY: s.deviceKey } : {}) };
  return startFactor(ctx, user, s.typed, answer as AvailableChallenge, params);
}

/** RespondToAuthChallenge SMS_OTP (USER_AUTH's first factor by text message). */
export async function answerSmsOtp(ctx: FlowContext, responses: Params, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'SMS_OTP', responses, sealed);
  await checkSignInCode(ctx, user, s, requireParam(responses, 'SMS_OTP_CODE'));
  return finishSignIn(ctx, user, await knownDevice(ctx, user, s.deviceKey));
}
