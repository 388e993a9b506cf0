// Identity pools (cognito-identity): list, create (name, guest access, a user pool app client
// as provider), one pool's page: its providers, the other login providers (social providers with
// their app ids, OpenID Connect and SAML provider ARNs; UpdateIdentityPool), roles
// (GetIdentityPoolRoles / SetIdentityPoolRoles), guest access (UpdateIdentityPool), identities on
// the first page, delete. Role mappings per provider (SetIdentityPoolRoles RoleMappings): Token or
// Rules (one claim rule a line), with the AmbiguousRoleResolution; the mapping key is
// `<provider name>:<app client id>` for a user pool, the Logins key for the others (the social
// provider's domain, the OIDC issuer without its scheme, the SAML provider's ARN).
import { userPoolProviderName } from '../../identity/provider-names.js';
import { action, checkbox, esc, form, hidden, input, select, table, textarea } from '../html.js';
import { linesOf, pairsOf, type AdminRouter, type Ctx } from '../kit.js';
import { oidcNameOf } from '../../identity/external-logins.js';

const enc = encodeURIComponent;
const idUrl = (id: string) => `/admin/identity-pools/${enc(id)}`;

/** Every app client of every user pool, as `poolId|clientId` choices (first 60 pools). */
async function clientChoices(ctx: Ctx): Promise<[string, string][]> {
  const pools = (await ctx.call('ListUserPools', { MaxResults: 60 })).UserPools ?? [];
  const out: [string, string][] = [['', 'none']];
  for (const p of pools) {
    const clients = (await ctx.call('ListUserPoolClients', { UserPoolId: p.Id, MaxResults: 60 })).UserPoolClients ?? [];
    for (const c of clients) out.push([`${p.Id}|${c.ClientId}`, `${p.Name} / ${c.ClientName}`]);
  }
  return out;
}

const providerOf = (choice: string | null) => {
  const [poolId, clientId] = (choice ?? '').split('|');
  return poolId && clientId ? [{ ProviderName: userPoolProviderName(poolId), ClientId: clientId, ServerSideTokenCheck: false }] : [];
};

