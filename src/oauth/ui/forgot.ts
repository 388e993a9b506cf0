// /forgotPassword and /confirmForgotPassword: the API's ForgotPassword and ConfirmForgotPassword
// (userpools/password-reset.ts), with the client's SECRET_HASH computed here since the hosted UI
// holds the secret. So the pages refuse whom the API refuses (disabled users, users waiting for a
// first password, pools where only an administrator recovers), apply the password history, and a
// reset revokes the user's earlier sign-ins as the API's does. With PreventUserExistenceErrors an
// unknown name looks like a sent code. Success ends on the sign-in page with a notice.
import { recordHostedStep } from '../../audit/hosted.js';
import { secretHashOf } from '../../auth/secret-hash.js';
import type { AuthorizeRequest } from '../authorize.js';
import { csrfToken, redirect, type Hosted } from '../http.js';
import { checkedAsApi, messageFor, pageUrl, withAuthorize, withForm } from './flow.js';
import type { MessageId } from './messages.js';
import { forgotPage, resetPage } from './pages.js';
import { showPage } from './render.js';
import { forgotPassword, resetWithCode } from '../../userpools/password-reset.js';

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
    const client = request.client;
    try {
      // The API's ForgotPassword itself: who may reset, the recovery setting, UserMigration, and
      // the look-alike answer for an unknown name when the client hides user existence.
      const sent = await forgotPassword(
        h.app.users,
        checkedAsApi('ForgotPasswordRequest', { ClientId: client.id, Username: username, SecretHash: client.secret ? secretHashOf(client.secret, username, client.id) : undefined }),
        () => h.app.auth.standInKey(),
      );
      const user = await h.app.users.find(request.pool, username);
      await recordHostedStep(h.app, h.req, { pool: request.pool, clientId: client.id, typed: username, userId: user?.id, type: 'ForgotPassword', op: 'HostedForgotPassword' });
      return renderReset(h, request, { username, destination: sent.Destination });
    } catch (e) {
      const m = messageFor(e);
      if (!m) throw e;
      const user = await h.app.users.find(request.pool, username).catch(() => undefined);
      await recordHostedStep(h.app, h.req, { pool: request.pool, clientId: client.id, typed: username, userId: user?.id, type: 'ForgotPassword', op: 'HostedForgotPassword', error: e });
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
    const client = request.client;
    try {
      // The API's ConfirmForgotPassword as a whole: the user's state, the policy and history, the
      // code, then every earlier sign-in revoked, lockout cleared, PostConfirmation.
      const input = checkedAsApi('ConfirmForgotPasswordRequest', {
        ClientId: client.id,
        Username: username,
        ConfirmationCode: code,
        Password: password,
        SecretHash: client.secret ? secretHashOf(client.secret, username, client.id) : undefined,
      });
      await resetWithCode(h.app, input, h.req.ip);
    } catch (e) {
      const m = messageFor(e);
      if (!m) throw e;
      await recordHostedStep(h.app, h.req, { pool, clientId: client.id, typed: username, type: 'ForgotPassword', op: 'HostedConfirmForgotPassword', error: e });
      return renderReset(h, request, { username, error: m });
    }
    await recordHostedStep(h.app, h.req, { pool, clientId: client.id, typed: username, type: 'ForgotPassword', op: 'HostedConfirmForgotPassword' });
    return redirect(h, pageUrl(h, 'login', { notice: 'reset' }));
  });
}
