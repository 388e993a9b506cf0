// Turns answered AWS JSON calls into audit events and sign-in metrics. awsjson.ts calls
// `observeCall` once per decoded cognito-idp request, after the handler returned or threw, so the
// operations and flows stay free of auditing. The table below says which operations make which
// event type and how the user is found:
//   client    ClientId -> pool; Username / AuthParameters.USERNAME / ChallengeResponses.USERNAME
//   pool      UserPoolId + Username (admin operations)
//   refresh   the user whose sign-in the refresh token (RevokeToken's Token) belongs to, when it
//             was issued to the ClientId named
//   access    the AccessToken's user: its claims after a success (the token was accepted), a
//             verification after a failure (a forged token must not name a user)
// Sign-in steps end Pass (tokens), InProgress (a challenge) or Fail (the exception's name, never
// its message, which may echo input). Every SigV4-signed cognito-idp operation that writes also
// makes an AdminAction event naming the operation and the access key id.
import type { App } from '../app.js';
import { PASSWORD_ATTEMPTS_EXCEEDED } from '../auth/lockout.js';
import type { CognitoException } from '../errors.js';
import type { ServiceId } from '../operations/operation.js';
import type { Principal } from '../protocol/sigv4.js';
import type { UserPool } from '../userpools/pools.js';
import { refreshTokenHash } from '../tokens/refresh.js';
import { sessionSubject } from '../auth/challenge-session.js';
import { observeLockout, observeSignIn } from '../metrics/metrics.js';
import type { AuditEvent, AuditOutcome } from './audit.js';

export interface ObservedCall {
  service: ServiceId;
  op: string;
  input: Record<string, any>;
  output?: Record<string, any>;
  error?: CognitoException;
  principal?: Principal;
  requestId: string;
  sourceIp: string;
}

type Subject = 'client' | 'pool' | 'access' | 'refresh';

interface Rule {
  type: string;
  subject: Subject;
  /** Sign-in steps: outcome from the reply, flow for the metrics. */
  signIn?: (input: Record<string, any>) => string;
}

