// MFA_SETUP: a pool with MFA ON and a user with no factor it can use. The user enrols a software
// token inside the sign-in, with the challenge's Session instead of an access token:
//
//   MFA_SETUP { MFAS_CAN_SETUP: ["SOFTWARE_TOKEN_MFA"] } + Session S1
//   AssociateSoftwareToken { Session: S1 }              -> SecretCode, Session S2
//   VerifySoftwareToken { Session: S2, UserCode }        -> Status SUCCESS, Session S3 (marked verified)
//   RespondToAuthChallenge MFA_SETUP { Session: S3 }     -> tokens (Session used once)
//
// Each Session is the same challenge (same user, client, expiry) sealed anew; only S3 says the
// token was verified. Answering MFA_SETUP before that is InvalidParameterException. A Session
// that is not an MFA_SETUP one of a live sign-in, or one of a user who has a factor by now, is
// NotAuthorizedException.
//
// E-mail MFA (the pool offers it and the user has an e-mail address; MFAS_CAN_SETUP then lists
// EMAIL_OTP after SOFTWARE_TOKEN_MFA), as Amplify's CONTINUE_SIGN_IN_WITH_EMAIL_SETUP answers it:
//
//   RespondToAuthChallenge MFA_SETUP { USERNAME, EMAIL: <the user's address> } + Session S1
//     -> EMAIL_OTP (code sent to the address, CODE_DELIVERY_*) + Session E (single use of S1)
//   RespondToAuthChallenge EMAIL_OTP { EMAIL_OTP_CODE } + Session E
//     -> tokens; e-mail MFA is on for the user and the address verified (mfa.ts)
//
// EMAIL must be the user's own address (case aside): InvalidParameterException otherwise, and
// when e-mail MFA cannot be set up for this user or pool.
import type { App } from '../app.js';
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import { poolFactors, type MfaFactor } from '../userpools/mfa-config.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { INVALID_SESSION, newSession, openSession, sealSession, sessionOrigin, type ChallengeSession } from './challenge-session.js';
import { finishSignIn, knownDevice } from './devices.js';
import { factorChallenge, openChallenge, userFactors, type FirstFactor } from './mfa.js';
import { checkUserMaySignIn } from './user-status.js';
import type { AuthStep, FlowContext } from './types.js';

/** The MFA_SETUP challenge. */
export function mfaSetupChallenge(ctx: FlowContext, user: User, by: FirstFactor): AuthStep {
  const session = newSession(ctx, { userId: user.id, username: user.username, typed: by.typed, challenge: 'MFA_SETUP', deviceKey: by.deviceKey });
  const settable = setupFactors(ctx, user);
  const canSetUp = settable.length ? settable : [...poolFactors(ctx.pool)];
  return {
    kind: 'challenge',
    name: 'MFA_SETUP',
    session: sealSession(ctx, session),
    parameters: { MFAS_CAN_SETUP: JSON.stringify(canSetUp), USER_ID_FOR_SRP: user.username },
  };
}

/** The factors this user can set up inside the sign-in, in MFAS_CAN_SETUP's order. */
function setupFactors(ctx: FlowContext, user: User): MfaFactor[] {
  const offered = poolFactors(ctx.pool);
  const out: MfaFactor[] = [];
  if (offered.has('SOFTWARE_TOKEN_MFA')) out.push('SOFTWARE_TOKEN_MFA');
  if (offered.has('EMAIL_OTP') && user.attributes.email) out.push('EMAIL_OTP');
  return out;
}

/** What a set-up Session stands for: its sign-in's context and user. */
export interface SetupSession {
  ctx: FlowContext;
  pool: UserPool;
  user: User;
  session: ChallengeSession;
}

/** Opens an MFA_SETUP Session given to AssociateSoftwareToken / VerifySoftwareToken. */
export async function openSetupSession(app: App, sealed: string, sourceIp: string): Promise<SetupSession> {
  const origin = sessionOrigin(app.sealer, sealed);
  if (!origin) throw new NotAuthorizedException(INVALID_SESSION);
  const pool = await app.pools.get(origin.poolId).catch(() => {
    throw new NotAuthorizedException(INVALID_SESSION);
  });
  const client = await app.pools.getClient(pool.id, origin.clientId).catch(() => {
    throw new NotAuthorizedException(INVALID_SESSION);
  });
  const ctx: FlowContext = { app, pool, client, admin: false, sourceIp };
  const session = openSession(ctx, sealed, 'MFA_SETUP');
  const user = await app.users.findBySub(pool, session.userId);
  // Once a factor is set up, this sign-in's set-up Sessions cannot set up another.
  if (!user || userFactors(ctx, user).length) throw new NotAuthorizedException(INVALID_SESSION);
  checkUserMaySignIn(ctx, user);
  return { ctx, pool, user, session };
}

/** The same set-up Session sealed again, with `verified` once the token was verified. */
export function resealSetupSession(setup: SetupSession, verified: boolean): string {
  const s = setup.session;
  return sealSession(setup.ctx, { ...s, state: { ...(s.state ?? {}), ...(verified ? { verified: '1' } : {}) } });
}

/** RespondToAuthChallenge MFA_SETUP: after VerifySoftwareToken with this sign-in's Session. */
export async function answerMfaSetup(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'MFA_SETUP', responses, sealed);
  if (responses.EMAIL !== undefined) return startEmailSetup(ctx, user, s, responses.EMAIL);
  if (s.state?.verified !== '1') {
    throw new InvalidParameterException('Set up a software token first: AssociateSoftwareToken and VerifySoftwareToken with this Session.');
  }
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  return finishSignIn(ctx, user, await knownDevice(ctx, user, s.deviceKey));
}

/** MFA_SETUP answered with EMAIL: the first e-mail code, whose right answer enables e-mail MFA. */
async function startEmailSetup(ctx: FlowContext, user: User, s: ChallengeSession, email: string): Promise<AuthStep> {
  if (!setupFactors(ctx, user).includes('EMAIL_OTP') || userFactors(ctx, user).length) {
    throw new InvalidParameterException('Email MFA cannot be set up for this user.');
  }
  if (email.trim().toLowerCase() !== (user.attributes.email ?? '').toLowerCase()) {
    throw new InvalidParameterException('EMAIL must be the email address of the user.');
  }
  // One code per set-up Session: answering it again would send code after code.
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  return factorChallenge(ctx, user, { typed: s.typed, deviceKey: s.deviceKey }, 'EMAIL_OTP', { setup: 'EMAIL_OTP' });
}

/**
 * The end of an e-mail set-up: e-mail MFA on (not preferred), the address proven by the code. On
 * the user as it stands (row locked): if the address is no longer the one the code went to
 * (`sentTo`), nothing is proven about the new one, and nothing changes; the next sign-in asks for
 * the set-up again.
 */
export async function enableEmailMfa(ctx: FlowContext, user: User, sentTo: string | undefined): Promise<void> {
  const fresh = await ctx.app.users.modify(
    ctx.pool,
    user.id,
    (u) => {
      const email = u.attributes.email;
      if (!email || !sentTo || email.toLowerCase() !== sentTo.toLowerCase()) return;
      u.mfa = { ...u.mfa, emailEnabled: true };
      u.attributes.email_verified = 'true';
      u.updatedAt = ctx.app.clock.now();
    },
    // A verified address may now be an alias: the indexes follow.
    { reindex: true },
  );
  Object.assign(user, fresh);
}
