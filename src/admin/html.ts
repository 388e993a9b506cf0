// HTML for the console: escaping, the page frame (landmarks, a skip link, visible focus, the
// pool's screen navigation), and small builders for labelled forms and tables. No scripts: the
// CSP forbids them. Frames only from this origin (the hosted-page preview).
export const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const enc = encodeURIComponent;
export const poolUrl = (id: string) => `/admin/pools/${enc(id)}`;

/**
 * The screens of one pool, in the order of its navigation. A screen module adds itself here
 * (`path` after /admin/pools/<id>, '' for the overview).
 */
export const poolScreens: { path: string; label: string }[] = [
  { path: '', label: 'Overview' },
  { path: '/users', label: 'Users' },
  { path: '/groups', label: 'Groups' },
  { path: '/branding', label: 'Domain & branding' },
  { path: '/idps', label: 'Identity providers' },
  { path: '/triggers', label: 'Triggers' },
  { path: '/events', label: 'Events' },
  { path: '/imports', label: 'Import & export' },
  { path: '/frozen-settings', label: 'Frozen settings' },
];

const STYLE = `*{box-sizing:border-box}body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;display:flex;gap:2rem;align-items:center;padding:.6rem 2rem}header a{color:#fff}
header nav a{margin-right:1rem}header form{margin-left:auto}header button{margin:0;border-color:#fff}main{padding:1rem 2rem 3rem;max-width:72rem}
nav.pool{background:#fff;border-bottom:1px solid #d5d9e0;padding:.3rem 2rem}nav.pool ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem}
nav.pool a{display:inline-block;padding:.35rem .2rem;color:#1f3a5f}nav.pool a[aria-current=page]{font-weight:600;border-bottom:3px solid #1f3a5f}
a{color:#1a4f8b}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus,iframe:focus{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem;z-index:9}
table{border-collapse:collapse;margin:.6rem 0 1rem;background:#fff}caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #ccd;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#eef1f5}
form.inline{display:inline}fieldset{margin:1rem 0;max-width:44rem;background:#fff;border:1px solid #ccd;border-radius:4px;padding:.6rem 1rem 1rem}
legend{font-weight:600;padding:0 .3rem}label{display:block;margin:.5rem 0 .1rem}
input[type=text],input[type=email],input[type=password],input[type=url],input[type=number],input[type=search],select,textarea{width:100%;max-width:36rem;padding:.3rem;border:1px solid #8a94a6;border-radius:3px;font:inherit}
textarea{min-height:6rem;font-family:ui-monospace,monospace}small{display:block;color:#4a5563;margin-top:.2rem;max-width:36rem}.check label{display:inline;margin-left:.3rem}
.error{background:#fde2e1;border:1px solid #b00020;padding:.5rem 1rem}.notice{background:#e3f4e8;border:1px solid #2d6a4f;padding:.5rem 1rem}
button{margin-top:.6rem;padding:.35rem .9rem;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;border-radius:3px;font:inherit;cursor:pointer}
button.danger{background:#fff;color:#b00020;border-color:#b00020}td button{margin:0}.meter{width:20rem}
.cols{display:flex;flex-wrap:wrap;gap:0 2rem}.cols>*{flex:1 1 26rem}iframe.preview{width:100%;max-width:34rem;height:36rem;border:1px solid #ccd;background:#fff}
code{background:#eef1f5;padding:0 .2rem}pre{background:#fff;border:1px solid #ccd;padding:.6rem;overflow:auto;max-width:60rem}`;

export interface Frame {
  title: string;
  body: string;
  csrf?: string;
  error?: string;
  notice?: string;
  /** The pool whose screens the page belongs to, and which screen it is. */
  pool?: { id: string; name?: string; screen: string };
}

export function page(f: Frame): string {
  const signOut = f.csrf
    ? `<form class="inline" method="post" action="/admin/logout">${csrfField(f.csrf)}<button type="submit">Sign out</button></form>`
    : '';
  const poolNav = f.pool
    ? `<nav class="pool" aria-label="Pool ${esc(f.pool.name ?? f.pool.id)}"><ul>${poolScreens
        .map((sc) => `<li><a href="${poolUrl(f.pool!.id)}${sc.path}"${sc.path === f.pool!.screen ? ' aria-current="page"' : ''}>${esc(sc.label)}</a></li>`)
        .join('')}</ul></nav>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(f.title)} · Tessera admin</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head><body>
<a class="skip" href="#main">Skip to content</a>
<header><strong>Tessera admin</strong><nav aria-label="Main"><a href="/admin">User pools</a><a href="/admin/identity-pools">Identity pools</a></nav>${signOut}</header>
${poolNav}<main id="main"><h1>${esc(f.title)}</h1>${f.error ? `<p class="error" role="alert">${esc(f.error)}</p>` : ''}${
    f.notice ? `<p class="notice" role="status">${esc(f.notice)}</p>` : ''
  }${f.body}</main></body></html>`;
}

