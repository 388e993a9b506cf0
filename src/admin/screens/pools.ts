// User pools (list, create, delete) and a pool's overview: its settings at a glance, its MFA
// (SetUserPoolMfaConfig) and its app clients (list, create with or without the hosted UI, edit
// the OAuth settings, delete).
import { model as idpModel } from '../../models/idp.js';
import { action, checkbox, esc, form, input, poolUrl, select, table, textarea, when } from '../html.js';
import { listOf, type AdminRouter, type Ctx } from '../kit.js';

const enc = encodeURIComponent;
const clientUrl = (pool: string, client: string) => `${poolUrl(pool)}/clients/${enc(client)}`;

/** The request members of `shape` taken from a described object, then `changes` on top (for the full-replacement Update* operations). */
export function carryOver(shape: string, current: Record<string, any>, changes: Record<string, unknown>): Record<string, unknown> {
  const members = Object.keys(idpModel.shapes[shape]?.members ?? {});
  const out: Record<string, unknown> = {};
  for (const m of members) if (current[m] !== undefined) out[m] = current[m];
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete out[k]; else out[k] = v;
  return out;
}

/** DescribeUserPool, for the page title and the screens' navigation. */
export async function poolOf(ctx: Ctx, poolId: string) {
  return (await ctx.call('DescribeUserPool', { UserPoolId: poolId })).UserPool as Record<string, any>;
}

