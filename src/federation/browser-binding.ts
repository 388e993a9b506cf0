// Binds a federated sign-in to the browser that started it, against login CSRF (RFC 9700 §4.7.1):
// without it, anyone could start a sign-in, sign in at the provider as themselves, and hand the
// provider's answer (a link to /oauth2/idpresponse) to a victim, whose browser would then be
// signed in to the app as the attacker.
//
// The start sets a cookie with a random value, one per sign-in (so that two tabs do not undo each
// other; at most five at once), and the sealed state carries its SHA-256; the answer is taken only from a browser that
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
import { showError } from '../oauth/ui/render.js';

const NAME = 'tessera-idp-';
/** The form field of the page's own re-post. */
export const REPOSTED = 'tessera_reposted';
/** Sign-ins a browser may have under way at once; a start beyond that clears the others' cookies. */
const MAX_OPEN = 5;

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * The cookies' name prefix. Over TLS it carries a cookie prefix that a browser only accepts from a
 * secure origin (and, for __Host-, only for this host and path /), so that a plain-HTTP page or a
 * sibling subdomain cannot plant a binding cookie of the attacker's own sign-in.
 */
function prefixOf(h: Hosted): string {
  if (!h.secure) return NAME;
  return h.base === '' ? `__Host-${NAME}` : `__Secure-${NAME}`;
}

/**
 * Sets this sign-in's cookie; returns what its state must carry (the cookie's name part and hash).
 * Call it once nothing else can fail (or unbind on failure): a refused start leaves no cookie behind.
 */
export function bindToBrowser(h: Hosted, maxAgeMs: number): string {
  const prefix = prefixOf(h);
  const open = Object.keys(h.cookies).filter((name) => name.startsWith(prefix));
  if (open.length >= MAX_OPEN) for (const name of open) clearCookie(h, name);
  const id = randomBytes(6).toString('hex');
  const value = randomBytes(24).toString('base64url');
  setCookie(h, prefix + id, value, Math.ceil(maxAgeMs / 1000));
  return `${id}.${digest(value)}`;
}

/** Clears the cookie of a binding whose start was refused after all. */
export function unbind(h: Hosted, binding: string): void {
  const [id] = binding.split('.');
  if (id) clearCookie(h, prefixOf(h) + id);
}

export type BindingCheck = { ok: true } | { ok: false; why: 'repost' | 'other-browser'; answer: () => unknown };

/**
 * Whether this request comes from the browser that started the sign-in bound as `binding`. When
 * it does, the cookie is cleared. When it does not: a first POST without the cookie gets the
 * re-posting page (to `post.path` under the domain's base URL), anything else the error page.
 */
export function checkBrowser(h: Hosted, binding: string | undefined, post?: { path: string; form: URLSearchParams }): BindingCheck {
  const [id, want] = (binding ?? '').split('.');
  const name = prefixOf(h) + id;
  const cookie = id ? h.cookies[name] : undefined;
  if (id && want && cookie && safeEqual(digest(cookie), want)) {
    clearCookie(h, name);
    return { ok: true };
  }
  if (post && !cookie && !post.form.has(REPOSTED)) {
    const fields: [string, string][] = [...post.form, [REPOSTED, '1']];
    // No form-action limit on this page: the post goes to Tessera, whose answer redirects to the
    // app, whose callback may redirect on to wherever the app lives, and a form's form-action
    // governs every hop of that chain. The page holds nothing but the escaped fields and one
    // script allowed by its hash.
    return { ok: false, why: 'repost', answer: () => autoPostPage(h, `${h.baseUrl}${post.path}`, fields, { limitTargets: false }) };
  }
  return {
    ok: false,
    why: 'other-browser',
    answer: () => showError(h, 'error.federationUnavailable', { detail: 'This sign-in was started in another browser (or its cookie is gone); please start again.' }),
  };
}
