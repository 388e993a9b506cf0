// The second factor: what follows a proven password (state-diagram.md, "Mfa").
//
// afterFirstFactor decides, in order:
//   the DEVICE_KEY sent, if any, is one of this user's devices   else ResourceNotFoundException "Device does not exist."
//   a one-time code as first factor (USER_AUTH EMAIL_OTP, SMS_OTP) never comes here; a passkey
//   does only in a pool with MFA ON, unless it counts as two factors (webauthn.ts)
//   pool MFA OFF                                                 tokens
//   the user's factors: those enabled (SetUserMFAPreference, VerifySoftwareToken) that the pool offers
//   none, pool OPTIONAL                                          tokens
//   none, pool ON: SMS if the pool offers it and the user has a phone number, else
//     MFA_SETUP (mfa-setup.ts: a software token, or e-mail MFA confirmed by a first code)
//   a remembered device where the pool lets it stand for MFA    DEVICE_SRP_AUTH (device-srp.ts)
//   one factor, or the preferred one                             SMS_MFA / SOFTWARE_TOKEN_MFA / EMAIL_OTP
//   several, none preferred                                      SELECT_MFA_TYPE (MFAS_CAN_CHOOSE)
//
// The answers (each Session single use once answered right; see sign-in-code.ts for codes):
//   SMS_MFA (SMS_MFA_CODE), EMAIL_OTP (EMAIL_OTP_CODE), SOFTWARE_TOKEN_MFA (SOFTWARE_TOKEN_MFA_CODE):
//     wrong CodeMismatchException; 5 wrong then NotAuthorizedException; expired ExpiredCodeException
//   SELECT_MFA_TYPE (ANSWER): one of MFAS_CAN_CHOOSE, else InvalidParameterException
//   EMAIL_OTP that sets up e-mail MFA (its Session says so): the right code also turns e-mail MFA
//     on for the user and marks the address verified
import { CodeMismatchException, InvalidParameterException, NotAuthorizedException, SoftwareTokenMFANotFoundException } from '../errors.js';
import { newUuid } from '../ids.js';
import { mfaMode, poolFactors, type MfaFactor } from '../userpools/mfa-config.js';
import type { User } from '../userpools/user.js';
import { INVALID_SESSION, sessionValidityMs, newSession, openSession, sealSession, type ChallengeSession } from './challenge-session.js';
import { deviceSrpChallenge } from './device-srp.js';
import { finishSignIn, knownDevice, standsInForMfa } from './devices.js';
import { enableEmailMfa, mfaSetupChallenge } from './mfa-setup.js';
import { requireParam } from './params.js';
import { checkSecretHash } from './secret-hash.js';
import { checkSignInCode, codeDestination, sendSignInCode } from './sign-in-code.js';
import { acceptTotpAnswer, totpSecretOf, TOTP_NOT_FOUND } from './software-token.js';
import { checkUserMaySignIn } from './user-status.js';
import type { AuthStep, ChallengeName, FlowContext } from './types.js';

/** Wrong answers one TOTP challenge survives; the next attempt ends it. */
export const MAX_TOTP_ATTEMPTS = 5;

/** How the first factor was passed. */
export interface FirstFactor {
  /** The name the client typed (SECRET_HASH may be over it). */
  typed: string;
  /** DEVICE_KEY of the request, if any. */
  deviceKey?: string;
}

/** The step after the first factor: a second factor, device authentication, or tokens. */
export async function afterFirstFactor(ctx: FlowContext, user: User, by: FirstFactor): Promise<AuthStep> {
  const device = await knownDevice(ctx, user, by.deviceKey);
  if (mfaMode(ctx.pool) === 'OFF') return finishSignIn(ctx, user, device);
  const factors = userFactors(ctx, user);
  if (!factors.length) {
    if (mfaMode(ctx.pool) === 'OPTIONAL') return finishSignIn(ctx, user, device);
    const implicit = implicitFactor(ctx, user);
    if (!implicit) return mfaSetupChallenge(ctx, user, by);
    factors.push(implicit);
  }
  if (device && standsInForMfa(ctx.pool, device)) return deviceSrpChallenge(ctx, user, by, device);
  const preferred = user.mfa.preferred && factors.includes(user.mfa.preferred) ? user.mfa.preferred : undefined;
  if (preferred || factors.length === 1) return factorChallenge(ctx, user, by, preferred ?? factors[0]!);
  const session = newSession(ctx, { userId: user.id, username: user.username, typed: by.typed, challenge: 'SELECT_MFA_TYPE', deviceKey: by.deviceKey });
  return {
    kind: 'challenge',
    name: 'SELECT_MFA_TYPE',
    session: sealSession(ctx, session),
    parameters: { MFAS_CAN_CHOOSE: JSON.stringify(factors), USER_ID_FOR_SRP: user.username },
  };
}

/**
 * Whether a proven password leads this user to a second factor: the pool requires one, or offers
 * one the user turned on. (Whether a remembered device then stands in is afterFirstFactor's call.)
 */
export function mfaApplies(ctx: FlowContext, user: User): boolean {
  const mode = mfaMode(ctx.pool);
  return mode === 'ON' || (mode === 'OPTIONAL' && userFactors(ctx, user).length > 0);
}

/** The user's enabled factors that the pool offers, in Cognito's order. */
export function userFactors(ctx: FlowContext, user: User): MfaFactor[] {
  const offered = poolFactors(ctx.pool);
  const out: MfaFactor[] = [];
  if (offered.has('SMS_MFA') && user.mfa.smsEnabled && user.attributes.phone_number) out.push('SMS_MFA');
  if (offered.has('SOFTWARE_TOKEN_MFA') && user.mfa.totpEnabled && user.mfa.totpSecret) out.push('SOFTWARE_TOKEN_MFA');
  if (offered.has('EMAIL_OTP') && user.mfa.emailEnabled && user.attributes.email) out.push('EMAIL_OTP');
  return out;
}

