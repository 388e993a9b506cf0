// Audit events of a pool, newest first, in pages: all of them, one user's (by username) or one
// type's. Read from the audit store (what AdminListUserAuthEvents reads); the feedback buttons
// call AdminUpdateAuthEventFeedback.
import type { StoredAuditEvent } from '../../audit/audit.js';
import { action, esc, hidden, input, poolUrl, select, table, when } from '../html.js';
import type { AdminRouter } from '../kit.js';
import { poolOf } from './pools.js';

const TYPES = ['SignIn', 'Refresh', 'SignUp', 'ConfirmSignUp', 'ResendCode', 'ForgotPassword', 'PasswordChange', 'SignOut', 'MfaChange', 'DeleteUser', 'AdminAction'];

export const EVENT_HEAD = ['When', 'Type', 'Outcome', 'User', 'Detail', 'Address'];

export function eventRows(events: StoredAuditEvent[], extra?: (e: StoredAuditEvent) => string): string[][] {
  return events.map((e) => [
    when(e.createdAt),
    esc(e.type),
    esc(e.outcome),
    esc(e.username ?? ''),
    esc([e.detail?.op, e.detail?.flow, e.detail?.reason, e.detail?.next].filter(Boolean).join(' · ')) + (e.feedback ? ` (marked ${esc(e.feedback.value)})` : ''),
    esc(e.sourceIp ?? ''),
    ...(extra ? [extra(e)] : []),
  ]);
}

export function registerEventsScreen(r: AdminRouter): void {
  r.get('/admin/pools/:pool/events', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const q = ctx.req.query;
    const pool = await poolOf(ctx, poolId);
    const username = typeof q.user === 'string' ? q.user.trim() : '';
    const type = TYPES.includes(q.type ?? '') ? q.type! : '';
    let userId: string | undefined;
    let missing = '';
    if (username) {
      const p = await ctx.app.pools.get(poolId);
      userId = (await ctx.app.users.find(p, username))?.id;
      if (!userId) missing = `<p role="status">No user ${esc(username)} in this pool.</p>`;
    }
    const page = missing
      ? { events: [], next: undefined }
      : await ctx.app.audit.list({ poolId, userId, types: type ? [type] : undefined, limit: 50, next: typeof q.next === 'string' && q.next ? q.next : undefined });
    const feedback = (e: StoredAuditEvent) =>
      e.username && e.userId && e.type !== 'AdminAction'
        ? ['Valid', 'Invalid']
            .map((v) => action(`${poolUrl(poolId)}/events/feedback`, ctx.s.csrf, v, { fields: hidden('user', e.username!) + hidden('event', e.id) + hidden('value', v), label: `Mark the ${e.type} event of ${when(e.createdAt)} ${v.toLowerCase()}` }))
            .join(' ')
        : '';
    const more = page.next ? `<p><a href="?${new URLSearchParams({ user: username, type, next: page.next })}">Older events</a></p>` : '';
    const filter = `<form method="get" action="${poolUrl(poolId)}/events" role="search" aria-label="Events"><fieldset><legend>Filter events</legend>
${input('user', 'Username', { value: username })}${select('type', 'Type', [['', 'any type'], ...TYPES.map((t) => [t, t] as [string, string])], type)}
<button type="submit">Show events</button></fieldset></form>`;
    return ctx.show({
      title: `Events of ${pool.Name}`,
      pool: { id: poolId, name: pool.Name, screen: '/events' },
      body: `${filter}${missing}${table('Audit events', [...EVENT_HEAD, 'Feedback'], eventRows(page.events, feedback))}${more}`,
    });
  });

  r.post('/admin/pools/:pool/events/feedback', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const username = ctx.form.get('user') ?? '';
    await ctx.call('AdminUpdateAuthEventFeedback', {
      UserPoolId: poolId,
      Username: username,
      EventId: ctx.form.get('event') ?? '',
      FeedbackValue: ctx.form.get('value') ?? '',
    });
    return ctx.done(`${poolUrl(poolId)}/events?user=${encodeURIComponent(username)}`, 'Feedback saved.');
  });
}
