// Groups: list and create; one group's page: edit its description, precedence and role, its
// members (add by username, remove), delete.
import { action, esc, form, hidden, input, poolUrl, table, textarea } from '../html.js';
import type { AdminRouter } from '../kit.js';
import { poolOf } from './pools.js';
import { userUrl } from './users.js';

const enc = encodeURIComponent;
const groupUrl = (pool: string, group: string) => `${poolUrl(pool)}/groups/${enc(group)}`;
const precedenceOf = (v: string | null) => (v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);

export function registerGroupsScreen(r: AdminRouter): void {
  r.get('/admin/pools/:pool/groups', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const [pool, groups] = await Promise.all([poolOf(ctx, poolId), ctx.call('ListGroups', { UserPoolId: poolId, Limit: 60, ...(ctx.req.query.page ? { NextToken: ctx.req.query.page } : {}) })]);
    const rows = (groups.Groups ?? []).map((g: any) => [`<a href="${groupUrl(poolId, g.GroupName)}">${esc(g.GroupName)}</a>`, esc(g.Description ?? ''), esc(g.Precedence ?? '')]);
    const next = groups.NextToken ? `<p><a href="?page=${enc(groups.NextToken)}">Next page of groups</a></p>` : '';
    return ctx.show({
      title: `Groups of ${pool.Name}`,
      pool: { id: poolId, name: pool.Name, screen: '/groups' },
      body: `${table('Groups', ['Name', 'Description', 'Precedence'], rows)}${next}
${form(`${poolUrl(poolId)}/groups`, 'Create a group', ctx.s.csrf,
  input('name', 'Group name', { required: true }) + input('description', 'Description') + input('precedence', 'Precedence (optional, lower wins)', { type: 'number' }) + input('role', 'IAM role ARN (optional)'),
  'Create group')}`,
    });
  });

  r.post('/admin/pools/:pool/groups', async (ctx) => {
    const f = ctx.form;
    const name = f.get('name') ?? '';
    await ctx.call('CreateGroup', {
      UserPoolId: ctx.req.params.pool,
      GroupName: name,
      ...(f.get('description') ? { Description: f.get('description') } : {}),
      ...(precedenceOf(f.get('precedence')) !== undefined ? { Precedence: precedenceOf(f.get('precedence')) } : {}),
      ...(f.get('role') ? { RoleArn: f.get('role') } : {}),
    });
    return ctx.done(groupUrl(ctx.req.params.pool, name), 'Group created.');
  });

  r.get('/admin/pools/:pool/groups/:group', async (ctx) => {
    const { pool: poolId, group: name } = ctx.req.params;
    const [pool, g, members] = await Promise.all([
      poolOf(ctx, poolId),
      ctx.call('GetGroup', { UserPoolId: poolId, GroupName: name }),
      ctx.call('ListUsersInGroup', { UserPoolId: poolId, GroupName: name, Limit: 60, ...(ctx.req.query.page ? { NextToken: ctx.req.query.page } : {}) }),
    ]);
    const group = g.Group;
    const base = groupUrl(poolId, group.GroupName);
    const rows = (members.Users ?? []).map((u: any) => [
      `<a href="${userUrl(poolId, u.Username)}">${esc(u.Username)}</a>`,
      esc(u.UserStatus),
      action(`${base}/remove`, ctx.s.csrf, 'Remove', { fields: hidden('username', u.Username), label: `Remove ${u.Username} from the group` }),
    ]);
    const next = members.NextToken ? `<p><a href="?page=${enc(members.NextToken)}">Next page of members</a></p>` : '';
    return ctx.show({
      title: `Group ${group.GroupName}`,
      pool: { id: poolId, name: pool.Name, screen: '/groups' },
      body: `<p><a href="${poolUrl(poolId)}/groups">Back to the groups</a></p>
<h2>Members</h2>${table('Members', ['Username', 'Status', ''], rows)}${next}
${form(`${base}/add`, 'Add a member', ctx.s.csrf, input('username', 'Username of the new member', { required: true }), 'Add member')}
<h2>Settings</h2>${form(`${base}/edit`, 'Edit the group', ctx.s.csrf,
  textarea('description', 'Description', group.Description ?? '', { rows: 2 }) +
    input('precedence', 'Precedence (optional, lower wins)', { type: 'number', value: group.Precedence === undefined ? '' : String(group.Precedence) }) +
    input('role', 'IAM role ARN (optional)', { value: group.RoleArn ?? '' }),
  'Save group')}
<h2>Delete</h2>${action(`${base}/delete`, ctx.s.csrf, 'Delete group', { danger: true })}`,
    });
  });

  r.post('/admin/pools/:pool/groups/:group/edit', async (ctx) => {
    const { pool: poolId, group: name } = ctx.req.params;
    const f = ctx.form;
    const precedence = precedenceOf(f.get('precedence'));
    await ctx.call('UpdateGroup', {
      UserPoolId: poolId,
      GroupName: name,
      Description: f.get('description') ?? '',
      ...(precedence !== undefined ? { Precedence: precedence } : {}),
      ...(f.get('role') ? { RoleArn: f.get('role') } : {}),
    });
    return ctx.done(groupUrl(poolId, name), 'Group saved.');
  });
  r.post('/admin/pools/:pool/groups/:group/add', async (ctx) => {
    const { pool: poolId, group: name } = ctx.req.params;
    await ctx.call('AdminAddUserToGroup', { UserPoolId: poolId, GroupName: name, Username: ctx.form.get('username') ?? '' });
    return ctx.done(groupUrl(poolId, name), 'Member added.');
  });
  r.post('/admin/pools/:pool/groups/:group/remove', async (ctx) => {
    const { pool: poolId, group: name } = ctx.req.params;
    await ctx.call('AdminRemoveUserFromGroup', { UserPoolId: poolId, GroupName: name, Username: ctx.form.get('username') ?? '' });
    return ctx.done(groupUrl(poolId, name), 'Member removed.');
  });
  r.post('/admin/pools/:pool/groups/:group/delete', async (ctx) => {
    const { pool: poolId, group: name } = ctx.req.params;
    await ctx.call('DeleteGroup', { UserPoolId: poolId, GroupName: name });
    return ctx.done(`${poolUrl(poolId)}/groups`, 'Group deleted.');
  });
}
