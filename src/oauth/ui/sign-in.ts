// /login (GET shows the form, POST checks the password) and /newPassword (the first password of
// a user created with a temporary one). The password step honours the same rules as the API's
// USER_PASSWORD_AUTH (src/auth/password.ts): PreventUserExistenceErrors, lockout and per-address
// limits counted in the store, then the user's state (disabled, unconfirmed, reset required,
// temporary password expired). What follows a proven password is `nextStep`:
//
//   CONFIRMED               session cookie, then the code (or tokens) on the redirect URI
//   UNCONFIRMED             the confirm page        RESET_REQUIRED   the reset-password page
// Between a proven password and the session run `afterPasswordSteps` (each answers its own page
// and returns true, finishing later with `signedIn`): mfa.ts's, which shows the new-password page
// for FORCE_CHANGE_PASSWORD (new-password.ts) and the second-factor pages.
import { HOSTED_PASSWORD_FLOW, recordHosted } from '../../audit/hosted.js';
import { refuseBlockedAddress } from '../../auth/flows.js';
import { checkNotLocked, lockSubject, recordFailure, recordSuccess } from '../../auth/lockout.js';
import type { FlowContext } from '../../auth/types.js';
import { INCORRECT_CREDENTIALS, hidesUserExistence, standIn, unknownUser } from '../../auth/user-existence.js';
import { checkUserMaySignIn } from '../../auth/user-status.js';
import { checkPassword as checkVerifier } from '../../auth/srp-server.js';
import { NotAuthorizedException, PasswordResetRequiredException, UserNotConfirmedException } from '../../errors.js';
import type { User } from '../../userpools/user.js';
import { finishAuthorize, usableSession, type AuthorizeRequest } from '../authorize.js';
import { csrfToken, type Hosted } from '../http.js';
import { startSession } from '../session.js';
import { flowContext, messageFor, pageUrl, withAuthorize, withForm } from './flow.js';
import type { MessageId } from './messages.js';
import { t } from './messages.js';
import { confirmPage, resetPage, signInPage } from './pages.js';
import { showPage } from './render.js';

/** GET /login: the form, unless a session may answer at once (prompt, max_age permitting). */
export function showLogin(h: Hosted) {
  return withAuthorize(h, async (request) => {
    const session = await usableSession(h, request);
    if (session) return finishAuthorize(h, request, session.user, session.session.authTime, session.session.sid);
    const notice = h.query.get('notice');
    return renderLogin(h, request, { username: request.loginHint, notice: notice === 'reset' ? 'notice.passwordChanged' : notice === 'confirmed' ? 'notice.accountConfirmed' : undefined });
  });
}

export function renderLogin(h: Hosted, request: AuthorizeRequest, o: { username?: string; error?: { id: MessageId; detail?: string }; notice?: MessageId; status?: number }) {
  const clean = new URLSearchParams(h.query);
  clean.delete('notice');
  const q = clean.toString();
  const selfSignUp = !request.pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly;
  const body = signInPage({
    lang: h.lang,
    action: `${h.base}/login?${q}`,
    csrf: csrfToken(h),
    error: o.error,
    notice: o.notice ? t(h.lang, o.notice) : undefined,
    username: o.username,
    forgotHref: `${h.base}/forgotPassword?${q}`,
    signUpHref: selfSignUp ? `${h.base}/signup?${q}` : undefined,
    // The client's other identity providers: each button is this authorize request naming it.
    idps: ((request.client.settings.SupportedIdentityProviders ?? []) as string[])
      .filter((name) => name !== 'COGNITO')
      .map((name) => {
        const q2 = new URLSearchParams(clean);
        q2.delete('idp_identifier');
        q2.set('identity_provider', name);
        return { name, href: `${h.base}/oauth2/authorize?${q2.toString()}` };
      }),
  });
  return showPage(h, { title: 'page.signIn.title', body, client: request.client, status: o.status, formTarget: request.redirectUri });
}

/** POST /login. */
export function submitLogin(h: Hosted) {
  return withForm(h, async (request, form) => {
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    if (!username || !password) return renderLogin(h, request, { username, error: { id: 'error.incorrectCredentials' }, status: 400 });
    const ctx = flowContext(h, request);
    let user: User;
    try {
      user = await provePassword(ctx, username, password);
    } catch (e) {
      const m = messageFor(e);
      if (!m) throw e;
      const known = await h.app.users.find(request.pool, username).catch(() => undefined);
      await auditPassword(h, request, { userId: known?.id, username: known?.username ?? username }, 'Fail', { reason: (e as Error).name });
      return renderLogin(h, request, { username, error: m, status: 400 });
    }
    return nextStep(h, ctx, request, user);
  });
}

