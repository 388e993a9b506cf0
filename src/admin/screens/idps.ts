// Identity providers: list, create an OIDC provider (issuer, client id and secret, scopes,
// attribute mapping) or a SAML or social one (its details as key=value lines), one provider's
// page (details without secrets, edit the mapping and OIDC scopes), delete.
import { action, esc, form, input, poolUrl, select, table, textarea } from '../html.js';
import { pairsOf, type AdminRouter } from '../kit.js';
import { poolOf } from './pools.js';

const enc = encodeURIComponent;
const idpUrl = (pool: string, name: string) => `${poolUrl(pool)}/idps/${enc(name)}`;
const SECRET_KEYS = new Set(['client_secret', 'private_key']);
const mappingOf = (text: string | null) => Object.fromEntries(pairsOf(text ?? '').filter(([k, v]) => k && v));
const mappingText = (m: Record<string, string> | undefined) => Object.entries(m ?? {}).map(([k, v]) => `${k}=${v}`).join('\n');

export function registerIdpsScreen(r: AdminRouter): void {
  r.get('/admin/pools/:pool/idps', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const [pool, list] = await Promise.all([poolOf(ctx, poolId), ctx.call('ListIdentityProviders', { UserPoolId: poolId, MaxResults: 60 })]);
    const rows = (list.Providers ?? []).map((p: any) => [`<a href="${idpUrl(poolId, p.ProviderName)}">${esc(p.ProviderName)}</a>`, esc(p.ProviderType)]);
    return ctx.show({
      title: `Identity providers of ${pool.Name}`,
      pool: { id: poolId, name: pool.Name, screen: '/idps' },
      body: `${table('Identity providers', ['Name', 'Type'], rows)}
${form(`${poolUrl(poolId)}/idps`, 'Add an OpenID Connect provider', ctx.s.csrf,
  input('name', 'Provider name', { required: true }) +
    input('issuer', 'Issuer URL', { type: 'url', required: true }) +
    input('clientId', 'Client id at the provider', { required: true }) +
    input('clientSecret', 'Client secret (optional)', { type: 'password' }) +
    input('scopes', 'Scopes (space-separated)', { value: 'openid email profile' }) +
    select('method', 'Attributes request method', ['GET', 'POST']) +
    textarea('mapping', 'Attribute mapping, one a line: pool attribute=provider claim', 'email=email\nusername=sub', { rows: 4 }),
  'Add provider')}
${form(`${poolUrl(poolId)}/idps/other`, 'Add a SAML or social provider', ctx.s.csrf,
  select('type', 'Provider type', ['SAML', 'Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']) +
    input('name', 'Name (SAML only; a social provider is named by its type)', { id: 'f-other-name' }) +
    textarea('details', 'Provider details, one a line: key=value', '', {
      id: 'f-other-details',
      rows: 4,
      hint: 'SAML: MetadataURL=https://… (or MetadataFile=…). Google, Facebook, Login with Amazon: client_id, client_secret, authorize_scopes. Sign in with Apple: client_id, team_id, key_id, private_key, authorize_scopes.',
    }) +
    textarea('mapping', 'Attribute mapping, one a line: pool attribute=provider attribute', 'email=email', { id: 'f-other-mapping', rows: 3 }),
  'Add this provider')}`,
    });
  });

  r.post('/admin/pools/:pool/idps', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const f = ctx.form;
    const name = (f.get('name') ?? '').trim();
    await ctx.call('CreateIdentityProvider', {
      UserPoolId: poolId,
      ProviderName: name,
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: f.get('clientId') ?? '',
        ...(f.get('clientSecret') ? { client_secret: f.get('clientSecret')! } : {}),
        oidc_issuer: f.get('issuer') ?? '',
        authorize_scopes: f.get('scopes') || 'openid',
        attributes_request_method: f.get('method') === 'POST' ? 'POST' : 'GET',
      },
      AttributeMapping: mappingOf(f.get('mapping')),
    });
    return ctx.done(idpUrl(poolId, name), 'Provider added.');
  });

  r.post('/admin/pools/:pool/idps/other', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const f = ctx.form;
    const type = f.get('type') ?? '';
    const name = type === 'SAML' ? (f.get('name') ?? '').trim() : type;
    // A private key or metadata document spans lines: a line without `=` continues the value before.
    const details: Record<string, string> = {};
    let last = '';
    for (const line of (f.get('details') ?? '').split(/\r?\n/)) {
      const m = /^\s*([A-Za-z_]+)\s*=(.*)$/.exec(line);
      if (m) details[(last = m[1]!)] = m[2]!.trim();
      else if (last && line.trim()) details[last] += `\n${line.trim()}`;
    }
    await ctx.call('CreateIdentityProvider', { UserPoolId: poolId, ProviderName: name, ProviderType: type, ProviderDetails: details, AttributeMapping: mappingOf(f.get('mapping')) });
    return ctx.done(idpUrl(poolId, name), 'Provider added.');
  });

  r.get('/admin/pools/:pool/idps/:name', async (ctx) => {
    const { pool: poolId, name } = ctx.req.params;
    const [pool, d] = await Promise.all([poolOf(ctx, poolId), ctx.call('DescribeIdentityProvider', { UserPoolId: poolId, ProviderName: name })]);
    const p = d.IdentityProvider;
    const details = Object.entries(p.ProviderDetails ?? {}).map(([k, v]) => [esc(k), SECRET_KEYS.has(k) ? '(set)' : esc(v)]);
    const base = idpUrl(poolId, p.ProviderName);
    return ctx.show({
      title: `Identity provider ${p.ProviderName}`,
      pool: { id: poolId, name: pool.Name, screen: '/idps' },
      body: `<p><a href="${poolUrl(poolId)}/idps">Back to the providers</a></p><p>Type ${esc(p.ProviderType)}.</p>
${table('Provider details', ['Key', 'Value'], details)}
${form(`${base}/edit`, 'Attribute mapping and scopes', ctx.s.csrf,
  textarea('mapping', 'Attribute mapping, one a line: pool attribute=provider claim', mappingText(p.AttributeMapping), { rows: 5 }) +
    (p.ProviderType === 'OIDC' ? input('scopes', 'Scopes (space-separated)', { value: p.ProviderDetails?.authorize_scopes ?? '' }) : ''),
  'Save provider')}
${action(`${base}/delete`, ctx.s.csrf, 'Delete provider', { danger: true })}`,
    });
  });

  r.post('/admin/pools/:pool/idps/:name/edit', async (ctx) => {
    const { pool: poolId, name } = ctx.req.params;
    const scopes = ctx.form.get('scopes');
    // ProviderDetails replaces the details: send the current ones (secrets left out are kept).
    const current = (await ctx.call('DescribeIdentityProvider', { UserPoolId: poolId, ProviderName: name })).IdentityProvider;
    const details = Object.fromEntries(Object.entries(current.ProviderDetails ?? {}).filter(([k]) => !SECRET_KEYS.has(k)));
    await ctx.call('UpdateIdentityProvider', {
      UserPoolId: poolId,
      ProviderName: name,
      AttributeMapping: mappingOf(ctx.form.get('mapping')),
      ...(scopes && current.ProviderType === 'OIDC' ? { ProviderDetails: { ...details, authorize_scopes: scopes } } : {}),
    });
    return ctx.done(idpUrl(poolId, name), 'Provider saved.');
  });

  r.post('/admin/pools/:pool/idps/:name/delete', async (ctx) => {
    const { pool: poolId, name } = ctx.req.params;
    await ctx.call('DeleteIdentityProvider', { UserPoolId: poolId, ProviderName: name });
    return ctx.done(`${poolUrl(poolId)}/idps`, 'Provider deleted.');
  });
}
