// The console screen for changing what Cognito freezes (src/userpools/frozen-settings.ts):
//   GET  /admin/pools/{id}/frozen-settings           the pool's current settings as a form
//   POST /admin/pools/{id}/frozen-settings/preview   what the change would do (collisions, broken
//                                                    constraints, removed values), with an Apply
//                                                    button only when nothing stands in the way
//   POST /admin/pools/{id}/frozen-settings/apply     applies it, 303 back to the form with a notice
// The change travels from the preview to the apply as a JSON hidden field, so what is applied is
// what was previewed (and is checked again under the pool's lock). The session and CSRF rules are
// the console's (session.ts); the work is the admin endpoint's (frozen-api.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { CognitoException } from '../errors.js';
import type { SchemaAttributeType } from '../models/idp-types.js';
import { FrozenChangeConflict, type FrozenChange, type FrozenPreview } from '../userpools/frozen-settings.js';
import { runFrozenChange } from './frozen-api.js';
import { CSP, csrfField, esc, page, table } from './html.js';
import { hasValidCsrf, readSession, type AdminSession } from './session.js';

type Req = FastifyRequest<{ Params: { pool: string }; Querystring: Record<string, string> }>;

/** Its entry in the pool's navigation (html.ts poolScreens). */
const SCREEN = '/frozen-settings';
const screenUrl = (poolId: string) => `/admin/pools/${encodeURIComponent(poolId)}${SCREEN}`;
const SIGN_IN = [
  ['email', 'E-mail'],
  ['phone_number', 'Phone number'],
  ['preferred_username', 'Preferred username'],
] as const;

function send(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('content-security-policy', CSP)
    .header('x-frame-options', 'DENY').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(body);
}

export function registerFrozenSettingsScreen(fastify: FastifyInstance, app: App): void {
  const guarded = (h: (req: Req, reply: FastifyReply, s: AdminSession, form: URLSearchParams) => Promise<unknown>) => async (req: Req, reply: FastifyReply) => {
    const s = await readSession(app, req);
    if (!s) return reply.redirect('/admin/login', 303);
    const form = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    if (req.method === 'POST' && !hasValidCsrf(s, form)) return send(reply, page({ title: 'Refused', body: '<p>The form expired: go back and try again.</p>' }), 403);
    try {
      return await h(req, reply, s, form);
    } catch (e) {
      if (!(e instanceof CognitoException)) throw e;
      req.errorName = e.name;
      return send(reply, page({ title: 'Not done', csrf: s.csrf, error: `${e.name}: ${e.message}`, body: `<p><a href="${screenUrl(req.params.pool)}">Back</a></p>` }), 400);
    }
  };

  fastify.get('/admin/pools/:pool/frozen-settings', guarded(async (req, reply, s) => {
    const pool = await app.pools.get(req.params.pool);
    const notice = req.query.applied ? '<p class="notice" role="status">The change was applied.</p>' : '';
    return send(reply, page({ title: `Frozen settings of ${pool.name}`, csrf: s.csrf, pool: { id: pool.id, name: pool.name, screen: SCREEN }, body: `<p><a href="/admin/pools/${encodeURIComponent(pool.id)}">Back to the pool</a></p>${notice}${settingsForm(pool.id, pool.settings, s.csrf)}` }));
  }));

  fastify.post('/admin/pools/:pool/frozen-settings/preview', guarded(async (req, reply, s, form) => {
    const pool = await app.pools.get(req.params.pool);
    const change = changeFromForm(pool.settings.SchemaAttributes ?? [], form);
    const preview = await runFrozenChange(app, req, s.accessKeyId, pool.id, change, 'preview');
    return send(reply, page({ title: `Preview: ${pool.name}`, csrf: s.csrf, pool: { id: pool.id, name: pool.name, screen: SCREEN }, body: previewBody(pool.id, preview, change, s.csrf) }));
  }));

  fastify.post('/admin/pools/:pool/frozen-settings/apply', guarded(async (req, reply, s, form) => {
    let change: FrozenChange;
    try {
      change = JSON.parse(form.get('change') ?? '');
    } catch {
      return send(reply, page({ title: 'Not done', csrf: s.csrf, error: 'The change is not readable: preview it again.', body: '' }), 400);
    }
    try {
      await runFrozenChange(app, req, s.accessKeyId, req.params.pool, change, 'apply');
    } catch (e) {
      if (!(e instanceof FrozenChangeConflict)) throw e;
      req.errorName = e.name;
      return send(reply, page({ title: 'Not applied', csrf: s.csrf, error: e.message, body: previewBody(req.params.pool, e.preview, change, s.csrf) }), 409);
    }
    return reply.redirect(`${screenUrl(req.params.pool)}?applied=1`, 303);
  }));
}

