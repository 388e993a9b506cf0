// Binds a federated sign-in to the browser that started it, against login CSRF (RFC 9700 §4.7.1):
// without it, anyone could start a sign-in, sign in at the provider as themselves, and hand the
// provider's answer (a link to /oauth2/idpresponse) to a victim, whose browser would then be
// signed in to the app as the attacker.
//
// The start sets a cookie with a random value, one per sign-in (so that two tabs do not undo each
// other), and the sealed state carries its SHA-256; the answer is taken only from a browser that
// sends the cookie back, and the cookie is cleared once it has served.
//
// The cookie is SameSite=Lax like every hosted cookie: a top-level GET from the provider's site
// brings it, a cross-site POST (Apple's form_post, SAML's HTTP-POST binding) does not. A POST that
// comes without it is answered with a page that posts the same fields again from Tessera's own
// origin, marked as such: that second POST is same-site, so the cookie comes along. Only then is a
// missing cookie a refusal. IdP-initiated SAML has no start and so no binding; it is off unless a
// provider opts in (IDPInit).
import { createHash, randomBytes } from 'node:crypto';
import { safeEqual } from '../crypto/compare.js';
import { clearCookie, setCookie, type Hosted } from '../oauth/http.js';
import { autoPostPage } from '../oauth/ui/auto-post.js';
import { formTargetOf } from '../oauth/ui/layout.js';
import { showError } from '../oauth/ui/render.js';

const PREFIX = 'tessera-idp-';
/** The form field of the page's own re-post. */
export const REPOSTED = 'tessera_reposted';

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Sets this sign-in's cookie; returns what its state must carry (the cookie's name part and hash). */
export function bindToBrowser(h: Hosted, maxAgeMs: number): string {
  const id = randomBytes(6).toString('hex');
  const value = randomBytes(24).toString('base64url');
  setCookie(h, PREFIX + id, value, Math.ceil(maxAgeMs / 1000));
  return `${id}.${digest(value)}`;
}

export type BindingCheck = { ok: true } | { ok: false; answer: () => unknown };

/**
 * Whether this request comes from the browser that started the sign-in bound as `binding`. When
 * it does, the cookie is cleared. When it does not: a first POST without the cookie gets the
 * re-posting page (to `post.path` under the domain's base URL), anything else the error page.
 * `post.redirectUri` is where the answer to the re-post may redirect (the app's redirect URI):
 * a form's CSP form-action also governs the redirects that follow its submission.
 */
export function checkBrowser(h: Hosted, binding: string | undefined, post?: { path: string; form: URLSearchParams; redirectUri: string | null }): BindingCheck {
  const [id, want] = (binding ?? '').split('.');
  const cookie = id ? h.cookies[PREFIX + id] : undefined;
  if (id && want && cookie && safeEqual(digest(cookie), want)) {
    clearCookie(h, PREFIX + id);
    return { ok: true };
  }
  if (post && !cookie && !post.form.has(REPOSTED)) {
    const fields: [string, string][] = [...post.form, [REPOSTED, '1']];
    return { ok: false, answer: () => autoPostPage(h, `${h.baseUrl}${post.path}`, fields, formTargetOf(post.redirectUri ?? undefined)) };
  }
  return {
    ok: false,
    answer: () => showError(h, 'error.federationUnavailable', { detail: 'This sign-in was started in another browser (or its cookie is gone); please start again.' }),
  };
}
