// /forgotPassword and /confirmForgotPassword: a reset code to the user's verified e-mail or
// phone (the users domain's 'reset' code: hashed, expiring, single use, attempts counted), then
// a new permanent password set in the transaction that consumes the code. With
// PreventUserExistenceErrors an unknown name looks like a sent code. Success ends on the sign-in
// page with a notice.
import { recordHostedStep } from '../../audit/hosted.js';
import { hidesUserExistence } from '../../auth/user-existence.js';
import { CodeMismatchException } from '../../errors.js';
import { checkPasswordPolicy } from '../../userpools/passwords.js';
import type { AuthorizeRequest } from '../authorize.js';
import { csrfToken, redirect, type Hosted } from '../http.js';
import { checkedAsApi, messageFor, pageUrl, withAuthorize, withForm } from './flow.js';
import type { MessageId } from './messages.js';
import { forgotPage, resetPage } from './pages.js';
import { showPage } from './render.js';
import { simulatedDelivery } from '../../userpools/password-reset.js';

function renderForgot(h: Hosted, request: AuthorizeRequest, o: { username?: string; error?: { id: MessageId; detail?: string } } = {}) {
  const body = forgotPage({ lang: h.lang, action: pageUrl(h, 'forgotPassword'), csrf: csrfToken(h), username: o.username, error: o.error, signInHref: pageUrl(h, 'login') });
  return showPage(h, { title: 'page.forgot.title', body, client: request.client, status: o.error ? 400 : 200 });
}

function renderReset(h: Hosted, request: AuthorizeRequest, o: { username: string; destination?: string; error?: { id: MessageId; detail?: string } }) {
  const body = resetPage({ lang: h.lang, action: pageUrl(h, 'confirmForgotPassword'), csrf: csrfToken(h), signInHref: pageUrl(h, 'login'), ...o });
  return showPage(h, { title: 'page.reset.title', body, client: request.client, status: o.error ? 400 : 200 });
}

export function showForgot(h: Hosted) {
  return withAuthorize(h, (request) => renderForgot(h, request));
}

export function submitForgot(h: Hosted) {
  return withForm(h, async (request, form) => {
    const username = (form.get('username') ?? '').trim();
    if (!username) return renderForgot(h, request, { error: { id: 'error.userNotFound' } });
    const user = await h.app.users.find(request.pool, username);
    if (!user) {
      // Answered as a known user is, with a look-alike destination (as the API's ForgotPassword).
      if (hidesUserExistence(request.client)) {
        return renderReset(h, request, { username, destination: simulatedDelivery(request.pool, username, await h.app.auth.standInKey()).Destination });
      }
      return renderForgot(h, request, { username, error: { id: 'error.userNotFound' } });
    }
    try {
      const sent = await h.app.users.sendCode(request.pool, user, 'reset', { trigger: 'ForgotPassword' });
      await recordHostedStep(h.app, h.req, { pool: request.pool, clientId: request.client.id, typed: username, userId: user.id, type: 'ForgotPassword', op: 'HostedForgotPassword' });
      return renderReset(h, request, { username, destination: sent.Destination });
    } catch (e) {
      const m = messageFor(e);
      if (!m) throw e;
      await recordHostedStep(h.app, h.req, { pool: request.pool, clientId: request.client.id, typed: username, userId: user.id, type: 'ForgotPassword', op: 'HostedForgotPassword', error: e });
      return renderForgot(h, request, { username, error: m });
    }
  });
}

export function submitReset(h: Hosted) {
  return withForm(h, async (request, form) => {
    const username = (form.get('username') ?? '').trim();
    const code = (form.get('code') ?? '').trim();
    const password = form.get('password') ?? '';
    if (password !== (form.get('password2') ?? '')) return renderReset(h, request, { username, error: { id: 'error.passwordsDiffer' } });
    const pool = request.pool;
    try {
      checkedAsApi('ConfirmForgotPasswordRequest', { ClientId: request.client.id, Username: username, ConfirmationCode: code, Password: password });
      // The policy first: known and unknown names get the same answer to a weak password.
      checkPasswordPolicy(pool, password);
      const user = await h.app.users.find(pool, username);
      if (!user) throw new CodeMismatchException('Invalid verification code provided, please try again.');
      await h.app.users.confirmCode(pool, user, 'reset', code, (tx) => h.app.users.setPassword(pool, user, password, { permanent: true, store: tx }));
    } catch (e) {
      const m = messageFor(e);
      if (!m) throw e;
      await recordHostedStep(h.app, h.req, { pool, clientId: request.client.id, typed: username, type: 'ForgotPassword', op: 'HostedConfirmForgotPassword', error: e });
      return renderReset(h, request, { username, error: m });
    }
    await recordHostedStep(h.app, h.req, { pool, clientId: request.client.id, typed: username, type: 'ForgotPassword', op: 'HostedConfirmForgotPassword' });
    return redirect(h, pageUrl(h, 'login', { notice: 'reset' }));
  });
}