/** The form: case sensitivity, sign-in attributes, and one row per custom attribute. */
function settingsForm(poolId: string, settings: { UsernameConfiguration?: { CaseSensitive?: boolean }; UsernameAttributes?: string[]; AliasAttributes?: string[]; SchemaAttributes?: SchemaAttributeType[] }, csrf: string): string {
  const sensitive = settings.UsernameConfiguration?.CaseSensitive === true;
  const checks = (name: string, legend: string, current: string[] | undefined, options: readonly (readonly [string, string])[]) =>
    `<fieldset><legend>${esc(legend)}</legend>${options
      .map(([v, label]) => `<div class="check"><input type="checkbox" id="f-${name}-${v}" name="${name}" value="${v}"${current?.includes(v) ? ' checked' : ''}><label for="f-${name}-${v}">${esc(label)}</label></div>`)
      .join('')}</fieldset>`;
  const custom = (settings.SchemaAttributes ?? []).filter((a) => a.Name?.startsWith('custom:'));
  const rows = custom.map((a) => {
    const n = a.Name!;
    const id = n.replace(/[^A-Za-z0-9_-]/g, '_');
    const c = a.AttributeDataType === 'String' ? a.StringAttributeConstraints : a.AttributeDataType === 'Number' ? a.NumberAttributeConstraints : undefined;
    const min = a.AttributeDataType === 'String' ? (c as any)?.MinLength : (c as any)?.MinValue;
    const max = a.AttributeDataType === 'String' ? (c as any)?.MaxLength : (c as any)?.MaxValue;
    const bounds = a.AttributeDataType === 'String' || a.AttributeDataType === 'Number'
      ? `<label for="min-${id}">Minimum ${a.AttributeDataType === 'String' ? 'length' : 'value'} of ${esc(n)}</label><input type="text" inputmode="numeric" id="min-${id}" name="min:${esc(n)}" value="${esc(min ?? '')}">
<label for="max-${id}">Maximum ${a.AttributeDataType === 'String' ? 'length' : 'value'} of ${esc(n)}</label><input type="text" inputmode="numeric" id="max-${id}" name="max:${esc(n)}" value="${esc(max ?? '')}">`
      : '—';
    return [
      `<code>${esc(n)}</code>`,
      esc(a.AttributeDataType),
      `<div class="check"><input type="checkbox" id="mut-${id}" name="mutable:${esc(n)}" value="true"${a.Mutable !== false ? ' checked' : ''}><label for="mut-${id}">${esc(n)} is mutable</label></div>`,
      bounds,
      `<div class="check"><input type="checkbox" id="del-${id}" name="delete" value="${esc(n)}"><label for="del-${id}">Delete ${esc(n)} (its values leave every user)</label></div>`,
    ];
  });
  return `<p>Cognito fixes these when a pool is created; Tessera lets you change them. Nothing changes until you have seen the preview and pressed Apply.</p>
<form method="post" action="${screenUrl(poolId)}/preview">${csrfField(csrf)}
<fieldset><legend>Usernames</legend><label for="f-case">Usernames are compared</label><select id="f-case" name="caseSensitive">
<option value="false"${sensitive ? '' : ' selected'}>case-insensitively (Alice = alice)</option><option value="true"${sensitive ? ' selected' : ''}>case-sensitively</option></select></fieldset>
${checks('usernameAttr', 'Username attributes (sign up and in with these instead of a username)', settings.UsernameAttributes, SIGN_IN.slice(0, 2))}
${checks('aliasAttr', 'Alias attributes (sign in with these besides the username)', settings.AliasAttributes, SIGN_IN)}
<h2>Custom attributes</h2>${table('Custom attributes', ['Name', 'Type', 'Mutable', 'Constraints', 'Delete'], rows)}
<button type="submit">Preview the change</button></form>`;
}

