// The hosted UI's new-password page (a user created with a temporary password), driven by the
// API's NEW_PASSWORD_REQUIRED challenge (src/auth/new-password.ts): the page is the challenge, its
// form is RespondToAuthChallenge. So it asks for what the challenge requires: the new password
// twice and every attribute the pool's schema requires that the user has no value for
// (`requiredAttributes`), and the state machine checks them (the password policy, the attribute
// values and the client's write rights, "Invalid attributes given, <name> is missing"), sets them
// and the password in one transaction, and goes on to MFA exactly as after any password: the
// next page is then one of mfa.ts's.
//
// Hidden fields: the challenge's sealed Session, the canonical username (SECRET_HASH is computed
// over it for a client with a secret), and the names of the required attributes (display only;
// the Session's user is what the state machine checks).
import { respondToAuthChallenge } from '../../auth/flows.js';
import { newPasswordChallenge } from '../../auth/new-password.js';
import { secretHashOf } from '../../auth/secret-hash.js';
import { TEMPORARY_PASSWORD_EXPIRED, USER_DISABLED } from '../../auth/user-status.js';
import { CognitoException } from '../../errors.js';
import type { User } from '../../userpools/user.js';
import type { AuthorizeRequest } from '../authorize.js';
import { csrfToken, type Hosted } from '../http.js';
import { flowContext, messageFor, pageUrl, withForm } from './flow.js';
import { esc } from './layout.js';
import { t, type Lang, type MessageId } from './messages.js';
import { field, form, heading, messages, type FormPage } from './pages.js';
import { showPage } from './render.js';
import { answerStep } from './mfa.js';
import { renderLogin } from './sign-in.js';

const PREFIX = 'userAttributes.';

interface Pending {
  session: string;
  username: string;
  required: string[];
}

/** The page of a proven temporary password: the NEW_PASSWORD_REQUIRED challenge begins. */
export function showNewPassword(h: Hosted, request: AuthorizeRequest, user: User) {
  const ctx = { ...flowContext(h, request), hosted: true };
  const step = newPasswordChallenge(ctx, user, { typed: user.username });
  if (step.kind !== 'challenge' || !step.session) throw new Error('NEW_PASSWORD_REQUIRED gave no challenge');
  const required = (JSON.parse(step.parameters.requiredAttributes ?? '[]') as string[]).map((n) => n.slice(PREFIX.length));
  return renderNewPassword(h, request, { session: step.session, username: step.parameters.USER_ID_FOR_SRP ?? user.username, required });
}

/** POST /newPassword: RespondToAuthChallenge NEW_PASSWORD_REQUIRED, then what follows it. */
export function submitNewPassword(h: Hosted) {
  return withForm(h, async (request, f) => {
    const session = f.get('session');
    const username = f.get('username');
    if (!session || !username) return renderLogin(h, request, { error: { id: 'error.sessionExpired' }, status: 400 });
    const pending: Pending = { session, username, required: (f.get('required') ?? '').split(',').filter(Boolean) };
    const values: Record<string, string> = {};
    for (const name of pending.required) values[name] = (f.get(`attr.${name}`) ?? '').trim();
    const password = f.get('password') ?? '';
    if (password !== (f.get('password2') ?? '')) return renderNewPassword(h, request, pending, values, { id: 'error.passwordsDiffer' });
    const { client } = request;
    const responses: Record<string, string> = { USERNAME: username, NEW_PASSWORD: password };
    if (client.secret) responses.SECRET_HASH = secretHashOf(client.secret, username, client.id);
    for (const [name, value] of Object.entries(values)) if (value) responses[PREFIX + name] = value;
    const ctx = { ...flowContext(h, request), hosted: true };
    try {
      return await answerStep(h, request, ctx, await respondToAuthChallenge(ctx, 'NEW_PASSWORD_REQUIRED', responses, session));
    } catch (e) {
      if (!(e instanceof CognitoException)) throw e;
      if (e.name === 'NotAuthorizedException') {
        // Disabled, or the temporary password expired, meanwhile: say so; anything else is the session.
        const why = e.message === USER_DISABLED || e.message === TEMPORARY_PASSWORD_EXPIRED ? messageFor(e)! : { id: 'error.sessionExpired' as const };
        return renderLogin(h, request, { error: why, status: 400 });
      }
      // The challenge stays answerable until it is answered right: the page again, values kept.
      return renderNewPassword(h, request, pending, values, messageFor(e));
    }
  });
}

const LABELLED = new Set(['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'email', 'phone_number', 'birthdate', 'address', 'gender', 'locale', 'website', 'zoneinfo']);

/** The label of an attribute: the catalogue's for the standard ones, else the attribute's name. */
function attributeLabel(lang: Lang, name: string): string {
  return LABELLED.has(name) ? t(lang, `attr.${name}` as MessageId) : name;
}

function renderNewPassword(h: Hosted, request: AuthorizeRequest, p: Pending, values: Record<string, string> = {}, error?: { id: MessageId; detail?: string }) {
  const page: FormPage = { lang: h.lang, action: pageUrl(h, 'newPassword'), csrf: csrfToken(h), error };
  const described = error ? ' aria-describedby="form-error"' : '';
  const attributes = p.required
    .map((name) => {
      const id = `f-attr-${name.replace(/[^\w-]/g, '_')}`;
      const type = name === 'email' ? 'email' : name === 'phone_number' ? 'tel' : 'text';
      const hint = name === 'phone_number' ? `<p class="hint">${esc(t(h.lang, 'hint.phone'))}</p>` : name === 'birthdate' ? `<p class="hint">${esc(t(h.lang, 'hint.birthdate'))}</p>` : '';
      return `<div class="field">
<label class="label-customizable" for="${id}">${esc(attributeLabel(h.lang, name))}</label>
<input class="inputField-customizable" id="${id}" name="attr.${esc(name)}" type="${type}" value="${esc(values[name] ?? '')}" required aria-required="true"${described}>
${hint}</div>`;
    })
    .join('\n');
  const fields =
    field(page, { label: 'field.newPassword', name: 'password', type: 'password', autocomplete: 'new-password', autofocus: true }) +
    field(page, { label: 'field.confirmPassword', name: 'password2', type: 'password', autocomplete: 'new-password' }) +
    attributes;
  const body = `${heading(h.lang, 'page.newPassword.title', p.required.length ? 'page.newPassword.headingAttributes' : 'page.newPassword.heading')}
${messages(page)}
${form(page, fields, 'action.changePassword', { session: p.session, username: p.username, required: p.required.join(',') })}`;
  return showPage(h, { title: 'page.newPassword.title', body, client: request.client, status: error ? 400 : 200, formTarget: request.redirectUri });
}
