// /signup and /confirm: self-registration through the same rules as the SignUp and
// ConfirmSignUp operations (src/userpools/registration.ts), the client's SECRET_HASH computed
// here since the hosted UI holds the secret. A sign-up carries a sealed `pending` to the confirm
// page, so a confirmation in the same flow signs the user in as Cognito's hosted UI does (through
// PreAuthentication and what follows any proven password: MFA set-up or challenge when the pool
// asks for it); without it (a user who came back later) the confirmation ends on the sign-in page.
import { recordHostedStep } from '../../audit/hosted.js';
import { refuseBlockedAddress } from '../../auth/flows.js';
import { secretHashOf } from '../../auth/secret-hash.js';
import { usernameAttributes } from '../../userpools/attributes.js';
import { confirmSignUp, signUp } from '../../userpools/registration.js';
import type { AppClient } from '../../userpools/pools.js';
import type { User } from '../../userpools/user.js';
import { isTriggerError } from '../../triggers/errors.js';
import type { AuthorizeRequest } from '../authorize.js';
import { csrfToken, redirect, type Hosted } from '../http.js';
import { checkedAsApi, flowContext, messageFor, pageUrl, withAuthorize, withForm } from './flow.js';
import type { MessageId } from './messages.js';
import { confirmsWithLink } from '../../messaging/messages.js';
import { confirmPage, confirmedPage, linkSentPage, signUpPage } from './pages.js';
import { showError, showPage } from './render.js';
import { nextStep, renderLogin } from './sign-in.js';

const PENDING_PURPOSE = 'hosted-ui-sign-up';
const PENDING_MS = 30 * 60_000;

interface Pending {
  pool: string;
  client: string;
  sub: string;
  exp: number;
}

/** Pools whose username is the e-mail ask for it once; others ask for a username and an e-mail. */
function emailIsUsername(request: AuthorizeRequest): boolean {
  return usernameAttributes(request.pool).includes('email');
}

async function renderSignUp(h: Hosted, request: AuthorizeRequest, o: { username?: string; email?: string; error?: { id: MessageId; detail?: string } } = {}) {
  const terms = await h.app.terms.linksFor(request.client.id, h.lang);
  const body = signUpPage({
    terms,
    lang: h.lang,
    action: pageUrl(h, 'signup'),
    csrf: csrfToken(h),
    error: o.error,
    username: o.username,
    email: o.email,
    askEmail: !emailIsUsername(request),
    signInHref: pageUrl(h, 'login'),
  });
  return showPage(h, { title: 'page.signUp.title', body, client: request.client, status: o.error ? 400 : 200 });
}

export function showSignUp(h: Hosted) {
  return withAuthorize(h, (request) => {
    // A pool where only administrators create users offers no form (the sign-in page links none).
    if (request.pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) return renderLogin(h, request, { error: { id: 'error.signUpNotAllowed' }, status: 403 });
    return renderSignUp(h, request);
  });
}

export function submitSignUp(h: Hosted) {
  return withForm(h, async (request, form) => {
    const username = (form.get('username') ?? '').trim();
    const email = (form.get('email') ?? '').trim();
    const password = form.get('password') ?? '';
    const client = request.client;
    let result;
    const startedAt = h.app.clock.now();
    try {
      result = await signUp(
        h.app.users,
        checkedAsApi('SignUpRequest', {
          ClientId: client.id,
          Username: username,
          Password: password,
          UserAttributes: email && !emailIsUsername(request) ? [{ Name: 'email', Value: email }] : [],
          SecretHash: client.secret ? secretHashOf(client.secret, username, client.id) : undefined,
        }),
      );
    } catch (e) {
      const m = messageFor(e);
      if (!m) throw e;
      await recordHostedStep(h.app, h.req, { pool: request.pool, clientId: client.id, typed: username, type: 'SignUp', op: 'HostedSignUp', error: e });
      // PreSignUp confirmed the user and PostConfirmation then failed: the account exists and
      // works (as after ConfirmSignUp), so the form is not shown again for a name now taken. Only
      // a user this very request stored counts (a PreSignUp refusal of a name someone already has
      // stores nothing).
      if (isTriggerError(e)) {
        const made = await h.app.users.find(request.pool, username);
        if (made?.status === 'CONFIRMED' && made.createdAt >= startedAt) return redirect(h, pageUrl(h, 'login', { notice: 'confirmed' }));
      }
      return renderSignUp(h, request, { username, email, error: m });
    }
    await recordHostedStep(h.app, h.req, { pool: request.pool, clientId: client.id, typed: username, userId: result.UserSub, type: 'SignUp', op: 'HostedSignUp' });
    if (result.UserConfirmed) {
      // Confirmed by PreSignUp: no code to ask for; the sign-in follows as after a confirmation.
      const user = await h.app.users.findBySub(request.pool, result.UserSub);
      return user ? signInConfirmed(h, request, username, user) : redirect(h, pageUrl(h, 'login', { notice: 'confirmed' }));
    }
    // A pool that confirms by link e-mailed a link, not a code to type here.
    if (confirmsWithLink(request.pool) && result.CodeDeliveryDetails?.DeliveryMedium === 'EMAIL') {
      return showPage(h, { title: 'page.confirm.title', body: linkSentPage(h.lang, result.CodeDeliveryDetails.Destination ?? '', pageUrl(h, 'login')), client });
    }
    const pending: Pending = { pool: request.pool.id, client: client.id, sub: result.UserSub, exp: h.app.clock.now() + PENDING_MS };
    const body = confirmPage({
      lang: h.lang,
      action: pageUrl(h, 'confirm'),
      csrf: csrfToken(h),
      username,
      destination: result.CodeDeliveryDetails?.Destination,
      signInHref: pageUrl(h, 'login'),
      pending: h.app.sealer.sealJson(PENDING_PURPOSE, pending),
    });
    return showPage(h, { title: 'page.confirm.title', body, client, formTarget: request.redirectUri });
  });
}

