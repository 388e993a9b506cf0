// Domain and branding: the pool's prefix domain (create, switch between the classic hosted UI
// and managed login, delete), a custom domain (a host name with its certificate ARN: create,
// delete; served beside the prefix domain, see src/oauth/domains.ts), the classic UI customization (SetUICustomization: CSS and logo,
// pool-wide or per client), managed-login branding per client (colours and logo), and a live
// preview: an iframe of the real hosted sign-in page, fetched in-process from the hosted UI's own
// route and served from /admin with frame-ancestors 'self' and a CSP sandbox (inert: no forms).
import { CognitoException } from '../../errors.js';
import { action, esc, form, input, poolUrl, select, table, textarea } from '../html.js';
import type { AdminRouter, Ctx } from '../kit.js';
import { poolOf } from './pools.js';

const enc = encodeURIComponent;

interface ClientInfo {
  id: string;
  name: string;
}

async function clientsOf(ctx: Ctx, poolId: string): Promise<ClientInfo[]> {
  const res = await ctx.call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 });
  return (res.UserPoolClients ?? []).map((c: any) => ({ id: c.ClientId, name: c.ClientName }));
}

const imageExtension = (type: string, name: string) => (/png$/i.test(type) || /\.png$/i.test(name) ? 'PNG' : /jpe?g$/i.test(type) || /\.jpe?g$/i.test(name) ? 'JPEG' : /svg/i.test(type) ? 'SVG' : 'PNG');
/** RRGGBB or RRGGBBAA (with or without #) as Cognito's RRGGBBAA. */
const hexOf = (v: string | null) => {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{8})$/i.exec((v ?? '').trim());
  return m ? (m[1]!.length === 6 ? `${m[1]}ff` : m[1]!).toLowerCase() : undefined;
};