/** USER_PASSWORD_AUTH's checks (src/auth/password.ts), without the tokens: returns the proven user. */
async function provePassword(ctx: FlowContext, typed: string, password: string): Promise<User> {
  await refuseBlockedAddress(ctx, 'USER_PASSWORD_AUTH');
  // As in password.ts: UserMigration for an unknown name, then PreAuthentication.
  const user =
    (await ctx.app.users.find(ctx.pool, typed)) ??
    (await ctx.app.triggers.migrateUser(ctx.app.users, { pool: ctx.pool, clientId: ctx.client.id, source: 'Authentication', typed, password }));
  if (!user && !hidesUserExistence(ctx.client)) throw unknownUser(ctx.client);
  await ctx.app.triggers.preAuthentication(ctx, user, typed);
  const subject = lockSubject(ctx, user, typed);
  const lock = await checkNotLocked(ctx, subject);
  let proven = false;
  if (user) {
    proven = await ctx.app.users.checkPassword(ctx.pool, user, password);
  } else {
    const ghost = await standIn(ctx, typed);
    await checkVerifier(ctx.app.auth.modPow, ctx.pool.srpName, ghost.username, password, ghost);
  }
  if (!proven || !user) {
    await recordFailure(ctx, subject);
    throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
  }
  await recordSuccess(ctx, subject, lock);
  return user;
}

/**
 * A step between a proven password and the session (MFA, terms ...). It answers the request
 * itself (a page) and returns true, or returns false to let sign-in go on.
 */
export type AfterPasswordStep = (h: Hosted, request: AuthorizeRequest, user: User) => Promise<boolean>;
export const afterPasswordSteps: AfterPasswordStep[] = [];

/**
 * Where a proven password leads (see the file comment). Also the sign-in that follows a hosted
 * sign-up's confirmation (sign-up.ts): the same status checks, MFA and new-password pages.
 */
export async function nextStep(h: Hosted, ctx: FlowContext, request: AuthorizeRequest, user: User) {
  try {
    checkUserMaySignIn(ctx, user);
  } catch (e) {
    await auditPassword(h, request, user, 'Fail', { reason: (e as Error).name });
    if (e instanceof UserNotConfirmedException) {
      const body = confirmPage({ lang: h.lang, action: pageUrl(h, 'confirm'), csrf: csrfToken(h), username: user.username, signInHref: pageUrl(h, 'login') });
      return showPage(h, { title: 'page.confirm.title', body, client: request.client, formTarget: request.redirectUri });
    }
    if (e instanceof PasswordResetRequiredException) {
      const body = resetPage({ lang: h.lang, action: pageUrl(h, 'confirmForgotPassword'), csrf: csrfToken(h), username: user.username, signInHref: pageUrl(h, 'login') });
      return showPage(h, { title: 'page.reset.title', body, client: request.client });
    }
    const m = messageFor(e);
    if (!m) throw e;
    return renderLogin(h, request, { username: user.username, error: m, status: 400 });
  }
  const next = user.status === 'FORCE_CHANGE_PASSWORD' ? 'NEW_PASSWORD_REQUIRED' : 'MFA';
  for (const step of afterPasswordSteps) {
    if (await step(h, request, user)) return auditPassword(h, request, user, 'InProgress', { next });
  }
  return signedIn(h, request, user);
}

/**
 * A SignIn audit event of a hosted step (src/audit/hosted.ts): the password by default; `detail`
 * names another factor and step (the MFA pages: factor Mfa, step SMS_MFA, ...).
 */
export function auditPassword(h: Hosted, request: AuthorizeRequest, user: { userId?: string; username?: string } | User, outcome: 'Pass' | 'Fail' | 'InProgress', detail: Record<string, string>) {
  const who = 'attributes' in user ? { userId: user.id, username: user.username } : user;
  return recordHosted(h.app, h.req, {
    poolId: request.pool.id,
    clientId: request.client.id,
    ...who,
    type: 'SignIn',
    outcome,
    detail: { op: 'HostedUI', flow: HOSTED_PASSWORD_FLOW, factor: 'Password', ...detail },
  });
}

/**
 * The end of every successful hosted sign-in: the session, then the authorize answer. `detail`:
 * the factor of the step that ended it when not the password (the MFA pages).
 */
export async function signedIn(h: Hosted, request: AuthorizeRequest, user: User, detail: Record<string, string> = {}) {
  await auditPassword(h, request, user, 'Pass', detail);
  const authTime = h.app.clock.now();
  const session = await startSession(h, user, authTime, request.client.id);
  return finishAuthorize(h, request, user, authTime, session.sid);
}