/** ConfirmSignUp as the API takes it, for a page: the input checked as the API's, the secret hash made here. */
function confirmAsApi(h: Hosted, client: AppClient, username: string, code: string): Promise<void> {
  return confirmSignUp(
    h.app.users,
    checkedAsApi('ConfirmSignUpRequest', {
      ClientId: client.id,
      Username: username,
      ConfirmationCode: code,
      SecretHash: client.secret ? secretHashOf(client.secret, username, client.id) : undefined,
    }),
  );
}

export function submitConfirm(h: Hosted) {
  return withForm(h, async (request, form) => {
    const username = (form.get('username') ?? '').trim();
    const code = (form.get('code') ?? '').trim();
    const client = request.client;
    try {
      await confirmAsApi(h, client, username, code);
    } catch (e) {
      const m = messageFor(e);
      if (!m) throw e;
      await recordHostedStep(h.app, h.req, { pool: request.pool, clientId: client.id, typed: username, type: 'ConfirmSignUp', op: 'HostedConfirmSignUp', error: e });
      const pending = form.get('pending') ?? undefined;
      const body = confirmPage({ lang: h.lang, action: pageUrl(h, 'confirm'), csrf: csrfToken(h), username, error: m, signInHref: pageUrl(h, 'login'), pending });
      return showPage(h, { title: 'page.confirm.title', body, client, status: 400, formTarget: request.redirectUri });
    }
    await recordHostedStep(h.app, h.req, { pool: request.pool, clientId: client.id, typed: username, type: 'ConfirmSignUp', op: 'HostedConfirmSignUp' });
    const pending = h.app.sealer.openJson<Pending>(PENDING_PURPOSE, form.get('pending') ?? '');
    const user = await h.app.users.find(request.pool, username);
    if (user && pending && pending.sub === user.id && pending.pool === request.pool.id && pending.client === client.id && h.app.clock.now() < pending.exp) {
      return signInConfirmed(h, request, username, user);
    }
    return redirect(h, pageUrl(h, 'login', { notice: 'confirmed' }));
  });
}

/**
 * The sign-in that follows a sign-up and its confirmation in the same browser is one:
 * threat protection's blocked ranges, PreAuthentication, then what follows any proven password
 * (status checks, MFA set-up or challenge).
 */
async function signInConfirmed(h: Hosted, request: AuthorizeRequest, username: string, user: User) {
  const ctx = flowContext(h, request);
  try {
    await refuseBlockedAddress(ctx, 'USER_PASSWORD_AUTH');
    await h.app.triggers.preAuthentication(ctx, user, username);
  } catch (e) {
    const m = messageFor(e);
    if (!m) throw e;
    return renderLogin(h, request, { username, error: m, status: 400 });
  }
  return nextStep(h, ctx, request, user);
}

/**
 * GET /confirmUser?client_id=…&user_name=…&confirmation_code=…: the link of a sign-up e-mail in a
 * CONFIRM_WITH_LINK pool (messaging/messages.ts). It confirms the sign-up as ConfirmSignUp does
 * (the code checked and spent, PostConfirmation run; the secret hash made here for a client with
 * a secret) and answers with a page. A link followed again after it worked shows the same page.
 */
export async function confirmUserLink(h: Hosted) {
  const clientId = h.query.get('client_id') ?? '';
  const username = h.query.get('user_name') ?? '';
  const code = h.query.get('confirmation_code') ?? '';
  const client = clientId ? await h.app.pools.getClient(h.domain.poolId, clientId).catch(() => undefined) : undefined;
  if (!client) return showError(h, 'error.invalidParameter', { detail: 'The link is not valid: unknown or missing client_id.' });
  const pool = await h.app.pools.get(h.domain.poolId);
  try {
    await confirmAsApi(h, client, username, code);
  } catch (e) {
    // Followed again (or by a mail scanner first): the account is confirmed, which is all the page says.
    if (e instanceof Error && e.name === 'NotAuthorizedException' && /Current status is CONFIRMED$/.test(e.message)) {
      return showPage(h, { title: 'page.confirmed.title', body: confirmedPage(h.lang), client });
    }
    const m = messageFor(e);
    if (!m) throw e;
    await recordHostedStep(h.app, h.req, { pool, clientId: client.id, typed: username, type: 'ConfirmSignUp', op: 'HostedConfirmSignUp', error: e });
    return showError(h, m.id, { client, detail: m.detail });
  }
  await recordHostedStep(h.app, h.req, { pool, clientId: client.id, typed: username, type: 'ConfirmSignUp', op: 'HostedConfirmSignUp' });
  return showPage(h, { title: 'page.confirmed.title', body: confirmedPage(h.lang), client });
}
