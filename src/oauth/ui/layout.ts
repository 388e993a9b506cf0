// The shell every hosted page shares: language, title, the banner with the logo, one <main>
// landmark, and the styles: Tessera's own, then the managed-login branding, then the pool's or
// client's classic CSS (already parsed and re-serialized), in that order so later ones win.
//
// The Content-Security-Policy allows exactly that inline stylesheet (by its hash), images from
// this origin and the public URL (logos, branding assets), forms posting to this origin and to
// the one redirect target the page may end in, no scripts, no frames.
import { createHash } from 'node:crypto';
import { t, type Lang, type MessageId } from './messages.js';

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function esc(s: string | number | undefined | null): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface PageOptions {
  lang: Lang;
  title: MessageId;
  /** Inner HTML of <main>, already escaped. */
  body: string;
  /** Application name shown in the logo's alt text. */
  appName: string;
  logoUrl?: string;
  brandingCss?: string;
  customCss?: string;
  /** Origins (or schemes) a form on this page may end in after redirects, besides 'self'. */
  formTargets?: string[];
  /** Origins images may come from, besides 'self'. */
  imageOrigins?: string[];
}

const BASE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 16px; }
body { margin: 0; color: #1b1f24; background: #eef1f5; }
.background-customizable { min-height: 100vh; padding: 2rem 1rem; background-color: #eef1f5; }
.card { max-width: 26rem; margin: 0 auto; background: #ffffff; border: 1px solid #c9d1da; border-radius: 8px; padding: 1.5rem 1.75rem 1.75rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.banner-customizable { text-align: center; padding: .25rem 0 1rem; }
.logo-customizable { max-width: 100%; max-height: 96px; }
h1 { font-size: 1.35rem; margin: 0 0 .5rem; }
.textDescription-customizable { color: #3d4651; margin: 0 0 1rem; line-height: 1.4; }
.field { margin: 0 0 1rem; }
.label-customizable { display: block; font-weight: 600; margin: 0 0 .35rem; color: #1b1f24; }
.inputField-customizable { display: block; width: 100%; padding: .6rem .7rem; font-size: 1rem; color: #1b1f24; background: #ffffff; border: 1px solid #6b7785; border-radius: 4px; }
.inputField-customizable:focus { outline: 3px solid #1f6feb; outline-offset: 1px; border-color: #1f6feb; }
.submitButton-customizable { display: block; width: 100%; padding: .7rem 1rem; font-size: 1rem; font-weight: 600; color: #ffffff; background-color: #1f5c99; border: 0; border-radius: 4px; cursor: pointer; }
.submitButton-customizable:hover { background-color: #174a7c; }
.submitButton-customizable:focus-visible, a:focus-visible { outline: 3px solid #1f6feb; outline-offset: 2px; }
.idpButton-customizable { display: block; width: 100%; padding: .6rem 1rem; margin: 0 0 .75rem; font-size: 1rem; color: #1b1f24; background-color: #ffffff; border: 1px solid #6b7785; border-radius: 4px; text-align: center; text-decoration: none; }
.idpButton-customizable:hover { background-color: #eef1f5; }
.errorMessage-customizable { color: #8a1c1c; background: #fdecec; border: 1px solid #d9a3a3; border-radius: 4px; padding: .6rem .75rem; margin: 0 0 1rem; }
.notice { color: #1b4d2e; background: #e8f5ec; border: 1px solid #9cc9aa; border-radius: 4px; padding: .6rem .75rem; margin: 0 0 1rem; }
.links { margin: 1rem 0 0; padding: 0; list-style: none; }
.links li { margin: .4rem 0; }
a { color: #1f5c99; }
.legalText-customizable { color: #3d4651; font-size: .85rem; margin-top: 1rem; }
.hint { color: #3d4651; font-size: .85rem; margin: .3rem 0 0; }
.qr { display: block; width: 12rem; height: 12rem; margin: 0 auto 1rem; }
.secret { display: block; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 1rem; letter-spacing: .08em; word-break: break-all; background: #eef1f5; border-radius: 4px; padding: .5rem .7rem; margin: 0 0 1rem; }
.choices { border: 0; margin: 0 0 1rem; padding: 0; }
.choice { display: flex; align-items: center; gap: .6rem; padding: .55rem .7rem; margin: 0 0 .5rem; border: 1px solid #6b7785; border-radius: 4px; }
`.trim();

/** The page and the CSP header that goes with it. */
export function renderPage(o: PageOptions): { html: string; csp: string } {
  const css = [BASE_CSS, o.brandingCss ?? '', o.customCss ?? ''].filter(Boolean).join('\n');
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  const title = t(o.lang, o.title);
  const logo = o.logoUrl
    ? `<div class="banner-customizable"><img class="logo-customizable" src="${esc(o.logoUrl)}" alt="${esc(t(o.lang, 'a11y.logo', { name: o.appName }))}"></div>`
    : '';
  const html = `<!DOCTYPE html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)} – ${esc(o.appName)}</title>
<style>${css}</style>
</head>
<body>
<div class="background-customizable">
<div class="card">
${logo}
<main>
${o.body}
</main>
</div>
</div>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    `img-src 'self' data: ${(o.imageOrigins ?? []).join(' ')}`.trim(),
    `form-action 'self' ${(o.formTargets ?? []).join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return { html, csp };
}

/** What a redirect target contributes to form-action: its origin, or its scheme for app schemes. */
export function formTargetOf(uri: string | undefined): string[] {
  if (!uri) return [];
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' || u.protocol === 'https:' ? [u.origin] : [u.protocol];
  } catch {
    return [];
  }
}
