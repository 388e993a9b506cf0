// AuthFlow CUSTOM_AUTH (shared/spec/triggers.md §3 "Custom authentication", srp.md §4 "CUSTOM_AUTH
// with SRP first"): a loop in which DefineAuthChallenge decides, CreateAuthChallenge makes a
// CUSTOM_CHALLENGE and VerifyAuthChallengeResponse judges its answer.
//
//   InitiateAuth CUSTOM_AUTH { USERNAME [, SRP_A, CHALLENGE_NAME: "SRP_A"] }
//     DefineAuthChallenge not configured       InvalidParameterException
//     user resolved (stand-in when hidden), SECRET_HASH, user state, PreAuthentication
//     Define(session = [] or [SRP_A: true])
//   Define says
//     failAuthentication                       NotAuthorizedException "Incorrect username or password."
//     issueTokens                              NEW_PASSWORD_REQUIRED for a temporary password, else tokens
//     PASSWORD_VERIFIER (right after SRP_A)    srp.ts's challenge, marked custom in its SECRET_BLOCK; its
//                                              answer comes back here (afterPasswordVerifier) with the
//                                              session [SRP_A: true, PASSWORD_VERIFIER: proven], unless
//                                              the password is proven and the user's MFA applies: then
//                                              the MFA challenge, and tokens after it (as Cognito)
//     CUSTOM_CHALLENGE                         Create -> ChallengeName CUSTOM_CHALLENGE, public parameters
//                                              + USERNAME, a new Session
//     anything else                            InvalidLambdaResponseException
//   RespondToAuthChallenge CUSTOM_CHALLENGE { USERNAME, ANSWER } + Session
//     Session open, this client's, not expired, not used before (each Session answers once)
//     Verify(private parameters, ANSWER) -> session += { CUSTOM_CHALLENGE, answerCorrect, metadata }
//     -> Define again (at most MAX_ROUNDS custom challenges)
//
// The Session is the sealed ChallengeSession of challenge-session.ts; its state holds the history
// and the private parameters, so any process can take the next step. When they would make the
// Session longer than Cognito's 2,048 characters (large private parameters, long metadata over
// several rounds), they are kept sealed in the store under the Session's id instead.
import { INVALID_SESSION, newSession, openSession, sealSession, type ChallengeSession } from '../auth/challenge-session.js';
import { requireParam } from '../auth/params.js';
import { checkSecretHash } from '../auth/secret-hash.js';
import { startSrp } from '../auth/srp.js';
import type { AuthStep, FlowContext } from '../auth/types.js';
import { INCORRECT_CREDENTIALS, hidesUserExistence, standIn, unknownUser } from '../auth/user-existence.js';
import { checkUserMaySignIn } from '../auth/user-status.js';
import { finishSignIn, knownDevice } from '../auth/devices.js';
import { newPasswordChallenge } from '../auth/new-password.js';
import { InvalidLambdaResponseException, InvalidParameterException, NotAuthorizedException } from '../errors.js';
import type { User } from '../userpools/user.js';
import { runCreateAuthChallenge } from './create-auth-challenge.js';
import { runDefineAuthChallenge, type SessionEntry } from './define-auth-challenge.js';
import type { TriggerRunner } from './invoke.js';
import { runVerifyAuthChallenge } from './verify-auth-challenge.js';

export const NOT_CONFIGURED = 'Custom auth lambda trigger is not configured for the user pool.';
/** Custom challenges one sign-in may go through. */
export const MAX_ROUNDS = 8;

/** Who is signing in: the user, or nobody (existence hidden) under a stand-in name. */
interface Subject {
  user?: User;
  /** The name the functions and the client see: the canonical username, or the stand-in's. */
  userName: string;
  typed: string;
  /** DEVICE_KEY of the sign-in: its tokens are bound to that device (or get a new one where devices are tracked). */
  deviceKey?: string;
}

/** InitiateAuth / AdminInitiateAuth CUSTOM_AUTH. */
export async function startCustomAuth(runner: TriggerRunner, ctx: FlowContext, params: Record<string, string>): Promise<AuthStep> {
  if (!runner.has(ctx.pool, 'DefineAuthChallenge')) throw new InvalidParameterException(NOT_CONFIGURED);
  const typed = requireParam(params, 'USERNAME');
  const srpFirst = params.CHALLENGE_NAME === 'SRP_A';
  if (srpFirst) requireParam(params, 'SRP_A');
  const user = await ctx.app.users.find(ctx.pool, typed);
  checkSecretHash(ctx.client, params.SECRET_HASH, [typed, user?.username]);
  if (!user && !hidesUserExistence(ctx.client)) throw unknownUser(ctx.client);
  if (user) checkUserMaySignIn(ctx, user);
  await ctx.app.triggers.preAuthentication(ctx, user, typed);
  // With SRP first, the PASSWORD_VERIFIER answer carries the key (and is refused for an unknown one).
  const subject = { user, typed, userName: user?.username ?? (await standIn(ctx, typed)).username, deviceKey: srpFirst ? undefined : params.DEVICE_KEY };
  const history: SessionEntry[] = srpFirst ? [{ challengeName: 'SRP_A', challengeResult: true }] : [];
  return decide(runner, ctx, subject, history, srpFirst ? params : undefined);
}

/** After PASSWORD_VERIFIER of a CUSTOM_AUTH sign-in (srp.ts hands it back here). */
export async function afterPasswordVerifier(runner: TriggerRunner, ctx: FlowContext, user: User | undefined, typed: string, proven: boolean, deviceKey?: string): Promise<AuthStep> {
  const subject = { user, typed, userName: user?.username ?? (await standIn(ctx, typed)).username, deviceKey };
  const history: SessionEntry[] = [
    { challengeName: 'SRP_A', challengeResult: true },
    { challengeName: 'PASSWORD_VERIFIER', challengeResult: proven },
  ];
  return decide(runner, ctx, subject, history);
}