const PASSWORD_STEPS = new Set(['USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH', 'PASSWORD_VERIFIER', 'NEW_PASSWORD_REQUIRED']);
const MFA_STEPS = new Set(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SELECT_MFA_TYPE', 'MFA_SETUP', 'SMS_OTP']);
const REFRESH_FLOWS = new Set(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);

const initiate: Rule = { type: 'SignIn', subject: 'client', signIn: (i) => String(i.AuthFlow ?? '?') };
const respond: Rule = { type: 'SignIn', subject: 'client', signIn: (i) => String(i.ChallengeName ?? '?') };

export const auditedOperations: Record<string, Rule> = {
  InitiateAuth: initiate,
  AdminInitiateAuth: initiate,
  RespondToAuthChallenge: respond,
  AdminRespondToAuthChallenge: respond,
  GetTokensFromRefreshToken: { type: 'Refresh', subject: 'client', signIn: () => 'GetTokensFromRefreshToken' },
  SignUp: { type: 'SignUp', subject: 'client' },
  ConfirmSignUp: { type: 'ConfirmSignUp', subject: 'client' },
  AdminConfirmSignUp: { type: 'ConfirmSignUp', subject: 'pool' },
  ResendConfirmationCode: { type: 'ResendCode', subject: 'client' },
  ForgotPassword: { type: 'ForgotPassword', subject: 'client' },
  ConfirmForgotPassword: { type: 'ForgotPassword', subject: 'client' },
  ChangePassword: { type: 'PasswordChange', subject: 'access' },
  AdminSetUserPassword: { type: 'PasswordChange', subject: 'pool' },
  AdminResetUserPassword: { type: 'ForgotPassword', subject: 'pool' },
  GlobalSignOut: { type: 'SignOut', subject: 'access' },
  AdminUserGlobalSignOut: { type: 'SignOut', subject: 'pool' },
  RevokeToken: { type: 'SignOut', subject: 'refresh' },
  SetUserMFAPreference: { type: 'MfaChange', subject: 'access' },
  AdminSetUserMFAPreference: { type: 'MfaChange', subject: 'pool' },
  AssociateSoftwareToken: { type: 'MfaChange', subject: 'access' },
  VerifySoftwareToken: { type: 'MfaChange', subject: 'access' },
  AdminDeleteSoftwareToken: { type: 'MfaChange', subject: 'pool' },
  DeleteUser: { type: 'DeleteUser', subject: 'access' },
  AdminDeleteUser: { type: 'DeleteUser', subject: 'pool' },
};

const READ_OP = /^(Admin)?(Get|List|Describe)/;

/** Records what the call did; never throws (a failure is logged). */
export async function observeCall(app: App, call: ObservedCall): Promise<void> {
  if (call.service !== 'idp') return;
  try {
    const rule = auditedOperations[call.op];
    if (rule) await app.audit.record(await eventOf(app, call, rule));
    if (call.principal?.kind === 'admin' && !call.error && !READ_OP.test(call.op)) {
      await app.audit.record(await adminActionOf(app, call));
    }
  } catch (err) {
    app.log.warn({ err, requestId: call.requestId, op: call.op }, 'audit observation failed');
  }
}

async function eventOf(app: App, call: ObservedCall, rule: Rule): Promise<AuditEvent> {
  const who = await subjectOf(app, call, rule.subject);
  const detail: AuditEvent['detail'] = { op: call.op };
  let outcome: AuditOutcome = call.error ? 'Fail' : 'Pass';
  if (call.error) detail.reason = call.error.name;
  if (rule.signIn) {
    const flow = rule.signIn(call.input);
    detail.flow = flow;
    if (!call.error && call.output?.ChallengeName) {
      outcome = 'InProgress';
      detail.next = String(call.output.ChallengeName);
    }
    if (PASSWORD_STEPS.has(flow)) detail.factor = 'Password';
    else if (MFA_STEPS.has(flow)) detail.factor = 'Mfa';
    observeSignIn(flow, outcome);
    if (call.error?.message === PASSWORD_ATTEMPTS_EXCEEDED) observeLockout('user');
    else if (call.error?.name === 'TooManyRequestsException') observeLockout('address');
    return { ...who, type: REFRESH_FLOWS.has(flow) ? 'Refresh' : rule.type, outcome, detail, sourceIp: signInIp(call), requestId: call.requestId };
  }
  return { ...who, type: rule.type, outcome, detail, sourceIp: call.sourceIp, requestId: call.requestId };
}

async function adminActionOf(app: App, call: ObservedCall): Promise<AuditEvent> {
  const poolId = str(call.input.UserPoolId) ?? str(call.output?.UserPool?.Id) ?? str(call.output?.UserPoolClient?.UserPoolId);
  const who = poolId && call.input.Username ? await userIn(app, poolId, String(call.input.Username)) : { poolId };
  return {
    ...who,
    clientId: str(call.input.ClientId) ?? str(call.output?.UserPoolClient?.ClientId),
    type: 'AdminAction',
    outcome: 'Pass',
    sourceIp: call.sourceIp,
    requestId: call.requestId,
    detail: { op: call.op, accessKeyId: call.principal?.accessKeyId },
  };
}

type Who = Pick<AuditEvent, 'poolId' | 'clientId' | 'userId' | 'username'>;

async function subjectOf(app: App, call: ObservedCall, subject: Subject): Promise<Who> {
  const { input, output } = call;
  if (subject === 'access') return accessTokenUser(app, call);
  if (subject === 'refresh') return refreshTokenUser(app, call);
  // Tokens in the reply name the user exactly (refresh flows send no USERNAME).
  const issued = str(output?.AuthenticationResult?.AccessToken);
  if (issued) {
    const claims = claimsOf(issued);
    if (claims) return { poolId: poolOfIssuer(claims.iss), clientId: str(claims.client_id), userId: str(claims.sub), username: str(claims.username) };
  }
  let poolId = str(input.UserPoolId);
  const clientId = str(input.ClientId);
  if (!poolId && clientId) poolId = (await app.pools.getClient(undefined, clientId).catch(() => undefined))?.poolId;
  const typed = str(input.Username) ?? str(input.AuthParameters?.USERNAME) ?? str(input.ChallengeResponses?.USERNAME);
  // A challenge's Session (sealed by the flow that just answered) names the user: no read needed.
  const session = str(output?.Session) ? sessionSubject(app.sealer, output!.Session) : undefined;
  if (session && poolId && session.poolId === poolId) {
    return session.userId ? { poolId, clientId, userId: session.userId, username: session.username } : { poolId, clientId, username: typed };
  }
  const who: Who = poolId && typed ? await userIn(app, poolId, typed) : { poolId };
  if (!who.userId && str(output?.UserSub)) who.userId = output!.UserSub;
  return { ...who, clientId };
}

/** The pool's user by name or alias; the typed name alone when there is none. */
async function userIn(app: App, poolId: string, typed: string): Promise<Who> {
  const pool: UserPool | undefined = await app.pools.get(poolId).catch(() => undefined);
  const user = pool ? await app.users.find(pool, typed).catch(() => undefined) : undefined;
  return { poolId, userId: user?.id, username: user?.username ?? typed };
}

async function accessTokenUser(app: App, call: ObservedCall): Promise<Who> {
  const token = str(call.input.AccessToken);
  if (!token) return {};
  if (!call.error) {
    const claims = claimsOf(token);
    return claims ? { poolId: poolOfIssuer(claims.iss), clientId: str(claims.client_id), userId: str(claims.sub), username: str(claims.username) } : {};
  }
  const verified = await app.tokens.verifyAccessToken(token).catch(() => undefined);
  return verified ? { poolId: verified.pool.id, userId: verified.user.id, username: verified.user.username } : {};
}

async function refreshTokenUser(app: App, call: ObservedCall): Promise<Who> {
  const clientId = str(call.input.ClientId);
  const token = str(call.input.Token);
  const found = token ? await app.store.tokens.findRefreshToken(refreshTokenHash(token)).catch(() => undefined) : undefined;
  if (!found || found.family.client_id !== clientId) return { clientId };
  return { poolId: found.family.pool_id, clientId, userId: found.family.user_id, username: found.user?.username ?? undefined };
}

/** Admin* sign-ins may carry the end user's address (ContextData.IpAddress), as flowContext uses it. */
function signInIp(call: ObservedCall): string {
  return (call.principal?.kind === 'admin' && str(call.input.ContextData?.IpAddress)) || call.sourceIp;
}

/** The payload of a JWT this server issued and just accepted or returned (no signature check here). */
function claimsOf(jwt: string): Record<string, any> | undefined {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const poolOfIssuer = (iss: unknown): string | undefined => (typeof iss === 'string' ? iss.slice(iss.lastIndexOf('/') + 1) || undefined : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