export const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${esc(csrf)}">`;
export const hidden = (name: string, value: string) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;

export function input(
  name: string,
  label: string,
  opts: { type?: string; required?: boolean; value?: string; id?: string; hint?: string; placeholder?: string; accept?: string } = {},
): string {
  const id = opts.id ?? `f-${name}`;
  const hint = opts.hint ? `<small id="${id}-hint">${esc(opts.hint)}</small>` : '';
  return `<label for="${id}">${esc(label)}</label><input id="${id}" name="${esc(name)}" type="${opts.type ?? 'text'}"${opts.required ? ' required' : ''}${
    opts.value !== undefined && opts.value !== '' ? ` value="${esc(opts.value)}"` : ''
  }${opts.placeholder ? ` placeholder="${esc(opts.placeholder)}"` : ''}${opts.accept ? ` accept="${esc(opts.accept)}"` : ''}${opts.hint ? ` aria-describedby="${id}-hint"` : ''}>${hint}`;
}

export function textarea(name: string, label: string, value = '', opts: { id?: string; hint?: string; rows?: number } = {}): string {
  const id = opts.id ?? `f-${name}`;
  const hint = opts.hint ? `<small id="${id}-hint">${esc(opts.hint)}</small>` : '';
  return `<label for="${id}">${esc(label)}</label><textarea id="${id}" name="${esc(name)}" rows="${opts.rows ?? 5}"${
    opts.hint ? ` aria-describedby="${id}-hint"` : ''
  }>${esc(value)}</textarea>${hint}`;
}

export function select(name: string, label: string, options: (string | [string, string])[], selected = '', opts: { id?: string } = {}): string {
  const id = opts.id ?? `f-${name}`;
  const opt = options
    .map((o) => (Array.isArray(o) ? o : [o, o]))
    .map(([v, l]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(l)}</option>`)
    .join('');
  return `<label for="${id}">${esc(label)}</label><select id="${id}" name="${esc(name)}">${opt}</select>`;
}

export function checkbox(name: string, label: string, checked = false, opts: { id?: string; value?: string } = {}): string {
  const id = opts.id ?? `f-${name}`;
  return `<div class="check"><input id="${id}" name="${esc(name)}" type="checkbox" value="${esc(opts.value ?? 'on')}"${checked ? ' checked' : ''}><label for="${id}">${esc(label)}</label></div>`;
}

export function form(action: string, legend: string, csrf: string | undefined, fields: string, button: string, opts: { multipart?: boolean; danger?: boolean } = {}): string {
  return `<form method="post" action="${esc(action)}"${opts.multipart ? ' enctype="multipart/form-data"' : ''}><fieldset><legend>${esc(legend)}</legend>${
    csrf ? csrfField(csrf) : ''
  }${fields}
<button type="submit"${opts.danger ? ' class="danger"' : ''}>${esc(button)}</button></fieldset></form>`;
}

/** A one-button form (a row action): the button's text says what it does to what. */
export function action(url: string, csrf: string, button: string, opts: { fields?: string; danger?: boolean; label?: string } = {}): string {
  return `<form class="inline" method="post" action="${esc(url)}">${csrfField(csrf)}${opts.fields ?? ''}<button type="submit"${opts.danger ? ' class="danger"' : ''}${
    opts.label ? ` aria-label="${esc(opts.label)}"` : ''
  }>${esc(button)}</button></form>`;
}

export function table(caption: string, head: string[], rows: string[][]): string {
  if (!rows.length) return `<p>No ${esc(caption.toLowerCase())}.</p>`;
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export const when = (ms: unknown) => (typeof ms === 'number' || ms instanceof Date ? esc(new Date(ms instanceof Date ? ms : ms < 1e11 ? ms * 1000 : ms).toISOString().replace('.000Z', 'Z')) : '');
