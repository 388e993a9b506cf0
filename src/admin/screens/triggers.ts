// Triggers: the pool's LambdaConfig, one field per trigger (a Lambda ARN, or a webhook URL as the
// README's "Triggers" describes), saved with UpdateUserPool carrying every other setting as it is
// (UpdateUserPool replaces the whole configuration). The pool's webhook signing secret can be
// shown or rotated, as the admin route /_tessera/userpools/<id>/webhook-secret does.
import { model as idpModel } from '../../models/idp.js';
import { esc, form, input, poolUrl, select, table } from '../html.js';
import type { AdminRouter, Ctx } from '../kit.js';
import { carryOver, poolOf } from './pools.js';

const SIMPLE = [
  ['PreSignUp', 'Pre sign-up'],
  ['PostConfirmation', 'Post confirmation'],
  ['PreAuthentication', 'Pre authentication'],
  ['PostAuthentication', 'Post authentication'],
  ['CustomMessage', 'Custom message'],
  ['UserMigration', 'User migration'],
  ['DefineAuthChallenge', 'Define auth challenge'],
  ['CreateAuthChallenge', 'Create auth challenge'],
  ['VerifyAuthChallengeResponse', 'Verify auth challenge response'],
] as const;

async function triggersPage(ctx: Ctx, secret?: string) {
  const poolId = ctx.req.params.pool;
  const pool = await poolOf(ctx, poolId);
  const lc = pool.LambdaConfig ?? {};
  const ptg = lc.PreTokenGenerationConfig?.LambdaArn ?? lc.PreTokenGeneration ?? '';
  const rows = [
    ...SIMPLE.filter(([k]) => lc[k]).map(([k, label]) => [esc(label), `<code>${esc(lc[k])}</code>`]),
    ...(ptg ? [[`Pre token generation (${esc(lc.PreTokenGenerationConfig?.LambdaVersion ?? 'V1_0')})`, `<code>${esc(ptg)}</code>`]] : []),
    ...(lc.CustomEmailSender ? [['Custom e-mail sender', `<code>${esc(lc.CustomEmailSender.LambdaArn)}</code>`]] : []),
    ...(lc.CustomSMSSender ? [['Custom SMS sender', `<code>${esc(lc.CustomSMSSender.LambdaArn)}</code>`]] : []),
    ...(lc.InboundFederation ? [['Inbound federation', `<code>${esc(lc.InboundFederation.LambdaArn)}</code>`]] : []),
  ];
  const base = `${poolUrl(poolId)}/triggers`;
  const fields =
    SIMPLE.map(([k, label]) => input(k, label, { value: lc[k] ?? '', placeholder: 'arn:aws:lambda:… or https://…' })).join('') +
    input('PreTokenGeneration', 'Pre token generation', { value: ptg }) +
    select('PreTokenGenerationVersion', 'Pre token generation event version', ['V1_0', 'V2_0', 'V3_0'], lc.PreTokenGenerationConfig?.LambdaVersion ?? 'V1_0') +
    input('CustomEmailSender', 'Custom e-mail sender', { value: lc.CustomEmailSender?.LambdaArn ?? '' }) +
    input('CustomSMSSender', 'Custom SMS sender', { value: lc.CustomSMSSender?.LambdaArn ?? '' }) +
    input('KMSKeyID', 'KMS key ARN for the custom senders', { value: lc.KMSKeyID ?? '' }) +
    input('InboundFederation', 'Inbound federation', { value: lc.InboundFederation?.LambdaArn ?? '' });
  return ctx.show({
    title: `Triggers of ${pool.Name}`,
    pool: { id: poolId, name: pool.Name, screen: '/triggers' },
    body: `${table('Triggers set', ['Trigger', 'Target'], rows)}
<p>A target is a Lambda function ARN (invoked through the Lambda Invoke API) or a webhook URL: <code>https://</code>, or <code>http://</code> to localhost only. Tessera POSTs the same event JSON to a webhook, signed in <code>X-Tessera-Signature</code> with the pool's webhook secret. An empty field removes the trigger.</p>
${form(base, 'Lambda configuration', ctx.s.csrf, fields, 'Save triggers')}
<h2>Webhook signing secret</h2>
${secret ? `<p role="status">The pool's webhook secret: <code>${esc(secret)}</code> (not shown again; reload to hide it).</p>` : ''}
${form(`${base}/secret`, 'Show the webhook secret', ctx.s.csrf, '', 'Show secret')}
${form(`${base}/secret/rotate`, 'Rotate the webhook secret (receivers must take the new one)', ctx.s.csrf, '', 'Rotate secret', { danger: true })}`,
  });
}

export function registerTriggersScreen(r: AdminRouter): void {
  r.get('/admin/pools/:pool/triggers', (ctx) => triggersPage(ctx));

  r.post('/admin/pools/:pool/triggers', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const pool = await poolOf(ctx, poolId);
    const f = ctx.form;
    const v = (k: string) => (f.get(k) ?? '').trim() || undefined;
    const lambdaConfig: Record<string, unknown> = {};
    for (const [k] of SIMPLE) if (v(k)) lambdaConfig[k] = v(k);
    const ptg = v('PreTokenGeneration');
    if (ptg) {
      const version = ['V1_0', 'V2_0', 'V3_0'].includes(f.get('PreTokenGenerationVersion') ?? '') ? f.get('PreTokenGenerationVersion')! : 'V1_0';
      lambdaConfig.PreTokenGenerationConfig = { LambdaVersion: version, LambdaArn: ptg };
      if (version === 'V1_0') lambdaConfig.PreTokenGeneration = ptg;
    }
    if (v('CustomEmailSender')) lambdaConfig.CustomEmailSender = { LambdaVersion: 'V1_0', LambdaArn: v('CustomEmailSender') };
    if (v('CustomSMSSender')) lambdaConfig.CustomSMSSender = { LambdaVersion: 'V1_0', LambdaArn: v('CustomSMSSender') };
    if (v('KMSKeyID')) lambdaConfig.KMSKeyID = v('KMSKeyID');
    if (v('InboundFederation')) lambdaConfig.InboundFederation = { LambdaVersion: 'V1_0', LambdaArn: v('InboundFederation') };
    // Members of LambdaConfig the form does not show stay as they are.
    const shown = new Set([...SIMPLE.map(([k]) => k), 'PreTokenGeneration', 'PreTokenGenerationConfig', 'CustomEmailSender', 'CustomSMSSender', 'KMSKeyID', 'InboundFederation']);
    const known = Object.keys(idpModel.shapes.LambdaConfigType?.members ?? {});
    for (const k of known) if (!shown.has(k) && pool.LambdaConfig?.[k] !== undefined) lambdaConfig[k] = pool.LambdaConfig[k];
    await ctx.call('UpdateUserPool', carryOver('UpdateUserPoolRequest', pool, { UserPoolId: poolId, PoolName: undefined, UserPoolTags: undefined, LambdaConfig: lambdaConfig }));
    return ctx.done(`${poolUrl(poolId)}/triggers`, 'Triggers saved.');
  });

  r.post('/admin/pools/:pool/triggers/secret', async (ctx) => {
    const pool = await ctx.app.pools.get(ctx.req.params.pool);
    return triggersPage(ctx, await ctx.app.triggers.webhookSecrets.get(pool.id));
  });

  r.post('/admin/pools/:pool/triggers/secret/rotate', async (ctx) => {
    const pool = await ctx.app.pools.get(ctx.req.params.pool);
    return triggersPage(ctx, await ctx.app.triggers.webhookSecrets.rotate(pool.id));
  });
}
