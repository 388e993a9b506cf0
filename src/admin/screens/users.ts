// Users: search (ListUsers' Filter), create, and one user's page: attributes, enable/disable,
// reset or set the password, groups, MFA preference, remembered devices, sessions (when the pool
// tracks them: each revocable), sign-out everywhere, delete, and the user's recent events.
import { CognitoException, InvalidParameterException } from '../../errors.js';
import { FILTERABLE_ATTRIBUTES } from '../../userpools/user-filter.js';
import { action, checkbox, esc, form, hidden, input, poolUrl, select, table, when } from '../html.js';
import type { AdminRouter, Ctx } from '../kit.js';
import { eventRows, EVENT_HEAD } from './events.js';
import { poolOf } from './pools.js';

const enc = encodeURIComponent;
export const userUrl = (pool: string, user: string) => `${poolUrl(pool)}/users/${enc(user)}`;

const quote = (v: string) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const attr = (u: any, name: string) => (u.Attributes ?? u.UserAttributes ?? []).find((a: any) => a.Name === name)?.Value ?? '';

/** A section heading and its content, as a labelled region. */
const section = (id: string, title: string, body: string) => `<section aria-labelledby="${id}"><h2 id="${id}">${esc(title)}</h2>${body}</section>`;

export function registerUsersScreen(r: AdminRouter): void {
  r.get('/admin/pools/:pool/users', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const q = ctx.req.query;
    const by = (FILTERABLE_ATTRIBUTES as readonly string[]).includes(q.by ?? '') ? q.by! : 'username';
    const op = q.op === '=' ? '=' : '^=';
    const value = typeof q.q === 'string' ? q.q : '';
    const [pool, users] = await Promise.all([
      poolOf(ctx, poolId),
      ctx.call('ListUsers', {
        UserPoolId: poolId,
        Limit: 50,
        ...(value ? { Filter: `${by} ${op} ${quote(value)}` } : {}),
        ...(q.page ? { PaginationToken: q.page } : {}),
      }),
    ]);
    const rows = (users.Users ?? []).map((u: any) => [
      `<a href="${userUrl(poolId, u.Username)}">${esc(u.Username)}</a>`,
      esc(attr(u, 'email')),
      esc(u.UserStatus),
      u.Enabled ? 'enabled' : 'disabled',
      when(u.UserCreateDate),
    ]);
    const next = users.PaginationToken
      ? `<p><a href="?${new URLSearchParams({ by, op, q: value, page: users.PaginationToken })}">Next page of users</a></p>`
      : '';
    const search = `<form method="get" action="${poolUrl(poolId)}/users" role="search" aria-label="Users"><fieldset><legend>Search users</legend>
${select('by', 'Attribute', [...FILTERABLE_ATTRIBUTES], by)}${select('op', 'Match', [['^=', 'starts with'], ['=', 'is exactly']], op)}
${input('q', 'Value', { type: 'search', value })}<button type="submit">Search</button></fieldset></form>`;
    return ctx.show({
      title: `Users of ${pool.Name}`,
      pool: { id: poolId, name: pool.Name, screen: '/users' },
      body: `${search}${table('Users', ['Username', 'E-mail', 'Status', 'Enabled', 'Created'], rows)}${next}
${form(`${poolUrl(poolId)}/users`, 'Create a user', ctx.s.csrf,
  input('username', 'Username', { required: true }) +
    input('email', 'E-mail (optional)', { type: 'email' }) +
    input('temporaryPassword', 'Temporary password (optional: generated when empty)', { type: 'password' }) +
    checkbox('emailVerified', 'The e-mail address is verified') +
    checkbox('invite', 'Send the invitation message'),
  'Create user')}`,
    });
  });

  r.post('/admin/pools/:pool/users', async (ctx) => {
    const f = ctx.form;
    const email = f.get('email');
    const temp = f.get('temporaryPassword');
    const attrs = [
      ...(email ? [{ Name: 'email', Value: email }] : []),
      ...(email && f.get('emailVerified') ? [{ Name: 'email_verified', Value: 'true' }] : []),
    ];
    const res = await ctx.call('AdminCreateUser', {
      UserPoolId: ctx.req.params.pool,
      Username: f.get('username') ?? '',
      ...(f.get('invite') ? { DesiredDeliveryMediums: ['EMAIL'] } : { MessageAction: 'SUPPRESS' }),
      ...(temp ? { TemporaryPassword: temp } : {}),
      ...(attrs.length ? { UserAttributes: attrs } : {}),
    });
    return ctx.done(userUrl(ctx.req.params.pool, res.User.Username), 'User created.');
  });

  r.get('/admin/pools/:pool/users/:user', (ctx) => userPage(ctx));

  const act = (name: string, run: (ctx: Ctx, ids: { UserPoolId: string; Username: string }) => Promise<unknown>, notice: string) =>
    r.post(`/admin/pools/:pool/users/:user/${name}`, async (ctx) => {
      const ids = { UserPoolId: ctx.req.params.pool, Username: ctx.req.params.user };
      const to = await run(ctx, ids);
      return ctx.done(typeof to === 'string' ? to : userUrl(ids.UserPoolId, ids.Username), notice);
    });
  act('disable', (c, ids) => c.call('AdminDisableUser', ids), 'User disabled.');
  act('enable', (c, ids) => c.call('AdminEnableUser', ids), 'User enabled.');
  act('reset-password', (c, ids) => c.call('AdminResetUserPassword', ids), 'Password reset: the user must choose a new one.');
  act('set-password', (c, ids) => c.call('AdminSetUserPassword', { ...ids, Password: c.form.get('password') ?? '', Permanent: !!c.form.get('permanent') }), 'Password set.');
  act('sign-out', (c, ids) => c.call('AdminUserGlobalSignOut', ids), 'Signed out everywhere: refresh tokens revoked.');
  act('attribute', (c, ids) => c.call('AdminUpdateUserAttributes', { ...ids, UserAttributes: [{ Name: c.form.get('name') ?? '', Value: c.form.get('value') ?? '' }] }), 'Attribute saved.');
  act('delete-attribute', (c, ids) => c.call('AdminDeleteUserAttributes', { ...ids, UserAttributeNames: [c.form.get('name') ?? ''] }), 'Attribute deleted.');
  act('add-group', (c, ids) => c.call('AdminAddUserToGroup', { ...ids, GroupName: c.form.get('group') ?? '' }), 'Added to the group.');
  act('remove-group', (c, ids) => c.call('AdminRemoveUserFromGroup', { ...ids, GroupName: c.form.get('group') ?? '' }), 'Removed from the group.');
  act('forget-device', (c, ids) => c.call('AdminForgetDevice', { ...ids, DeviceKey: c.form.get('device') ?? '' }), 'Device forgotten.');
  act(
    'revoke-session',
    (c, ids) =>
      c.call('AdminRevokeUserSession', { ...ids, SessionId: c.form.get('session') ?? '', RevokeAssociatedSessions: c.form.get('linked') === 'LINKED' ? 'LINKED' : 'NONE' }),
    'Session revoked.',
  );
  act('confirm', (c, ids) => c.call('AdminConfirmSignUp', ids), 'Sign-up confirmed.');
  act('mfa', async (c, ids) => {
    const pref = (v: string | null) => ({ Enabled: v === 'enabled' || v === 'preferred', PreferredMfa: v === 'preferred' });
    const f = c.form;
    const preferred = ['totp', 'sms', 'email'].filter((k) => f.get(k) === 'preferred');
    if (preferred.length > 1) throw new InvalidParameterException('Only one MFA factor can be preferred.');
    await c.call('AdminSetUserMFAPreference', {
      ...ids,
      SoftwareTokenMfaSettings: pref(f.get('totp')),
      SMSMfaSettings: pref(f.get('sms')),
      EmailMfaSettings: pref(f.get('email')),
    });
  }, 'MFA preference saved.');
  act('delete', async (c, ids) => {
    await c.call('AdminDeleteUser', ids);
    return `${poolUrl(ids.UserPoolId)}/users`;
  }, 'User deleted.');
}