export function registerPoolsScreen(r: AdminRouter): void {
  r.get('/admin', async (ctx) => {
    const res = await ctx.call('ListUserPools', { MaxResults: 60, ...(ctx.req.query.page ? { NextToken: ctx.req.query.page } : {}) });
    const rows = (res.UserPools ?? []).map((p: any) => [`<a href="${poolUrl(p.Id)}">${esc(p.Name)}</a>`, `<code>${esc(p.Id)}</code>`, when(p.CreationDate)]);
    const next = res.NextToken ? `<p><a href="/admin?page=${encodeURIComponent(res.NextToken)}">Next page of pools</a></p>` : '';
    return ctx.show({
      title: 'User pools',
      body:
        table('User pools', ['Name', 'Id', 'Created'], rows) +
        next +
        form('/admin/pools', 'Create a user pool', ctx.s.csrf,
          input('name', 'Pool name', { required: true }) +
            checkbox('emailUsername', 'Users sign in with their e-mail address as username') +
            checkbox('adminOnly', 'Only administrators create users (no self sign-up)'),
          'Create pool'),
    });
  });

  r.post('/admin/pools', async (ctx) => {
    const f = ctx.form;
    const res = await ctx.call('CreateUserPool', {
      PoolName: f.get('name') ?? '',
      ...(f.get('emailUsername') ? { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] } : {}),
      ...(f.get('adminOnly') ? { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } } : {}),
    });
    return ctx.done(poolUrl(res.UserPool.Id), 'Pool created.');
  });

  r.get('/admin/pools/:pool', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const [pool, clients, mfa, logs] = await Promise.all([
      poolOf(ctx, poolId),
      ctx.call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 }),
      ctx.call('GetUserPoolMfaConfig', { UserPoolId: poolId }),
      ctx.call('GetLogDeliveryConfiguration', { UserPoolId: poolId }),
    ]);
    const logConfigs: any[] = logs.LogDeliveryConfiguration?.LogConfigurations ?? [];
    const auth = logConfigs.find((c) => c.EventSource === 'userAuthEvents');
    const notify = logConfigs.find((c) => c.EventSource === 'userNotification');
    const authArn = auth?.CloudWatchLogsConfiguration?.LogGroupArn ?? auth?.FirehoseConfiguration?.StreamArn ?? auth?.S3Configuration?.BucketArn ?? '';
    const clientRows = (clients.UserPoolClients ?? []).map((c: any) => [`<a href="${clientUrl(poolId, c.ClientId)}">${esc(c.ClientName)}</a>`, `<code>${esc(c.ClientId)}</code>`]);
    const facts: [string, string][] = [
      ['Id', `<code>${esc(poolId)}</code>`],
      ['ARN', `<code>${esc(pool.Arn)}</code>`],
      ['Estimated users', esc(pool.EstimatedNumberOfUsers ?? 0)],
      ['Sign-in with', esc(pool.UsernameAttributes?.join(', ') || 'username')],
      ['MFA', esc(pool.MfaConfiguration)],
      ['Self sign-up', pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly ? 'off' : 'on'],
      ['Domain', esc([pool.Domain, pool.CustomDomain].filter(Boolean).join(', ') || 'none')],
      ['Deletion protection', esc(pool.DeletionProtection)],
      ['Created', when(pool.CreationDate)],
    ];
    return ctx.show({
      title: `Pool ${pool.Name}`,
      pool: { id: poolId, name: pool.Name, screen: '' },
      body: `${table('Pool settings', ['Setting', 'Value'], facts.map(([k, v]) => [esc(k), v]))}
<h2>App clients</h2>${table('App clients', ['Name', 'Client id'], clientRows)}
${form(`${poolUrl(poolId)}/clients`, 'Create an app client', ctx.s.csrf,
  input('name', 'Client name', { required: true }) +
    input('callback', 'Callback URL for the hosted UI (optional)', { type: 'url', hint: 'With a callback URL the client gets the authorization code flow with the openid, email and profile scopes.' }) +
    checkbox('secret', 'Generate a client secret'),
  'Create client')}
<h2>Multi-factor authentication</h2>
${form(`${poolUrl(poolId)}/mfa`, 'MFA of the pool', ctx.s.csrf,
  select('mode', 'MFA', [['OFF', 'off'], ['OPTIONAL', 'optional (each user chooses)'], ['ON', 'required']], mfa.MfaConfiguration ?? 'OFF') +
    checkbox('totp', 'Authenticator apps (TOTP)', !!mfa.SoftwareTokenMfaConfiguration?.Enabled) +
    checkbox('sms', 'SMS codes', !!mfa.SmsMfaConfiguration) +
    checkbox('email', 'E-mail codes', !!mfa.EmailMfaConfiguration),
  'Save MFA')}
<h2>Log export</h2>
${form(`${poolUrl(poolId)}/logs`, 'Log export', ctx.s.csrf,
  input('auth', 'User activity to (ARN of a CloudWatch Logs group, a Firehose delivery stream or an S3 bucket; empty: none)', { value: authArn }) +
    input('notify', 'Failed e-mail and SMS deliveries to (ARN of a CloudWatch Logs group; empty: none)', { value: notify?.CloudWatchLogsConfiguration?.LogGroupArn ?? '' }),
  'Save log export')}
<h2>Delete</h2>${form(`${poolUrl(poolId)}/delete`, 'Delete this pool', ctx.s.csrf, input('confirm', `Type the pool's name to confirm`, { required: true }), 'Delete pool', { danger: true })}`,
    });
  });

  // SetUserPoolMfaConfig: the factors ticked replace the pool's (an unticked one is off); the
  // SMS and e-mail settings there are (message, sender) stay as they were.
  r.post('/admin/pools/:pool/mfa', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const f = ctx.form;
    const current = await ctx.call('GetUserPoolMfaConfig', { UserPoolId: poolId });
    const mode = ['OFF', 'OPTIONAL', 'ON'].includes(f.get('mode') ?? '') ? f.get('mode')! : 'OFF';
    await ctx.call('SetUserPoolMfaConfig', {
      UserPoolId: poolId,
      MfaConfiguration: mode,
      SoftwareTokenMfaConfiguration: { Enabled: !!f.get('totp') },
      ...(f.get('sms') ? { SmsMfaConfiguration: current.SmsMfaConfiguration ?? {} } : {}),
      ...(f.get('email') ? { EmailMfaConfiguration: current.EmailMfaConfiguration ?? {} } : {}),
    });
    return ctx.done(poolUrl(poolId), 'MFA saved.');
  });

  // SetLogDeliveryConfiguration from two ARNs: the user activity's destination kind is read off its ARN.
  r.post('/admin/pools/:pool/logs', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const auth = ctx.form.get('auth')?.trim() ?? '';
    const notify = ctx.form.get('notify')?.trim() ?? '';
    const destination = auth.startsWith('arn:aws:firehose:')
      ? { FirehoseConfiguration: { StreamArn: auth } }
      : auth.startsWith('arn:aws:s3:')
        ? { S3Configuration: { BucketArn: auth } }
        : { CloudWatchLogsConfiguration: { LogGroupArn: auth } };
    const LogConfigurations = [
      ...(auth ? [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', ...destination }] : []),
      ...(notify ? [{ EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: notify } }] : []),
    ];
    await ctx.call('SetLogDeliveryConfiguration', { UserPoolId: poolId, LogConfigurations });
    return ctx.done(poolUrl(poolId), 'Log export saved.');
  });

  r.post('/admin/pools/:pool/delete', async (ctx) => {
    const pool = await poolOf(ctx, ctx.req.params.pool);
    if (ctx.form.get('confirm') !== pool.Name) return ctx.done(poolUrl(pool.Id), 'Not deleted: the name typed did not match.');
    await ctx.call('DeleteUserPool', { UserPoolId: pool.Id });
    return ctx.done('/admin', `Pool ${pool.Name} deleted.`);
  });

  r.post('/admin/pools/:pool/clients', async (ctx) => {
    const f = ctx.form;
    const callback = f.get('callback')?.trim();
    const res = await ctx.call('CreateUserPoolClient', {
      UserPoolId: ctx.req.params.pool,
      ClientName: f.get('name') ?? '',
      GenerateSecret: !!f.get('secret'),
      ...(callback
        ? {
            CallbackURLs: [callback],
            AllowedOAuthFlows: ['code'],
            AllowedOAuthScopes: ['openid', 'email', 'profile'],
            AllowedOAuthFlowsUserPoolClient: true,
            SupportedIdentityProviders: ['COGNITO'],
          }
        : {}),
    });
    return ctx.done(clientUrl(ctx.req.params.pool, res.UserPoolClient.ClientId), 'Client created.');
  });

  r.get('/admin/pools/:pool/clients/:client', async (ctx) => {
    const { pool: poolId, client: clientId } = ctx.req.params;
    const [pool, described, idps] = await Promise.all([
      poolOf(ctx, poolId),
      ctx.call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId }),
      ctx.call('ListIdentityProviders', { UserPoolId: poolId, MaxResults: 60 }),
    ]);
    const c = described.UserPoolClient;
    const providers = ['COGNITO', ...(idps.Providers ?? []).map((p: any) => p.ProviderName)];
    const facts: [string, string][] = [
      ['Client id', `<code>${esc(c.ClientId)}</code>`],
      ['Client secret', c.ClientSecret ? 'yes (shown by DescribeUserPoolClient to the API only)' : 'none'],
      ['Auth flows', esc((c.ExplicitAuthFlows ?? []).join(', '))],
      ['OAuth flows', esc((c.AllowedOAuthFlows ?? []).join(', ') || 'none')],
      ['Created', when(c.CreationDate)],
    ];
    const u = clientUrl(poolId, clientId);
    return ctx.show({
      title: `App client ${c.ClientName}`,
      pool: { id: poolId, name: pool.Name, screen: '' },
      body: `<p><a href="${poolUrl(poolId)}">Back to the pool</a></p>${table('Client', ['Setting', 'Value'], facts.map(([k, v]) => [esc(k), v]))}
${form(`${u}/oauth`, 'Hosted UI and OAuth', ctx.s.csrf,
  textarea('callbacks', 'Callback URLs (one a line)', (c.CallbackURLs ?? []).join('\n'), { rows: 3 }) +
    textarea('logouts', 'Sign-out URLs (one a line)', (c.LogoutURLs ?? []).join('\n'), { rows: 2 }) +
    input('scopes', 'OAuth scopes (comma-separated)', { value: (c.AllowedOAuthScopes ?? []).join(', ') }) +
    `<fieldset><legend>Identity providers</legend>${providers.map((p, i) => checkbox('idp', p, (c.SupportedIdentityProviders ?? []).includes(p), { id: `f-idp-${i}`, value: p })).join('')}</fieldset>`,
  'Save OAuth settings')}
${action(`${u}/delete`, ctx.s.csrf, 'Delete client', { danger: true })}`,
    });
  });

  r.post('/admin/pools/:pool/clients/:client/oauth', async (ctx) => {
    const { pool: poolId, client: clientId } = ctx.req.params;
    const current = (await ctx.call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId })).UserPoolClient;
    const callbacks = listOf(ctx.form.get('callbacks'));
    const scopes = listOf(ctx.form.get('scopes'));
    const oauth = callbacks.length > 0;
    await ctx.call('UpdateUserPoolClient', carryOver('UpdateUserPoolClientRequest', current, {
      CallbackURLs: callbacks.length ? callbacks : undefined,
      LogoutURLs: listOf(ctx.form.get('logouts')).length ? listOf(ctx.form.get('logouts')) : undefined,
      AllowedOAuthScopes: scopes.length ? scopes : undefined,
      SupportedIdentityProviders: ctx.form.getAll('idp'),
      AllowedOAuthFlows: oauth ? (current.AllowedOAuthFlows?.length ? current.AllowedOAuthFlows : ['code']) : undefined,
      AllowedOAuthFlowsUserPoolClient: oauth,
      DefaultRedirectURI: current.DefaultRedirectURI && callbacks.includes(current.DefaultRedirectURI) ? current.DefaultRedirectURI : undefined,
    }));
    return ctx.done(clientUrl(poolId, clientId), 'Client saved.');
  });

  r.post('/admin/pools/:pool/clients/:client/delete', async (ctx) => {
    await ctx.call('DeleteUserPoolClient', { UserPoolId: ctx.req.params.pool, ClientId: ctx.req.params.client });
    return ctx.done(poolUrl(ctx.req.params.pool), 'Client deleted.');
  });
}