/** The change the form asks for (members equal to the current settings are dropped by the domain). */
export function changeFromForm(schema: SchemaAttributeType[], form: URLSearchParams): FrozenChange {
  const change: FrozenChange = {
    CaseSensitive: form.get('caseSensitive') === 'true',
    UsernameAttributes: form.getAll('usernameAttr'),
    AliasAttributes: form.getAll('aliasAttr'),
  };
  const deleted = form.getAll('delete');
  if (deleted.length) change.DeleteCustomAttributes = deleted;
  const edits: SchemaAttributeType[] = [];
  for (const a of schema) {
    const n = a.Name ?? '';
    if (!n.startsWith('custom:') || deleted.includes(n)) continue;
    const edit: SchemaAttributeType = { Name: n };
    let changed = false;
    const mutable = form.get(`mutable:${n}`) === 'true';
    if (mutable !== (a.Mutable !== false)) {
      edit.Mutable = mutable;
      changed = true;
    }
    const min = form.get(`min:${n}`)?.trim() || undefined;
    const max = form.get(`max:${n}`)?.trim() || undefined;
    if (a.AttributeDataType === 'String') {
      const c = a.StringAttributeConstraints ?? {};
      if (min !== c.MinLength || max !== c.MaxLength) {
        edit.StringAttributeConstraints = { ...(min ? { MinLength: min } : {}), ...(max ? { MaxLength: max } : {}) };
        changed = true;
      }
    } else if (a.AttributeDataType === 'Number') {
      const c = a.NumberAttributeConstraints ?? {};
      if (min !== c.MinValue || max !== c.MaxValue) {
        edit.NumberAttributeConstraints = { ...(min ? { MinValue: min } : {}), ...(max ? { MaxValue: max } : {}) };
        changed = true;
      }
    }
    if (changed) edits.push(edit);
  }
  if (edits.length) change.EditCustomAttributes = edits;
  return change;
}

function previewBody(poolId: string, p: FrozenPreview, change: FrozenChange, csrf: string): string {
  const changes = Object.keys(p.changes).length
    ? `<pre aria-label="What changes">${esc(JSON.stringify(p.changes, null, 2))}</pre>`
    : '<p>Nothing differs from the current settings.</p>';
  const summary = `<p>${p.usersScanned} users read; ${p.usersChanged} would be rewritten; ${p.valuesRemoved} attribute values would be removed.</p>`;
  const collisions = p.collisions.length
    ? table('Collisions', ['Sign-in name', 'Value', 'Users who would share it'], p.collisions.map((c) => [esc(c.kind), `<code>${esc(c.value)}</code>`, esc(c.usernames.join(', '))]))
    : '<p>No usernames or aliases would collide.</p>';
  const breaks = p.constraintBreaks.length
    ? table('Values breaking the new constraints', ['Attribute', 'User', 'Value', 'Rule'], p.constraintBreaks.map((b) => [esc(b.attribute), esc(b.username), esc(b.value), esc(b.rule)]))
    : '';
  const subOnly = p.subOnly.length ? `<p>These users could then sign in only with their sub: ${esc(p.subOnly.join(', '))}.</p>` : '';
  const action = p.applicable && Object.keys(p.changes).length
    ? `<form method="post" action="${screenUrl(poolId)}/apply">${csrfField(csrf)}<input type="hidden" name="change" value="${esc(JSON.stringify(change))}"><button type="submit">Apply the change</button></form>`
    : p.applicable
      ? ''
      : '<p class="error" role="alert">The change cannot be applied while users collide or values break the new constraints. Change those users first, then preview again.</p>';
  return `<h2>What changes</h2>${changes}${summary}<h2>Conflicts</h2>${collisions}${breaks}${subOnly}${action}<p><a href="${screenUrl(poolId)}">Back to the settings</a></p>`;
}