async function userPage(ctx: Ctx) {
  const { pool: poolId, user: username } = ctx.req.params;
  const ids = { UserPoolId: poolId, Username: username };
  const [pool, u, groups, allGroups] = await Promise.all([
    poolOf(ctx, poolId),
    ctx.call('AdminGetUser', ids),
    ctx.call('AdminListGroupsForUser', { ...ids, Limit: 60 }),
    ctx.call('ListGroups', { UserPoolId: poolId, Limit: 60 }),
  ]);
  let devices: any[] = [];
  let devicesNote = '';
  try {
    devices = (await ctx.call('AdminListDevices', { ...ids, Limit: 60 })).Devices ?? [];
  } catch (e) {
    if (!(e instanceof CognitoException)) throw e;
    devicesNote = `<p>${esc(e.message)}</p>`;
  }
  // Sessions, when the pool tracks them (src/sessions/sessions.ts).
  let sessions: any[] = [];
  let sessionsNote = '';
  try {
    sessions = (await ctx.call('AdminListUserSessions', ids)).Sessions ?? [];
  } catch (e) {
    if (!(e instanceof CognitoException)) throw e;
    sessionsNote = `<p>${esc(e.message)}</p>`;
  }
  // Read-only: the audit store, as AdminListUserAuthEvents reads it (all event types here).
  const user = await ctx.app.users.get(await ctx.app.pools.get(poolId), u.Username);
  const events = (await ctx.app.audit.list({ poolId, userId: user.id, limit: 20 })).events;
  const base = userUrl(poolId, u.Username);
  const csrf = ctx.s.csrf;
  const attrs = (u.UserAttributes ?? []).map((a: any) => [
    esc(a.Name),
    esc(a.Value),
    a.Name === 'sub' ? '' : action(`${base}/delete-attribute`, csrf, 'Delete', { fields: hidden('name', a.Name), label: `Delete attribute ${a.Name}`, danger: true }),
  ]);
  const memberOf = new Set((groups.Groups ?? []).map((g: any) => g.GroupName));
  const groupRows = (groups.Groups ?? []).map((g: any) => [
    `<a href="${poolUrl(poolId)}/groups/${enc(g.GroupName)}">${esc(g.GroupName)}</a>`,
    esc(g.Precedence ?? ''),
    action(`${base}/remove-group`, csrf, 'Remove', { fields: hidden('group', g.GroupName), label: `Remove from group ${g.GroupName}` }),
  ]);
  const joinable = (allGroups.Groups ?? []).map((g: any) => g.GroupName).filter((n: string) => !memberOf.has(n));
  const mfaList: string[] = u.UserMFASettingList ?? [];
  const mfaState = (name: string) => (u.PreferredMfaSetting === name ? 'preferred' : mfaList.includes(name) ? 'enabled' : 'off');
  const states: [string, string][] = [['off', 'off'], ['enabled', 'enabled'], ['preferred', 'enabled and preferred']];
  const deviceRows = devices.map((d: any) => {
    const name = (d.DeviceAttributes ?? []).find((a: any) => a.Name === 'device_name')?.Value ?? '';
    return [
      `<code>${esc(d.DeviceKey)}</code>`,
      esc(name),
      esc((d.DeviceAttributes ?? []).find((a: any) => a.Name === 'device_status')?.Value ?? ''),
      when(d.DeviceLastAuthenticatedDate),
      action(`${base}/forget-device`, csrf, 'Forget', { fields: hidden('device', d.DeviceKey), label: `Forget device ${name || d.DeviceKey}`, danger: true }),
    ];
  });
  const sessionRows = sessions.map((x: any) => {
    const kind = x.SessionType === 'SSO' ? 'hosted UI (SSO)' : 'tokens';
    const linked = x.SessionType === 'SSO' ? 'and its token sessions' : x.OriginSessionId ? 'and its SSO session' : '';
    return [
      `<code>${esc(x.SessionId)}</code>`,
      esc(kind),
      `<code>${esc(x.ClientId)}</code>`,
      when(x.LastActiveDate),
      esc(x.DeviceType ?? ''),
      esc(x.LastIPAddress ?? ''),
      action(`${base}/revoke-session`, csrf, 'Revoke', { fields: hidden('session', x.SessionId), label: `Revoke session ${x.SessionId}`, danger: true }) +
        (linked ? ' ' + action(`${base}/revoke-session`, csrf, `Revoke ${linked}`, { fields: hidden('session', x.SessionId) + hidden('linked', 'LINKED'), label: `Revoke session ${x.SessionId} ${linked}`, danger: true }) : ''),
    ];
  });
  const facts: [string, string][] = [
    ['Status', esc(u.UserStatus)],
    ['Enabled', u.Enabled ? 'enabled' : 'disabled'],
    ['MFA', esc(mfaList.join(', ') || 'none') + (u.PreferredMfaSetting ? `, preferred ${esc(u.PreferredMfaSetting)}` : '')],
    ['Created', when(u.UserCreateDate)],
    ['Last modified', when(u.UserLastModifiedDate)],
  ];
  const toggle = u.Enabled ? 'disable' : 'enable';
  return ctx.show({
    title: `User ${u.Username}`,
    pool: { id: poolId, name: pool.Name, screen: '/users' },
    body: `<p><a href="${poolUrl(poolId)}/users">Back to the users</a></p>
<p>Status ${esc(u.UserStatus)}, ${u.Enabled ? 'enabled' : 'disabled'}.</p>
${table('User', ['Property', 'Value'], facts.map(([k, v]) => [esc(k), v]))}
${section('h-actions', 'Actions', `<p>${action(`${base}/${toggle}`, csrf, toggle === 'disable' ? 'Disable user' : 'Enable user')}
${action(`${base}/reset-password`, csrf, 'Reset password')}
${action(`${base}/sign-out`, csrf, 'Sign out everywhere')}
${u.UserStatus === 'UNCONFIRMED' ? action(`${base}/confirm`, csrf, 'Confirm sign-up') : ''}</p>
${form(`${base}/set-password`, 'Set a password', csrf, input('password', 'New password', { type: 'password', required: true }) + checkbox('permanent', 'Permanent (otherwise the user must change it at the next sign-in)'), 'Set password')}`)}
${section('h-attrs', 'Attributes', `${table('Attributes', ['Name', 'Value', ''], attrs)}
${form(`${base}/attribute`, 'Set an attribute', csrf, input('name', 'Attribute name', { required: true }) + input('value', 'Attribute value', { id: 'f-attr-value' }), 'Save attribute')}`)}
${section('h-groups', 'Groups', `${table('Groups of this user', ['Group', 'Precedence', ''], groupRows)}
${joinable.length ? form(`${base}/add-group`, 'Add to a group', csrf, select('group', 'Group', joinable), 'Add to group') : ''}`)}
${section('h-mfa', 'MFA preference', form(`${base}/mfa`, 'Second factors', csrf,
  select('totp', 'Authenticator app (TOTP)', states, mfaState('SOFTWARE_TOKEN_MFA')) + select('sms', 'SMS', states, mfaState('SMS_MFA')) + select('email', 'E-mail', states, mfaState('EMAIL_OTP')),
  'Save MFA preference'))}
${section('h-devices', 'Devices', devicesNote || table('Remembered devices', ['Device key', 'Name', 'Status', 'Last sign-in', ''], deviceRows))}
${section('h-sessions', 'Sessions', sessionsNote || table('Sessions', ['Session', 'Kind', 'App client', 'Last active', 'Device', 'Address', ''], sessionRows))}
${section('h-events', 'Audit events', `${table('Audit events', EVENT_HEAD, eventRows(events))}<p><a href="${poolUrl(poolId)}/events?user=${enc(u.Username)}">All events of this user</a></p>`)}
${section('h-delete', 'Delete', action(`${base}/delete`, csrf, 'Delete user', { danger: true }))}`,
  });
}
