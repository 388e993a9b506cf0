// The bodies of the hosted pages: plain HTML forms that work without JavaScript (Enter submits,
// labels tied to inputs, the first field focused, errors announced with role="alert" and tied to
// the fields by aria-describedby). Everything dynamic passes through esc().
import { CSRF_FIELD } from '../http.js';
import { esc } from './layout.js';
import { t, type Lang, type MessageId } from './messages.js';

export interface FormPage {
  lang: Lang;
  /** Relative URL the form posts to (it carries the authorize parameters). */
  action: string;
  csrf: string;
  /** A message id, and an optional detail from the server in English. */
  error?: { id: MessageId; detail?: string };
  notice?: string;
}

export interface FieldSpec {
  label: MessageId;
  name: string;
  type?: string;
  autocomplete?: string;
  value?: string;
  autofocus?: boolean;
  required?: boolean;
  inputmode?: string;
}

export function field(p: FormPage, f: FieldSpec): string {
  const id = `f-${f.name}`;
  const described = p.error ? ' aria-describedby="form-error"' : '';
  const invalid = p.error ? ' aria-invalid="true"' : '';
  return `<div class="field">
<label class="label-customizable" for="${id}">${esc(t(p.lang, f.label))}</label>
<input class="inputField-customizable" id="${id}" name="${esc(f.name)}" type="${f.type ?? 'text'}"${f.autocomplete ? ` autocomplete="${f.autocomplete}"` : ''}${f.inputmode ? ` inputmode="${f.inputmode}"` : ''}${f.value !== undefined ? ` value="${esc(f.value)}"` : ''}${f.required === false ? '' : ' required aria-required="true"'}${f.autofocus ? ' autofocus' : ''}${described}${invalid} autocapitalize="none" spellcheck="false">
</div>`;
}

export function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
}

export function messages(p: FormPage): string {
  const parts: string[] = [];
  if (p.error) {
    const detail = p.error.detail ? ` <span class="detail">${esc(p.error.detail)}</span>` : '';
    parts.push(`<div id="form-error" class="errorMessage-customizable" role="alert">${esc(t(p.lang, p.error.id))}${detail}</div>`);
  }
  if (p.notice) parts.push(`<div class="notice" role="status">${esc(p.notice)}</div>`);
  return parts.join('\n');
}

export function form(p: FormPage, inner: string, submit: MessageId, extraHidden: Record<string, string> = {}): string {
  const hiddenFields = [hidden(CSRF_FIELD, p.csrf), ...Object.entries(extraHidden).map(([k, v]) => hidden(k, v))].join('\n');
  return `<form method="post" action="${esc(p.action)}" novalidate>
${hiddenFields}
${inner}
<button class="submitButton-customizable" type="submit">${esc(t(p.lang, submit))}</button>
</form>`;
}

export function links(lang: Lang, items: { href: string; id: MessageId }[]): string {
  if (!items.length) return '';
  return `<ul class="links">${items.map((l) => `<li><a href="${esc(l.href)}">${esc(t(lang, l.id))}</a></li>`).join('')}</ul>`;
}

export function heading(lang: Lang, title: MessageId, description?: MessageId, vars?: Record<string, string>): string {
  return `<h1>${esc(t(lang, title))}</h1>${description ? `\n<p class="textDescription-customizable">${esc(t(lang, description, vars))}</p>` : ''}`;
}

export function signInPage(p: FormPage & { username?: string; forgotHref: string; signUpHref?: string; idps: { name: string; href: string }[] }): string {
  const idps = p.idps.length
    ? p.idps.map((i) => `<a class="idpButton-customizable" href="${esc(i.href)}">${esc(t(p.lang, 'text.signInWith', { provider: i.name }))}</a>`).join('\n') +
      `\n<p class="textDescription-customizable">${esc(t(p.lang, 'text.or'))}</p>`
    : '';
  const fields =
    field(p, { label: 'field.usernameOrEmail', name: 'username', autocomplete: 'username', value: p.username, autofocus: !p.username }) +
    field(p, { label: 'field.password', name: 'password', type: 'password', autocomplete: 'current-password', autofocus: !!p.username });
  const more = [{ href: p.forgotHref, id: 'link.forgotPassword' as const }, ...(p.signUpHref ? [{ href: p.signUpHref, id: 'link.signUp' as const }] : [])];
  return `${heading(p.lang, 'page.signIn.title', 'page.signIn.heading')}
${messages(p)}
${idps}
${form(p, fields, 'action.signIn')}
${links(p.lang, more)}`;
}