export function registerIdentityPoolsScreen(r: AdminRouter): void {
  r.get('/admin/identity-pools', async (ctx) => {
    const [list, choices] = await Promise.all([
      ctx.callIdentity('ListIdentityPools', { MaxResults: 60, ...(ctx.req.query.page ? { NextToken: ctx.req.query.page } : {}) }),
      clientChoices(ctx),
    ]);
    const next = list.NextToken ? `<p><a href="/admin/identity-pools?page=${enc(list.NextToken)}">Next page of identity pools</a></p>` : '';
    const rows = (list.IdentityPools ?? []).map((p: any) => [`<a href="${idUrl(p.IdentityPoolId)}">${esc(p.IdentityPoolName)}</a>`, `<code>${esc(p.IdentityPoolId)}</code>`]);
    return ctx.show({
      title: 'Identity pools',
      body: `${table('Identity pools', ['Name', 'Id'], rows)}${next}
${form('/admin/identity-pools', 'Create an identity pool', ctx.s.csrf,
  input('name', 'Identity pool name', { required: true, hint: 'Letters, digits, spaces and _ only.' }) +
    checkbox('guests', 'Allow unauthenticated (guest) identities') +
    select('client', 'User pool app client that signs users in', choices) +
    input('authRole', 'Role ARN for authenticated identities (optional)') +
    input('unauthRole', 'Role ARN for guests (optional)'),
  'Create identity pool')}`,
    });
  });

  r.post('/admin/identity-pools', async (ctx) => {
    const f = ctx.form;
    const res = await ctx.callIdentity('CreateIdentityPool', {
      IdentityPoolName: f.get('name') ?? '',
      AllowUnauthenticatedIdentities: !!f.get('guests'),
      CognitoIdentityProviders: providerOf(f.get('client')),
    });
    const roles = rolesOf(f);
    if (Object.keys(roles).length) await ctx.callIdentity('SetIdentityPoolRoles', { IdentityPoolId: res.IdentityPoolId, Roles: roles });
    return ctx.done(idUrl(res.IdentityPoolId), 'Identity pool created.');
  });

  r.get('/admin/identity-pools/:id', async (ctx) => {
    const id = ctx.req.params.id;
    const [p, roles, ids] = await Promise.all([
      ctx.callIdentity('DescribeIdentityPool', { IdentityPoolId: id }),
      ctx.callIdentity('GetIdentityPoolRoles', { IdentityPoolId: id }),
      ctx.callIdentity('ListIdentities', { IdentityPoolId: id, MaxResults: 60 }),
    ]);
    const providers = (p.CognitoIdentityProviders ?? []).map((c: any) => [`<code>${esc(c.ProviderName)}</code>`, `<code>${esc(c.ClientId)}</code>`]);
    const base = idUrl(id);
    const mappings = Object.entries((roles.RoleMappings ?? {}) as Record<string, any>).map(([key, m]) => [
      `<code>${esc(key)}</code>`,
      esc(m.Type),
      esc(m.AmbiguousRoleResolution ?? ''),
      (m.RulesConfiguration?.Rules ?? []).map((r: any) => `<code>${esc(`${r.Claim} ${r.MatchType} ${r.Value} -> ${r.RoleARN}`)}</code>`).join('<br>'),
      action(`${base}/mapping-delete`, ctx.s.csrf, 'Delete', { fields: hidden('key', key), danger: true, label: `Delete the role mapping of ${key}` }),
    ]);
    // An OIDC provider's client id is SupportedLoginProviders[<its name>] (Tessera has no IAM to
    // keep it): shown and edited with its ARN, not among the social providers.
    const supported = (p.SupportedLoginProviders ?? {}) as Record<string, string>;
    const oidc = ((p.OpenIdConnectProviderARNs ?? []) as string[]).map((arn) => ({ arn, name: oidcNameOf(arn) ?? arn, clientId: supported[oidcNameOf(arn) ?? ''] }));
    const social = Object.entries(supported).filter(([k]) => !oidc.some((o) => o.name === k));
    const saml: string[] = p.SamlProviderARNs ?? [];
    const others = [
      ...social.map(([k, appId]) => [`<code>${esc(k)}</code>`, 'social', `<code>${esc(appId)}</code>`]),
      ...oidc.map((o) => [`<code>${esc(o.name)}</code>`, 'OpenID Connect', `<code>${esc(o.arn)}</code>, client id ${o.clientId ? `<code>${esc(o.clientId)}</code>` : 'none: accepts no token'}`]),
      ...saml.map((arn) => [`<code>${esc(arn)}</code>`, 'SAML', `<code>${esc(arn)}</code>`]),
    ];
    const mappingKeys = [
      ...(p.CognitoIdentityProviders ?? []).map((c: any): [string, string] => [`${c.ProviderName}:${c.ClientId}`, `${c.ProviderName} / ${c.ClientId}`]),
      ...social.map(([k]): [string, string] => [k, k]),
      ...oidc.map((o): [string, string] => [o.name, `${o.name} (OpenID Connect)`]),
      ...saml.map((arn): [string, string] => [arn, `${arn} (SAML)`]),
    ].filter(([key], i, all) => all.findIndex(([k]) => k === key) === i);
    const mappingForm = mappingKeys.length
      ? form(`${base}/mapping`, 'Role mapping of a provider', ctx.s.csrf,
          select('key', 'Provider', mappingKeys) +
            select('type', 'Mapping type', [['Token', 'Token: the cognito:preferred_role claim of the ID token'], ['Rules', 'Rules: the first rule that matches a claim']]) +
            textarea('rules', 'Rules, one a line: claim, match type (Equals, Contains, StartsWith or NotEqual), value, role ARN', '', {
              rows: 4,
              hint: 'Rules type only, at most 25, checked in order. Example: custom:dept, Equals, sales, arn:aws:iam::123456789012:role/sales',
            }) +
            select('ambiguous', 'When no role is found', [['AuthenticatedRole', 'use the authenticated role'], ['Deny', 'deny credentials']]),
          'Save role mapping')
      : '<p>Add a provider to map its users to roles.</p>';
    return ctx.show({
      title: `Identity pool ${p.IdentityPoolName}`,
      body: `<p><a href="/admin/identity-pools">Back to the identity pools</a></p>
${table('Identity pool', ['Setting', 'Value'], [
  ['Id', `<code>${esc(id)}</code>`],
  ['Guest identities', p.AllowUnauthenticatedIdentities ? 'allowed' : 'not allowed'],
  ['Identities (first page)', esc((ids.Identities ?? []).length)],
  ['Developer provider', esc(p.DeveloperProviderName ?? 'none')],
])}
${table('User pool providers', ['Provider', 'App client'], providers)}
${table('Other login providers', ['Logins key', 'Kind', 'App id or ARN'], others)}
${form(`${base}/logins`, 'Other login providers', ctx.s.csrf,
  textarea('social', 'Social providers, one a line: domain = app id (accounts.google.com, graph.facebook.com, www.amazon.com, appleid.apple.com)', social.map(([k, v]) => `${k} = ${v}`).join('\n'), { rows: 3 }) +
    textarea('oidc', 'OpenID Connect providers, one a line: provider ARN = client id', oidc.map((o) => `${o.arn} = ${o.clientId ?? ''}`).join('\n'), {
      rows: 2,
      hint: 'arn:aws:iam::<account>:oidc-provider/<issuer without https://> = the client id its ID tokens are for',
    }) +
    textarea('saml', 'SAML provider ARNs, one a line', saml.join('\n'), { rows: 2, hint: 'arn:aws:iam::<account>:saml-provider/<name>' }),
  'Save login providers')}
${form(`${base}/roles`, 'Roles', ctx.s.csrf,
  input('authRole', 'Role ARN for authenticated identities', { value: roles.Roles?.authenticated ?? '' }) +
    input('unauthRole', 'Role ARN for guests', { value: roles.Roles?.unauthenticated ?? '' }),
  'Save roles')}
<h2>Role mappings</h2>
${table('Role mappings', ['Provider', 'Type', 'When no role is found', 'Rules', 'Action'], mappings)}
${mappingForm}
${form(`${base}/guests`, 'Guest access', ctx.s.csrf, checkbox('guests', 'Allow unauthenticated (guest) identities', !!p.AllowUnauthenticatedIdentities, { id: 'f-guests-edit' }), 'Save guest access')}
${action(`${base}/delete`, ctx.s.csrf, 'Delete identity pool', { danger: true })}`,
    });
  });

  r.post('/admin/identity-pools/:id/roles', async (ctx) => {
    const id = ctx.req.params.id;
    const current = await ctx.callIdentity('GetIdentityPoolRoles', { IdentityPoolId: id });
    await ctx.callIdentity('SetIdentityPoolRoles', { IdentityPoolId: id, Roles: rolesOf(ctx.form), ...(current.RoleMappings ? { RoleMappings: current.RoleMappings } : {}) });
    return ctx.done(idUrl(id), 'Roles saved.');
  });

  // SetIdentityPoolRoles replaces roles and mappings: the current ones go back with the change.
  r.post('/admin/identity-pools/:id/mapping', async (ctx) => {
    const id = ctx.req.params.id;
    const f = ctx.form;
    const key = f.get('key') ?? '';
    const type = f.get('type') === 'Rules' ? 'Rules' : 'Token';
    const rules = type === 'Rules' ? rulesOf(f.get('rules') ?? '') : [];
    const mapping = { Type: type, AmbiguousRoleResolution: f.get('ambiguous') ?? '', ...(type === 'Rules' ? { RulesConfiguration: { Rules: rules } } : {}) };
    const current = await ctx.callIdentity('GetIdentityPoolRoles', { IdentityPoolId: id });
    await ctx.callIdentity('SetIdentityPoolRoles', { IdentityPoolId: id, Roles: current.Roles ?? {}, RoleMappings: { ...(current.RoleMappings ?? {}), [key]: mapping } });
    return ctx.done(idUrl(id), 'Role mapping saved.');
  });

  r.post('/admin/identity-pools/:id/mapping-delete', async (ctx) => {
    const id = ctx.req.params.id;
    const current = await ctx.callIdentity('GetIdentityPoolRoles', { IdentityPoolId: id });
    const { [ctx.form.get('key') ?? '']: _gone, ...rest } = current.RoleMappings ?? {};
    await ctx.callIdentity('SetIdentityPoolRoles', { IdentityPoolId: id, Roles: current.Roles ?? {}, RoleMappings: rest });
    return ctx.done(idUrl(id), 'Role mapping deleted.');
  });

  // UpdateIdentityPool replaces the pool's settings: the described ones go back with the change.
  r.post('/admin/identity-pools/:id/guests', async (ctx) => {
    const id = ctx.req.params.id;
    const { IdentityPoolTags: _tags, ...current } = await ctx.callIdentity('DescribeIdentityPool', { IdentityPoolId: id });
    await ctx.callIdentity('UpdateIdentityPool', { ...current, AllowUnauthenticatedIdentities: !!ctx.form.get('guests') });
    return ctx.done(idUrl(id), 'Guest access saved.');
  });

  r.post('/admin/identity-pools/:id/logins', async (ctx) => {
    const id = ctx.req.params.id;
    const f = ctx.form;
    // `ARN = client id`: an ARN holds ':' but never '='.
    const oidc = linesOf(f.get('oidc')).map((l) => [l.split('=')[0]!.trim(), l.split('=').slice(1).join('=').trim()] as const);
    const clientIds = oidc.flatMap(([arn, clientId]) => (clientId ? [[oidcNameOf(arn) ?? arn, clientId] as const] : []));
    const { IdentityPoolTags: _tags, ...current } = await ctx.callIdentity('DescribeIdentityPool', { IdentityPoolId: id });
    await ctx.callIdentity('UpdateIdentityPool', {
      ...current,
      SupportedLoginProviders: Object.fromEntries([...pairsOf(f.get('social') ?? ''), ...clientIds]),
      OpenIdConnectProviderARNs: oidc.map(([arn]) => arn),
      SamlProviderARNs: linesOf(f.get('saml')),
    });
    return ctx.done(idUrl(id), 'Login providers saved.');
  });

  r.post('/admin/identity-pools/:id/delete', async (ctx) => {
    await ctx.callIdentity('DeleteIdentityPool', { IdentityPoolId: ctx.req.params.id });
    return ctx.done('/admin/identity-pools', 'Identity pool deleted.');
  });
}

/**
 * Rule lines `claim, match type, value, role ARN` as MappingRules. A line that is not four
 * fields goes through as it is (empty fields), so SetIdentityPoolRoles refuses it with its own error.
 */
function rulesOf(text: string): { Claim: string; MatchType: string; Value: string; RoleARN: string }[] {
  return linesOf(text).map((l) => {
      const [Claim = '', MatchType = '', Value = '', ...arn] = l.split(',').map((v) => v.trim());
      return { Claim, MatchType, Value, RoleARN: arn.join(',') };
    });
}

function rolesOf(f: URLSearchParams): Record<string, string> {
  const auth = f.get('authRole')?.trim();
  const unauth = f.get('unauthRole')?.trim();
  return { ...(auth ? { authenticated: auth } : {}), ...(unauth ? { unauthenticated: unauth } : {}) };
}
