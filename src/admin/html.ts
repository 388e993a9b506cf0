// HTML for the console: escaping, the page frame (landmarks, a skip link, visible focus), and
// small builders for labelled forms and tables. No scripts: the CSP forbids them.
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b}header,main{padding:1rem 2rem}
header{background:#1f3a5f;color:#fff;display:flex;gap:2rem;align-items:center}header a{color:#fff}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
form.inline{display:inline}fieldset{margin:1rem 0;max-width:40rem}label{display:block;margin:.4rem 0 .1rem}
.error{background:#fde2e1;border:1px solid #b00020;padding:.5rem 1rem}button{margin-top:.5rem}`;

export interface Frame {
  title: string;
  body: string;
  csrf?: string;
  error?: string;
}

export function page(f: Frame): string {
  const signOut = f.csrf
    ? `<form class="inline" method="post" action="/admin/logout">${csrfField(f.csrf)}<button type="submit">Sign out</button></form>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(f.title)} · Tessera admin</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head><body>
<a class="skip" href="#main">Skip to content</a>
<header><strong>Tessera admin</strong><nav aria-label="Main"><a href="/admin">User pools</a></nav>${signOut}</header>
<main id="main"><h1>${esc(f.title)}</h1>${f.error ? `<p class="error" role="alert">${esc(f.error)}</p>` : ''}${f.body}</main></body></html>`;
}

export const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${esc(csrf)}">`;

export function input(name: string, label: string, opts: { type?: string; required?: boolean; value?: string } = {}): string {
  const id = `f-${name}`;
  return `<label for="${id}">${esc(label)}</label><input id="${id}" name="${esc(name)}" type="${opts.type ?? 'text'}"${
    opts.required ? ' required' : ''
  }${opts.value ? ` value="${esc(opts.value)}"` : ''}>`;
}

export function form(action: string, legend: string, csrf: string | undefined, fields: string, button: string): string {
  return `<form method="post" action="${esc(action)}"><fieldset><legend>${esc(legend)}</legend>${csrf ? csrfField(csrf) : ''}${fields}
<button type="submit">${esc(button)}</button></fieldset></form>`;
}

export function table(caption: string, head: string[], rows: string[][]): string {
  if (!rows.length) return `<p>No ${esc(caption.toLowerCase())}.</p>`;
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}