export function registerBrandingScreen(r: AdminRouter): void {
  r.get('/admin/pools/:pool/branding', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const [pool, clients] = await Promise.all([poolOf(ctx, poolId), clientsOf(ctx, poolId)]);
    const base = `${poolUrl(poolId)}/branding`;
    const csrf = ctx.s.csrf;
    const chosen = clients.find((c) => c.id === ctx.req.query.client)?.id ?? clients[0]?.id;

    let domainPart: string;
    let version = 1;
    if (pool.Domain) {
      const d = (await ctx.call('DescribeUserPoolDomain', { Domain: pool.Domain })).DomainDescription ?? {};
      version = d.ManagedLoginVersion ?? 1;
      const hosted = `${ctx.app.config.publicUrl}/_domain/${enc(pool.Domain)}`;
      domainPart = `${table('Domain', ['Setting', 'Value'], [
        ['Prefix', `<code>${esc(pool.Domain)}</code>`],
        ['Status', esc(d.Status ?? '')],
        ['Hosted pages', `<code>${esc(hosted)}/login</code>`],
        ['Look', version === 2 ? 'managed login (branding per client)' : 'classic hosted UI (CSS and logo)'],
      ])}
<p>${action(`${base}/domain-version`, csrf, version === 2 ? 'Use the classic hosted UI' : 'Use managed login', { fields: `<input type="hidden" name="version" value="${version === 2 ? 1 : 2}">` })}
${action(`${base}/domain-delete`, csrf, 'Delete domain', { danger: true })}</p>`;
    } else {
      domainPart = `<p>This pool has no domain: the hosted sign-in pages need one.</p>
${form(`${base}/domain`, 'Create a domain', csrf,
  input('prefix', 'Domain prefix', { required: true, hint: 'Lower-case letters, digits and hyphens; the pages are served at /_domain/<prefix>/ and <prefix>.auth.<region>.localhost.' }) +
    select('version', 'Look of the hosted pages', [['1', 'classic hosted UI'], ['2', 'managed login']]),
  'Create domain')}`;
    }

    let customPart: string;
    if (pool.CustomDomain) {
      const d = (await ctx.call('DescribeUserPoolDomain', { Domain: pool.CustomDomain })).DomainDescription ?? {};
      customPart = `${table('Custom domain', ['Setting', 'Value'], [
        ['Host name', `<code>${esc(pool.CustomDomain)}</code>`],
        ['Status', esc(d.Status ?? '')],
        ['Certificate ARN', `<code>${esc(d.CustomDomainConfig?.CertificateArn ?? '')}</code>`],
        ['Point the host name (CNAME) at', `<code>${esc(d.CloudFrontDistribution ?? '')}</code>`],
      ])}
<p>${action(`${base}/custom-domain-delete`, csrf, 'Delete custom domain', { danger: true })}</p>`;
    } else {
      customPart = form(`${base}/custom-domain`, 'Create a custom domain', csrf,
        input('host', 'Custom domain host name', { required: true, hint: 'A dotted host name you own, e.g. auth.example.com; it sits beside the prefix domain.' }) +
          input('certificate', 'Certificate ARN', { required: true, hint: 'The ACM certificate for the host name, e.g. arn:aws:acm:us-east-1:123456789012:certificate/…' }) +
          select('customVersion', 'Look of the pages on the custom domain', [['1', 'classic hosted UI'], ['2', 'managed login']]),
        'Create custom domain');
    }

    // Classic customization of the chosen target (ALL or a client).
    const target = ctx.req.query.target && (ctx.req.query.target === 'ALL' || clients.some((c) => c.id === ctx.req.query.target)) ? ctx.req.query.target : 'ALL';
    const ui = (await ctx.call('GetUICustomization', { UserPoolId: poolId, ...(target === 'ALL' ? {} : { ClientId: target }) })).UICustomization ?? {};
    const targets: [string, string][] = [['ALL', 'every app client'], ...clients.map((c) => [c.id, c.name] as [string, string])];
    const classic = `<h2>Classic hosted UI: CSS and logo</h2>
<form method="get" action="${base}" aria-label="Customization target"><fieldset><legend>Show the customization of</legend>${select('target', 'App client', targets, target)}<button type="submit">Show</button></fieldset></form>
${ui.ImageUrl ? `<p>Current logo: <img src="${esc(ui.ImageUrl)}" alt="Logo of ${esc(targets.find(([v]) => v === target)?.[1] ?? '')}" style="max-height:48px;vertical-align:middle"></p>` : ''}
${form(`${base}/ui`, 'Customize the hosted UI', csrf,
  `<input type="hidden" name="target" value="${esc(target)}">` +
    textarea('css', 'CSS (the documented classes only, e.g. .submitButton-customizable { background-color: #2d6a4f; })', ui.CSS ?? '', { rows: 6 }) +
    input('logo', 'Logo (PNG or JPEG, at most 100 KB; empty keeps the current one)', { type: 'file', accept: 'image/png,image/jpeg' }),
  'Save customization', { multipart: true })}`;

    // Managed login branding of the chosen client.
    let managed = '';
    if (chosen) {
      let b: any;
      try {
        b = (await ctx.call('DescribeManagedLoginBrandingByClient', { UserPoolId: poolId, ClientId: chosen })).ManagedLoginBranding;
      } catch (e) {
        if (!(e instanceof CognitoException) || e.name !== 'ResourceNotFoundException') throw e;
      }
      const s = b?.Settings?.components ?? {};
      const cur = {
        page: s.pageBackground?.lightMode?.color ?? '',
        button: s.primaryButton?.lightMode?.defaults?.backgroundColor ?? '',
        text: s.primaryButton?.lightMode?.defaults?.textColor ?? '',
      };
      managed = `<h2>Managed login branding</h2>
${form(`${base}/managed`, `Branding of ${clients.find((c) => c.id === chosen)?.name ?? chosen}`, csrf,
  `<input type="hidden" name="client" value="${esc(chosen)}">` +
    input('page', 'Page background colour (RRGGBB or RRGGBBAA)', { value: cur.page }) +
    input('button', 'Button colour (RRGGBB or RRGGBBAA)', { value: cur.button }) +
    input('buttonText', 'Button text colour (RRGGBB or RRGGBBAA)', { value: cur.text }) +
    input('formLogo', 'Form logo (PNG, JPEG or SVG; empty keeps the current one)', { type: 'file', accept: 'image/png,image/jpeg,image/svg+xml' }),
  b ? 'Save branding' : 'Create branding', { multipart: true })}
${b ? action(`${base}/managed-delete`, csrf, 'Delete branding', { danger: true, fields: `<input type="hidden" name="id" value="${esc(b.ManagedLoginBrandingId)}"><input type="hidden" name="client" value="${esc(chosen)}">` }) : ''}
<p>Managed login branding shows when the domain uses managed login${version === 2 ? ' (it does)' : ' (it does not now)'}.</p>`;
    }

    const preview = chosen
      ? `<h2 id="h-preview">Preview</h2>
<form method="get" action="${base}" aria-label="Preview client"><fieldset><legend>Preview the sign-in page of</legend>${select('client', 'App client to preview', clients.map((c) => [c.id, c.name] as [string, string]), chosen, { id: 'f-preview-client' })}<button type="submit">Preview</button></fieldset></form>
<iframe class="preview" title="Preview of the hosted sign-in page" src="${poolUrl(poolId)}/preview?client=${enc(chosen)}"></iframe>`
      : '<p>Create an app client with a callback URL to preview its sign-in page.</p>';

    return ctx.show({
      title: `Domain & branding of ${pool.Name}`,
      pool: { id: poolId, name: pool.Name, screen: '/branding' },
      body: `<div class="cols"><div><h2>Domain</h2>${domainPart}<h2>Custom domain</h2>${customPart}${classic}${managed}</div><div>${preview}</div></div>`,
    });
  });

  r.post('/admin/pools/:pool/branding/domain', async (ctx) => {
    const poolId = ctx.req.params.pool;
    await ctx.call('CreateUserPoolDomain', { UserPoolId: poolId, Domain: (ctx.form.get('prefix') ?? '').trim(), ManagedLoginVersion: ctx.form.get('version') === '2' ? 2 : 1 });
    return ctx.done(`${poolUrl(poolId)}/branding`, 'Domain created.');
  });

  r.post('/admin/pools/:pool/branding/custom-domain', async (ctx) => {
    const poolId = ctx.req.params.pool;
    await ctx.call('CreateUserPoolDomain', {
      UserPoolId: poolId,
      Domain: (ctx.form.get('host') ?? '').trim(),
      CustomDomainConfig: { CertificateArn: (ctx.form.get('certificate') ?? '').trim() },
      ManagedLoginVersion: ctx.form.get('customVersion') === '2' ? 2 : 1,
    });
    return ctx.done(`${poolUrl(poolId)}/branding`, 'Custom domain created.');
  });

  r.post('/admin/pools/:pool/branding/custom-domain-delete', async (ctx) => {
    const pool = await poolOf(ctx, ctx.req.params.pool);
    await ctx.call('DeleteUserPoolDomain', { UserPoolId: pool.Id, Domain: pool.CustomDomain ?? '' });
    return ctx.done(`${poolUrl(pool.Id)}/branding`, 'Custom domain deleted.');
  });

  r.post('/admin/pools/:pool/branding/domain-version', async (ctx) => {
    const pool = await poolOf(ctx, ctx.req.params.pool);
    await ctx.call('UpdateUserPoolDomain', { UserPoolId: pool.Id, Domain: pool.Domain ?? '', ManagedLoginVersion: ctx.form.get('version') === '2' ? 2 : 1 });
    return ctx.done(`${poolUrl(pool.Id)}/branding`, 'Domain updated.');
  });

  r.post('/admin/pools/:pool/branding/domain-delete', async (ctx) => {
    const pool = await poolOf(ctx, ctx.req.params.pool);
    await ctx.call('DeleteUserPoolDomain', { UserPoolId: pool.Id, Domain: pool.Domain ?? '' });
    return ctx.done(`${poolUrl(pool.Id)}/branding`, 'Domain deleted.');
  });

  r.post('/admin/pools/:pool/branding/ui', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const target = ctx.form.get('target') || 'ALL';
    const logo = ctx.files.get('logo');
    let image = logo?.bytes.toString('base64');
    if (!image) {
      // Keep the logo there is: SetUICustomization replaces both CSS and image.
      const cur = (await ctx.call('GetUICustomization', { UserPoolId: poolId, ...(target === 'ALL' ? {} : { ClientId: target }) })).UICustomization;
      if (cur?.ImageUrl && (cur.ClientId ?? 'ALL') === target) {
        const row = await ctx.app.store.oauth.getUiCustomization(poolId, target);
        image = row?.image ?? undefined;
      }
    }
    const css = ctx.form.get('css') ?? '';
    await ctx.call('SetUICustomization', { UserPoolId: poolId, ClientId: target, ...(css.trim() ? { CSS: css } : {}), ...(image ? { ImageFile: image } : {}) });
    return ctx.done(`${poolUrl(poolId)}/branding?target=${enc(target)}`, 'Customization saved.');
  });

  r.post('/admin/pools/:pool/branding/managed', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const clientId = ctx.form.get('client') ?? '';
    const f = ctx.form;
    const colours = { page: hexOf(f.get('page')), button: hexOf(f.get('button')), text: hexOf(f.get('buttonText')) };
    const settings = {
      components: {
        ...(colours.page ? { pageBackground: { lightMode: { color: colours.page } } } : {}),
        ...(colours.button || colours.text
          ? { primaryButton: { lightMode: { defaults: { ...(colours.button ? { backgroundColor: colours.button } : {}), ...(colours.text ? { textColor: colours.text } : {}) } } } }
          : {}),
      },
    };
    const logo = ctx.files.get('formLogo');
    const assets = logo ? [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: imageExtension(logo.type, logo.name), Bytes: logo.bytes.toString('base64') }] : undefined;
    let existing: any;
    try {
      existing = (await ctx.call('DescribeManagedLoginBrandingByClient', { UserPoolId: poolId, ClientId: clientId })).ManagedLoginBranding;
    } catch (e) {
      if (!(e instanceof CognitoException) || e.name !== 'ResourceNotFoundException') throw e;
    }
    if (existing) {
      await ctx.call('UpdateManagedLoginBranding', { UserPoolId: poolId, ManagedLoginBrandingId: existing.ManagedLoginBrandingId, Settings: settings, ...(assets ? { Assets: assets } : {}) });
    } else {
      await ctx.call('CreateManagedLoginBranding', { UserPoolId: poolId, ClientId: clientId, Settings: settings, ...(assets ? { Assets: assets } : {}) });
    }
    return ctx.done(`${poolUrl(poolId)}/branding?client=${enc(clientId)}`, 'Branding saved.');
  });

  r.post('/admin/pools/:pool/branding/managed-delete', async (ctx) => {
    const poolId = ctx.req.params.pool;
    await ctx.call('DeleteManagedLoginBranding', { UserPoolId: poolId, ManagedLoginBrandingId: ctx.form.get('id') ?? '' });
    return ctx.done(`${poolUrl(poolId)}/branding?client=${enc(ctx.form.get('client') ?? '')}`, 'Branding deleted.');
  });

  // The preview: the hosted UI's own answer for /login of this client, made frameable by the
  // console only and inert (CSP sandbox without allow-forms), with no cookies passed on.
  r.get('/admin/pools/:pool/preview', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const pool = await poolOf(ctx, poolId);
    const note = (text: string) =>
      ctx.reply
        .code(200)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'")
        .header('cache-control', 'no-store')
        .send(`<!doctype html><html lang="en"><title>Preview</title><body style="font:15px system-ui;padding:1rem"><p>${esc(text)}</p></body></html>`);
    if (!pool.Domain) return note('No preview: the pool has no domain yet.');
    const client = (await ctx.call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: ctx.req.query.client ?? '' })).UserPoolClient;
    const redirect = client.CallbackURLs?.[0];
    if (!redirect || !(client.AllowedOAuthFlows ?? []).includes('code')) return note('No preview: the app client has no callback URL with the code flow.');
    const q = new URLSearchParams({ response_type: 'code', client_id: client.ClientId, redirect_uri: redirect, scope: (client.AllowedOAuthScopes ?? ['openid']).join(' ') });
    const res = await ctx.fastify.inject({ method: 'GET', url: `/_domain/${enc(pool.Domain)}/login?${q}`, headers: { 'accept-language': String(ctx.req.headers['accept-language'] ?? 'en') } });
    const csp = String(res.headers['content-security-policy'] ?? "default-src 'none'").replace("frame-ancestors 'none'", "frame-ancestors 'self'");
    return ctx.reply
      .code(res.statusCode)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', `${csp}; sandbox`)
      .header('x-frame-options', 'SAMEORIGIN')
      .header('cache-control', 'no-store')
      .send(res.body);
  });
}
