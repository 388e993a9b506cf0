// USER_SRP_AUTH -> PASSWORD_VERIFIER (shared/spec/srp.md §4).
//
// InitiateAuth: resolve the user (or its stand-in when PreventUserExistenceErrors hides unknown
// names), compute b and B on the worker pool, and answer SALT, SRP_B, SECRET_BLOCK,
// USER_ID_FOR_SRP and USERNAME (both the canonical username) plus a Session.
//
// SECRET_BLOCK is the whole server state, sealed (AES-GCM under the master key): pool, client,
// user, the name typed, A, b, B, issue and expiry times and an id. So a PASSWORD_VERIFIER answer
// needs no Session (pycognito and many boto3 scripts send none) and any process can check it.
// On the wire it is standard base64, which the clients decode before hashing it.
//
// RespondToAuthChallenge PASSWORD_VERIFIER, in order:
//   open SECRET_BLOCK (and Session, if sent: same challenge id)   NotAuthorized: invalid / expired session
//   SECRET_HASH over the canonical or typed name                   NotAuthorized
//   TIMESTAMP strict format, within ±5 minutes                     InvalidParameter
//   the user (and its groups and lockout counters); the challenge id recorded as used, in the
//   same statement on PostgreSQL (for an unknown user's stand-in too, before the lockout check)
//   lockout / address limit                                        NotAuthorized / TooManyRequests
//   the challenge id not used before (single use)                  NotAuthorized: invalid session
//   PASSWORD_CLAIM_SIGNATURE, constant-time                        NotAuthorized: incorrect (counted)
//   then user-status.ts (disabled, unconfirmed, new password ...)
// The TIMESTAMP string goes into the HMAC exactly as received, never re-formatted.
import { N, fromHex, parseSrpTimestamp } from '../crypto/srp.js';
import { InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException } from '../errors.js';
import { newUuid } from '../ids.js';
import type { User } from '../userpools/user.js';
import { EXPIRED_SESSION, INVALID_SESSION, newSession, openSession, sealSession, sessionValidityMs } from './challenge-session.js';
import { checkNotLocked, ipSubject, lockSubject, recordFailure, recordSuccess } from './lockout.js';
import { requireParam } from './params.js';
import { checkSecretHash } from './secret-hash.js';
import { serverEphemeral, verifyClaim } from './srp-server.js';
import { afterPasswordProven } from './user-status.js';
import { mfaApplies } from './mfa.js';
import { INCORRECT_CREDENTIALS, hidesUserExistence, standIn, unknownUser } from './user-existence.js';
import type { AuthStep, FlowContext } from './types.js';

const BLOCK_PURPOSE = 'auth-srp-secret-block';
export const IMPORTED_PASSWORD =
  'Password sign-in required: this user has an imported password hash; sign in once with USER_PASSWORD_AUTH (or ADMIN_USER_PASSWORD_AUTH), then SRP works.';
const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
const HEX = /^[0-9a-fA-F]{1,1024}$/;

/** The server's SRP state, carried by the client inside SECRET_BLOCK. */
interface SrpState {
  poolId: string;
  clientId: string;
  /** sub; empty for an unknown user's stand-in. */
  userId: string;
  /** USER_ID_FOR_SRP. */
  username: string;
  typed: string;
  salt: string;
  A: string;
  b: string;
  B: string;
  issuedAt: number;
  expiresAt: number;
  jti: string;
  /**
   * Part of a CUSTOM_AUTH sign-in: the answer goes back to DefineAuthChallenge
   * (src/triggers/custom-auth.ts), or, proven for a user whose MFA applies, on to that MFA.
   */
  custom?: boolean;
}

function sealBlock(ctx: FlowContext, state: SrpState): string {
  const sealed = ctx.app.sealer.sealJson(BLOCK_PURPOSE, state);
  return Buffer.from(sealed.slice('v1.'.length), 'base64url').toString('base64');
}

function openBlock(ctx: FlowContext, block: string): SrpState {
  const sealed = 'v1.' + Buffer.from(block, 'base64').toString('base64url');
  const s = ctx.app.sealer.openJson<SrpState>(BLOCK_PURPOSE, sealed);
  if (!s || s.poolId !== ctx.pool.id || s.clientId !== ctx.client.id) throw new NotAuthorizedException(INVALID_SESSION);
  if (ctx.app.clock.now() > s.expiresAt) throw new NotAuthorizedException(EXPIRED_SESSION);
  return s;
}