/** Cognito's Session is at most this long (SessionType in the model). */
const MAX_SESSION_CHARS = 2048;
/** The most state kept in the store for one Session (history, private parameters, metadata), as JSON. */
const MAX_KEPT_STATE_BYTES = 256 * 1024;
const STATE_PURPOSE = 'auth-custom-challenge-state';
/** Marks a Session whose state is in the store. */
const STORED = 'stored';

/** The challenge's state: in the Session, or kept in the store under its id. */
async function stateOf(ctx: FlowContext, s: ChallengeSession): Promise<Record<string, string>> {
  if (!s.state?.[STORED]) return s.state ?? {};
  const kept = await ctx.app.store.auth.takeSessionState(s.jti);
  const state = kept ? ctx.app.sealer.openJson<Record<string, string>>(STATE_PURPOSE, kept) : undefined;
  if (!state) throw new NotAuthorizedException(INVALID_SESSION);
  return state;
}

/** RespondToAuthChallenge / AdminRespondToAuthChallenge CUSTOM_CHALLENGE. */
export async function answerCustomChallenge(runner: TriggerRunner, ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const s = openSession(ctx, sealed, 'CUSTOM_CHALLENGE');
  checkSecretHash(ctx.client, responses.SECRET_HASH, [s.username, s.typed, s.userId]);
  const answer = requireParam(responses, 'ANSWER');
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  const user = s.userId ? await ctx.app.users.findBySub(ctx.pool, s.userId) : undefined;
  if (s.userId && !user) throw new NotAuthorizedException(INVALID_SESSION);
  const subject = { user, typed: s.typed, userName: s.username, deviceKey: s.deviceKey };
  const state = await stateOf(ctx, s);
  const history = JSON.parse(state.history ?? '[]') as SessionEntry[];
  const correct = await runVerifyAuthChallenge(runner, ctx, user, s.username, JSON.parse(state.private ?? '{}'), answer);
  history.push({ challengeName: 'CUSTOM_CHALLENGE', challengeResult: correct, ...(state.metadata ? { challengeMetadata: state.metadata } : {}) });
  return decide(runner, ctx, subject, history);
}

/** Asks DefineAuthChallenge and acts on its decision (see the file comment). */
async function decide(runner: TriggerRunner, ctx: FlowContext, who: Subject, history: SessionEntry[], srpParams?: Record<string, string>): Promise<AuthStep> {
  const d = await runDefineAuthChallenge(runner, ctx, who.user, who.userName, history);
  if (d.kind === 'fail') throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
  if (d.kind === 'tokens') {
    // An unknown user (existence hidden) can never get tokens, whatever the functions say.
    if (!who.user) throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
    checkUserMaySignIn(ctx, who.user);
    if (who.user.status === 'FORCE_CHANGE_PASSWORD') return newPasswordChallenge(ctx, who.user, { typed: who.typed, deviceKey: who.deviceKey });
    // Bound to the sign-in's device, or with a new one's metadata where the pool tracks devices.
    return finishSignIn(ctx, who.user, await knownDevice(ctx, who.user, who.deviceKey));
  }
  if (d.name === 'PASSWORD_VERIFIER' && srpParams) return startSrp(ctx, srpParams, { custom: true });
  if (d.name !== 'CUSTOM_CHALLENGE') {
    throw new InvalidLambdaResponseException(`Invalid lambda function output : Tessera cannot continue a custom sign-in with ${d.name} here`);
  }
  if (history.filter((h) => h.challengeName === 'CUSTOM_CHALLENGE').length >= MAX_ROUNDS) {
    throw new NotAuthorizedException(`Too many custom challenges in one sign-in (at most ${MAX_ROUNDS}).`);
  }
  if (!runner.has(ctx.pool, 'CreateAuthChallenge') || !runner.has(ctx.pool, 'VerifyAuthChallengeResponse')) {
    throw new InvalidParameterException(NOT_CONFIGURED);
  }
  const c = await runCreateAuthChallenge(runner, ctx, who.user, who.userName, 'CUSTOM_CHALLENGE', history);
  const state: Record<string, string> = { history: JSON.stringify(history), private: JSON.stringify(c.privateParameters) };
  if (c.metadata !== undefined) state.metadata = c.metadata;
  const session = newSession(ctx, { userId: who.user?.id ?? '', username: who.userName, typed: who.typed, challenge: 'CUSTOM_CHALLENGE', deviceKey: who.deviceKey, state });
  let sealed = sealSession(ctx, session);
  if (sealed.length > MAX_SESSION_CHARS) {
    // Too long for a Session (the model's limit, which clients and Tessera's own input check
    // hold to): the state waits in the store under the Session's id, sealed, until it is answered
    // or expires. Within reason: a function's output is not a place to keep data.
    if (Buffer.byteLength(JSON.stringify(state), 'utf8') > MAX_KEPT_STATE_BYTES) {
      throw new InvalidLambdaResponseException(`Invalid lambda function output : the challenge parameters and metadata exceed ${MAX_KEPT_STATE_BYTES / 1024} KiB`);
    }
    await ctx.app.store.auth.putSessionState(session.jti, ctx.app.sealer.sealJson(STATE_PURPOSE, state), session.expiresAt, ctx.app.clock.now());
    sealed = sealSession(ctx, { ...session, state: { [STORED]: '1' } });
  }
  return {
    kind: 'challenge',
    name: 'CUSTOM_CHALLENGE',
    session: sealed,
    parameters: { ...c.publicParameters, USERNAME: who.userName },
  };
}
