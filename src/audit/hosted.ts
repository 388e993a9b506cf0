// Audit events of the hosted UI and the OAuth endpoints, in the same shape as observe.ts gives the
// API's sign-ins, so AdminListUserAuthEvents and the console show a browser sign-in as they show an
// InitiateAuth:
//   password on /login        SignIn  flow HOSTED_UI_PASSWORD, factor Password; Fail (reason),
//                             InProgress (next: NEW_PASSWORD_REQUIRED / MFA) or Pass at the session
//   each MFA page answered    SignIn  factor Mfa, step (SMS_MFA, EMAIL_OTP, ...); Fail (reason),
//                             InProgress (next challenge) or Pass at the session
//   federated sign-in         SignIn  flow FEDERATED, provider named; Pass or Fail
//   /oauth2/token             authorization_code: TokenExchange; refresh_token: Refresh (as the
//                             API's REFRESH_TOKEN_AUTH); client_credentials: SignIn with no user
//   /logout, /oauth2/revoke   SignOut
//   sign-up, its confirmation SignUp, ConfirmSignUp; forgotten password (code, new password)
//                             ForgotPassword, as the API's SignUp, ConfirmSignUp, ForgotPassword
// The reason of a failure is an exception name or an OAuth error code, never a message (it may
// echo input). Recording never fails the request (app.audit.record swallows store errors).
import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { observeSignIn } from '../metrics/metrics.js';
import type { UserPool } from '../userpools/pools.js';
import type { AuditEvent, AuditOutcome } from './audit.js';

export const HOSTED_PASSWORD_FLOW = 'HOSTED_UI_PASSWORD';
export const FEDERATED_FLOW = 'FEDERATED';

export interface HostedEvent {
  poolId: string;
  clientId?: string;
  userId?: string;
  username?: string;
  type: string;
  outcome: AuditOutcome;
  detail: Record<string, string | undefined>;
}

/** Records one event of a hosted-UI or OAuth request (source IP and request id from `req`). */
export async function recordHosted(app: App, req: FastifyRequest, e: HostedEvent): Promise<void> {
  const detail: AuditEvent['detail'] = {};
  for (const [k, v] of Object.entries(e.detail)) if (v !== undefined) detail[k] = v;
  if (e.type === 'SignIn' || e.type === 'Refresh') observeSignIn(String(detail.flow ?? '?'), e.outcome);
  await app.audit.record({ ...e, detail, sourceIp: req.ip, requestId: req.id });
}

/** The user a token this server just issued names (sub, username), read without a signature check. */
export function tokenUser(jwt: string | undefined): { userId?: string; username?: string } {
  if (!jwt) return {};
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const s = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    return { userId: s(claims.sub), username: s(claims.username) ?? s(claims['cognito:username']) };
  } catch {
    return {};
  }
}

/**
 * An event of a hosted page that acts for a user named in its form (sign-up, its confirmation,
 * forgotten password): Pass, or Fail with the error's name. The user is found by the typed name
 * when no id is given; an unknown name is kept as typed, as observe.ts does.
 */
export async function recordHostedStep(
  app: App,
  req: FastifyRequest,
  o: { pool: UserPool; clientId: string; typed: string; userId?: string; type: string; op: string; error?: unknown },
): Promise<void> {
  const user = await app.users.find(o.pool, o.typed).catch(() => undefined);
  await recordHosted(app, req, {
    poolId: o.pool.id,
    clientId: o.clientId,
    userId: o.userId ?? user?.id,
    username: user?.username ?? o.typed,
    type: o.type,
    outcome: o.error ? 'Fail' : 'Pass',
    detail: { op: o.op, reason: o.error instanceof Error ? o.error.name : undefined },
  });
}
