// Renders a hosted page for a request: the layout, the look that applies to the app client
// (managed-login branding on a version-2 domain when the client has one, else the classic UI
// customization of the client or the pool), and the security headers.
import type { AppClient } from '../../userpools/pools.js';
import { sendHtml, type Hosted } from '../http.js';
import { brandingLook } from './branding-css.js';
import { formTargetOf, renderPage } from './layout.js';
import type { MessageId } from './messages.js';
import { errorPage } from './pages.js';

export interface ShowOptions {
  title: MessageId;
  body: string;
  client?: AppClient;
  status?: number;
  /** The redirect URI a form on this page may end in. */
  formTarget?: string;
}

export async function showPage(h: Hosted, o: ShowOptions) {
  const { app, domain } = h;
  const publicOrigin = new URL(app.config.publicUrl).origin;
  let logoUrl: string | undefined;
  let brandingCss: string | undefined;
  let customCss: string | undefined;
  const clientId = o.client?.id ?? 'ALL';
  const branding = domain.managedLoginVersion === 2 && o.client ? await app.oauth.branding.ofClient(domain.poolId, o.client.id) : undefined;
  if (branding) {
    const assetUrl = (category: string) => `${app.config.publicUrl}/_ui/${domain.poolId}/${clientId}/${category.toLowerCase()}?v=${branding.id}`;
    const look = brandingLook(branding, assetUrl);
    brandingCss = look.css;
    if (look.logoCategory) logoUrl = assetUrl(look.logoCategory);
  } else {
    const custom = await app.oauth.ui.forPage(domain.poolId, clientId);
    customCss = custom.css;
    logoUrl = custom.logoUrl;
  }
  const { html, csp } = renderPage({
    lang: h.lang,
    title: o.title,
    body: o.body,
    appName: o.client?.name ?? 'Tessera',
    logoUrl,
    brandingCss,
    customCss,
    formTargets: formTargetOf(o.formTarget),
    imageOrigins: [publicOrigin],
  });
  return sendHtml(h, html, csp, o.status ?? 200);
}

/** The error page: no redirect anywhere, a readable message, 400 unless told otherwise. */
export function showError(h: Hosted, id: MessageId, opts: { client?: AppClient; status?: number; detail?: string } = {}) {
  h.req.errorName = id;
  return showPage(h, { title: 'page.error.title', body: errorPage(h.lang, id, opts.detail), client: opts.client, status: opts.status ?? 400 });
}