/**
 * In an MFA ON pool, a user who enabled nothing still gets a text message where the pool can send
 * one (e-mail MFA is set up first instead: MFA_SETUP).
 */
function implicitFactor(ctx: FlowContext, user: User): MfaFactor | undefined {
  const offered = poolFactors(ctx.pool);
  if (offered.has('SMS_MFA') && user.attributes.phone_number) return 'SMS_MFA';
  return undefined;
}

/** The challenge of one factor; SMS and e-mail send their code now. `state` goes into its Session. */
export async function factorChallenge(ctx: FlowContext, user: User, by: FirstFactor, factor: MfaFactor, state?: Record<string, string>): Promise<AuthStep> {
  const jti = newUuid();
  const session = newSession(ctx, { userId: user.id, username: user.username, typed: by.typed, challenge: factor, deviceKey: by.deviceKey, jti, ...(state ? { state } : {}) });
  let parameters: Record<string, string> = { USER_ID_FOR_SRP: user.username };
  if (factor === 'SOFTWARE_TOKEN_MFA') {
    if (typeof user.mfa.totpName === 'string') parameters.FRIENDLY_DEVICE_NAME = user.mfa.totpName;
  } else {
    const destination = codeDestination(user, factor === 'SMS_MFA' ? 'SMS' : 'EMAIL', { verified: false })!;
    parameters = { ...parameters, ...(await sendSignInCode(ctx, user, destination, jti)) };
  }
  return { kind: 'challenge', name: factor, session: sealSession(ctx, session), parameters };
}

/** Opens the Session of `challenge`, checks SECRET_HASH, and loads the user, who may still sign in. */
export async function openChallenge(
  ctx: FlowContext,
  challenge: ChallengeName,
  responses: Record<string, string>,
  sealed?: string,
): Promise<{ s: ChallengeSession; user: User }> {
  const s = openSession(ctx, sealed, challenge);
  checkSecretHash(ctx.client, responses.SECRET_HASH, [s.username, s.typed, s.userId]);
  const user = await ctx.app.users.findBySub(ctx.pool, s.userId);
  if (!user) throw new NotAuthorizedException(INVALID_SESSION);
  checkUserMaySignIn(ctx, user);
  return { s, user };
}

/** RespondToAuthChallenge SMS_MFA. */
export async function answerSmsMfa(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'SMS_MFA', responses, sealed);
  await checkSignInCode(ctx, user, s, requireParam(responses, 'SMS_MFA_CODE'));
  return finishSignIn(ctx, user, await knownDevice(ctx, user, s.deviceKey));
}

/** RespondToAuthChallenge EMAIL_OTP: the second factor here, or USER_AUTH's first (user-auth.ts). */
export async function answerEmailOtp(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'EMAIL_OTP', responses, sealed);
  const { sentTo } = await checkSignInCode(ctx, user, s, requireParam(responses, 'EMAIL_OTP_CODE'));
  if (s.state?.setup === 'EMAIL_OTP') await enableEmailMfa(ctx, user, sentTo);
  return finishSignIn(ctx, user, await knownDevice(ctx, user, s.deviceKey));
}

/** RespondToAuthChallenge SOFTWARE_TOKEN_MFA. */
export async function answerSoftwareToken(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'SOFTWARE_TOKEN_MFA', responses, sealed);
  const code = requireParam(responses, 'SOFTWARE_TOKEN_MFA_CODE');
  const secret = totpSecretOf(ctx.app, user);
  if (!secret) throw new SoftwareTokenMFANotFoundException(TOTP_NOT_FOUND);
  const { store, clock } = ctx.app;
  // Every answer is counted per challenge before its code is looked at (an atomic upsert, so
  // answers sent at once each get their own number): at most MAX_TOTP_ATTEMPTS codes are ever
  // checked against one challenge, however many arrive together.
  // The window outlives the challenge, whenever the first answer came (the count must not start
  // over while the challenge can still be answered).
  const tries = await store.auth.countFailure(ctx.pool.id, `challenge:${s.jti}`, clock.now(), Math.max(sessionValidityMs(ctx), s.expiresAt - clock.now()) + 60_000);
  if (tries.failures > MAX_TOTP_ATTEMPTS) throw new NotAuthorizedException(INVALID_SESSION);
  const answer = await acceptTotpAnswer(ctx.app, user, secret, code, { jti: s.jti, expiresAt: s.expiresAt });
  if (answer === 'mismatch') {
    // The last allowed wrong answer also marks the challenge used.
    if (tries.failures >= MAX_TOTP_ATTEMPTS) await store.auth.useOnce(s.jti, s.expiresAt);
    throw new CodeMismatchException('Invalid code received for user');
  }
  if (answer === 'used') throw new NotAuthorizedException(INVALID_SESSION);
  return finishSignIn(ctx, user, await knownDevice(ctx, user, s.deviceKey));
}

/** RespondToAuthChallenge SELECT_MFA_TYPE: ANSWER names one of MFAS_CAN_CHOOSE; its challenge follows. */
export async function answerSelectMfaType(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'SELECT_MFA_TYPE', responses, sealed);
  const answer = requireParam(responses, 'ANSWER') as MfaFactor;
  if (!userFactors(ctx, user).includes(answer)) throw new InvalidParameterException(`${answer} is not one of the MFA types to choose from.`);
  // Answered once: a Session that could be answered again would send code after code.
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  return factorChallenge(ctx, user, { typed: s.typed, deviceKey: s.deviceKey }, answer);
}