/** The salt and verifier SRP runs on: the user's, else a stand-in (which can never match). */
async function srpMaterial(ctx: FlowContext, user: User | undefined, typed: string) {
  if (user?.password?.kind === 'srp') return { username: user.username, salt: user.password.salt, verifier: user.password.verifier };
  if (user?.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
  // An imported password hash (README "Importing users") has no verifier until the user's first
  // password sign-in turns it into one; said plainly unless the client hides user existence.
  if (user?.password?.kind === 'hash' && !hidesUserExistence(ctx.client)) throw new NotAuthorizedException(IMPORTED_PASSWORD);
  const ghost = await standIn(ctx, user?.username ?? typed);
  return user ? { ...ghost, username: user.username } : ghost;
}

/** InitiateAuth / AdminInitiateAuth USER_SRP_AUTH. */
export async function startSrp(ctx: FlowContext, params: Record<string, string>, opts: { custom?: boolean } = {}): Promise<AuthStep> {
  const typed = requireParam(params, 'USERNAME');
  const srpA = requireParam(params, 'SRP_A');
  if (!HEX.test(srpA) || fromHex(srpA) % N === 0n) throw new InvalidParameterException('Invalid SRP_A.');
  const user = await ctx.app.users.find(ctx.pool, typed);
  checkSecretHash(ctx.client, params.SECRET_HASH, [typed, user?.username]);
  if (!user && !hidesUserExistence(ctx.client)) throw unknownUser(ctx.client);
  // In CUSTOM_AUTH the flow ran PreAuthentication already.
  if (!opts.custom) await ctx.app.triggers.preAuthentication(ctx, user, typed);
  const m = await srpMaterial(ctx, user, typed);
  const { b, B } = await serverEphemeral(ctx.app.auth.modPow, m.verifier);
  const now = ctx.app.clock.now();
  const jti = newUuid();
  const expiresAt = now + sessionValidityMs(ctx);
  const state: SrpState = { poolId: ctx.pool.id, clientId: ctx.client.id, userId: user?.id ?? '', username: m.username, typed, salt: m.salt, A: srpA, b, B, issuedAt: now, expiresAt, jti };
  if (opts.custom) state.custom = true;
  const session = newSession(ctx, { userId: state.userId, username: m.username, typed, challenge: 'PASSWORD_VERIFIER', jti });
  return {
    kind: 'challenge',
    name: 'PASSWORD_VERIFIER',
    session: sealSession(ctx, session),
    parameters: { SALT: m.salt, SRP_B: B, SECRET_BLOCK: sealBlock(ctx, state), USER_ID_FOR_SRP: m.username, USERNAME: m.username },
  };
}

/** TIMESTAMP: Cognito's format, and near the server's time. */
function checkTimestamp(ctx: FlowContext, timestamp: string): void {
  const at = parseSrpTimestamp(timestamp);
  if (at === undefined) throw new InvalidParameterException('TIMESTAMP is not in the expected format.');
  if (Math.abs(at - ctx.app.clock.now()) > TIMESTAMP_TOLERANCE_MS) {
    throw new InvalidParameterException('TIMESTAMP is not within 5 minutes of the server time.');
  }
}

/** RespondToAuthChallenge / AdminRespondToAuthChallenge PASSWORD_VERIFIER. */
export async function answerPasswordVerifier(ctx: FlowContext, responses: Record<string, string>, session?: string): Promise<AuthStep> {
  const block = requireParam(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requireParam(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requireParam(responses, 'TIMESTAMP');
  const s = openBlock(ctx, block);
  if (session && openSession(ctx, session, 'PASSWORD_VERIFIER').jti !== s.jti) throw new NotAuthorizedException(INVALID_SESSION);
  checkSecretHash(ctx.client, responses.SECRET_HASH, [s.username, s.typed, s.userId]);
  checkTimestamp(ctx, timestamp);
  // The user, its groups and its lockout counters, and the challenge recorded as answered: one
  // statement where the engine allows. A stand-in's answer records it at the same point, before
  // the lockout check, so that a replay after a lock reads the same for known and unknown names.
  const once = { jti: s.jti, expiresAt: s.expiresAt };
  const found = s.userId ? await ctx.app.users.findForSignIn(ctx.pool, { sub: s.userId }, ipSubject(ctx), once) : undefined;
  const claimed = found ? found.claimed : await ctx.app.store.auth.useOnce(once.jti, once.expiresAt);
  const user = found?.user;
  if (s.userId && !user && !hidesUserExistence(ctx.client)) throw unknownUser(ctx.client);
  const subject = lockSubject(ctx, user, s.typed);
  const lock = await checkNotLocked(ctx, subject, found?.prefetched?.failures);
  if (!claimed) throw new NotAuthorizedException(INVALID_SESSION);
  if (user && found?.prefetched) ctx.groupsOf = { userId: user.id, groups: found.prefetched.groups };
  const m = await srpMaterial(ctx, user, s.typed);
  const claim = { poolName: ctx.pool.srpName, userId: s.username, verifier: m.verifier, A: s.A, b: s.b, B: s.B, secretBlock: block, timestamp };
  const proven = await verifyClaim(ctx.app.auth.modPow, claim, signature);
  if (!proven || !user || m.salt !== s.salt) {
    await recordFailure(ctx, subject);
    // CUSTOM_AUTH: DefineAuthChallenge learns the result and decides.
    if (s.custom) return ctx.app.triggers.afterCustomPasswordVerifier(ctx, user, s.typed, false, responses.DEVICE_KEY);
    throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
  }
  await recordSuccess(ctx, subject, lock);
  // CUSTOM_AUTH: a proven password goes to the user's MFA when it applies, and from there to the
  // tokens, without DefineAuthChallenge again, as Cognito does (its MFA in a custom sign-in hangs
  // on PASSWORD_VERIFIER: amplify-js #3876, #12887); otherwise DefineAuthChallenge decides.
  if (s.custom) {
    if (mfaApplies(ctx, user)) return afterPasswordProven(ctx, user, { typed: s.typed, deviceKey: responses.DEVICE_KEY });
    return ctx.app.triggers.afterCustomPasswordVerifier(ctx, user, s.typed, true, responses.DEVICE_KEY);
  }
  return afterPasswordProven(ctx, user, { typed: s.typed, deviceKey: responses.DEVICE_KEY });
}
