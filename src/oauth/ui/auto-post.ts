// A page whose form the browser posts at once: the HTTP-POST bindings (SAML's AuthnRequest to an
// IdP, a provider's form_post answer handed back to Tessera with the browser's cookies). One
// script, allowed by its hash and nothing else; without scripts, a button does the same.
import { createHash } from 'node:crypto';
import { sendHtml, type Hosted } from '../http.js';
import { esc, formTargetOf } from './layout.js';
import { t } from './messages.js';

const SCRIPT = 'document.forms[0].submit()';
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

/**
 * `limitTargets` (default): the CSP's form-action allows the action's origin only (and so also
 * limits where the answer to the post may redirect).
 */
export function autoPostPage(h: Hosted, action: string, fields: Iterable<[string, string]>, o: { limitTargets?: boolean } = {}) {
  const inputs = [...fields].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  const html =
    `<!DOCTYPE html><html lang="${h.lang}"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${esc(t(h.lang, 'action.continue'))}</title></head>` +
    `<body><form method="post" action="${esc(action)}">${inputs}<button type="submit">${esc(t(h.lang, 'action.continue'))}</button></form>` +
    `<script>${SCRIPT}</script></body></html>`;
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${SCRIPT_HASH}'`,
    ...(o.limitTargets === false ? [] : [`form-action ${formTargetOf(action).join(' ')}`]),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return sendHtml(h, html, csp);
}