export function signUpPage(
  p: FormPage & { username?: string; email?: string; askEmail: boolean; signInHref: string; terms?: { termsOfUse?: string; privacyPolicy?: string } },
): string {
  const fields =
    field(p, { label: 'field.username', name: 'username', autocomplete: 'username', value: p.username, autofocus: true }) +
    (p.askEmail ? field(p, { label: 'field.email', name: 'email', type: 'email', autocomplete: 'email', value: p.email }) : '') +
    field(p, { label: 'field.password', name: 'password', type: 'password', autocomplete: 'new-password' });
  // The app client's terms documents (CreateTerms), in the page's language.
  const docs = [
    p.terms?.termsOfUse ? { href: p.terms.termsOfUse, id: 'link.termsOfUse' as const } : undefined,
    p.terms?.privacyPolicy ? { href: p.terms.privacyPolicy, id: 'link.privacyPolicy' as const } : undefined,
  ].filter((d) => d !== undefined);
  const terms = docs.length
    ? `\n<p class="textDescription-customizable terms">${esc(t(p.lang, 'text.agreeToTerms'))} ${docs
        .map((d) => `<a href="${esc(d.href)}" target="_blank" rel="noopener noreferrer">${esc(t(p.lang, d.id))}</a>`)
        .join(' · ')}</p>`
    : '';
  return `${heading(p.lang, 'page.signUp.title', 'page.signUp.heading')}
${messages(p)}
${form(p, fields, 'action.signUp')}${terms}
${links(p.lang, [{ href: p.signInHref, id: 'link.signIn' }])}`;
}

export function confirmPage(p: FormPage & { username: string; destination?: string; signInHref: string; pending?: string }): string {
  const fields = field(p, { label: 'field.code', name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true });
  return `${heading(p.lang, 'page.confirm.title', p.destination ? 'text.codeSent' : 'page.confirm.heading', { destination: p.destination ?? '' })}
${messages(p)}
${form(p, fields, 'action.confirm', { username: p.username, ...(p.pending ? { pending: p.pending } : {}) })}
${links(p.lang, [{ href: p.signInHref, id: 'link.backToSignIn' }])}`;
}

export function forgotPage(p: FormPage & { username?: string; signInHref: string }): string {
  const fields = field(p, { label: 'field.usernameOrEmail', name: 'username', autocomplete: 'username', value: p.username, autofocus: true });
  return `${heading(p.lang, 'page.forgot.title', 'page.forgot.heading')}
${messages(p)}
${form(p, fields, 'action.sendCode')}
${links(p.lang, [{ href: p.signInHref, id: 'link.backToSignIn' }])}`;
}

export function resetPage(p: FormPage & { username: string; destination?: string; signInHref: string }): string {
  const fields =
    field(p, { label: 'field.code', name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true }) +
    field(p, { label: 'field.newPassword', name: 'password', type: 'password', autocomplete: 'new-password' }) +
    field(p, { label: 'field.confirmPassword', name: 'password2', type: 'password', autocomplete: 'new-password' });
  return `${heading(p.lang, 'page.reset.title', p.destination ? 'text.codeSent' : 'page.reset.heading', { destination: p.destination ?? '' })}
${messages(p)}
${form(p, fields, 'action.resetPassword', { username: p.username })}
${links(p.lang, [{ href: p.signInHref, id: 'link.backToSignIn' }])}`;
}

export function errorPage(lang: Lang, id: MessageId, detail?: string): string {
  return `${heading(lang, 'page.error.title')}
<div class="errorMessage-customizable" role="alert">${esc(t(lang, id))}${detail ? ` <span class="detail">${esc(detail)}</span>` : ''}</div>`;
}

/** After a sign-up in a pool that confirms by link: no code to enter, the e-mail's link does it. */
export function linkSentPage(lang: Lang, destination: string, signInHref: string): string {
  return `${heading(lang, 'page.confirm.title', 'text.linkSent', { destination })}
${links(lang, [{ href: signInHref, id: 'link.backToSignIn' }])}`;
}

/** What the confirmation link of a sign-up e-mail (GET /confirmUser) answers once the account is confirmed. */
export function confirmedPage(lang: Lang): string {
  return heading(lang, 'page.confirmed.title', 'page.confirmed.heading');
}

export function signedOutPage(lang: Lang, signInHref?: string): string {
  return `${heading(lang, 'page.signedOut.title', 'page.signedOut.heading')}
${signInHref ? links(lang, [{ href: signInHref, id: 'action.signInAgain' }]) : ''}`;
}
