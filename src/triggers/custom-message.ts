// CustomMessage: CustomMessage_<trigger> for every message Tessera sends (SignUp, ResendCode,
// ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, AdminCreateUser, Authentication),
// plugged in as Messages.composer. The function never sees the code: it gets placeholders and
// returns texts holding them; Tessera fills them afterwards.
//   request   userAttributes, codeParameter "{####}", linkParameter null (no link verification
//             yet), usernameParameter "{username}" for AdminCreateUser else null, clientMetadata
//   response  smsMessage, emailMessage, emailSubject; null keeps the pool's template
// A returned message without "{####}" (or, for AdminCreateUser, "{username}"), or an e-mail
// over 20,000 characters, is InvalidLambdaResponseException.
import { InvalidLambdaResponseException } from '../errors.js';
import { fillTemplate, templatesFor, type ComposedMessage, type MessageComposer, type MessageContext } from '../messaging/messages.js';
import { envelope, optString, responseOf, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';

const CODE = '{####}';
const USERNAME = '{username}';
const MAX_EMAIL_CHARS = 20_000;
const looksLikeHtml = (s: string) => /<[a-z][\s\S]*>/i.test(s);

export async function composeCustomMessage(runner: TriggerRunner, ctx: MessageContext, fallback: MessageComposer): Promise<ComposedMessage> {
  if (!runner.has(ctx.pool, 'CustomMessage')) return fallback(ctx);
  const invite = ctx.trigger === 'AdminCreateUser';
  const event = envelope({
    pool: ctx.pool,
    triggerSource: `CustomMessage_${ctx.trigger}`,
    userName: ctx.user.username,
    clientId: ctx.clientId,
    request: {
      userAttributes: userAttributes(ctx.pool, { id: ctx.user.sub ?? '', attributes: ctx.user.attributes, status: ctx.user.status ?? 'UNCONFIRMED' }),
      codeParameter: CODE,
      linkParameter: null,
      usernameParameter: invite ? USERNAME : null,
      clientMetadata: ctx.clientMetadata,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  const r = responseOf(await runner.invoke(ctx.pool, 'CustomMessage', event));
  const pool = templatesFor(ctx.pool, ctx.trigger);
  const checked = (v: unknown, limit?: number) => {
    const s = optString(v);
    if (s === undefined) return undefined;
    if (!s.includes(CODE) || (invite && !s.includes(USERNAME)) || (limit && [...s].length > limit)) {
      throw new InvalidLambdaResponseException(invite ? 'Invalid lambda function output : the message must contain {####} and {username}' : 'Invalid lambda function output : the message must contain {####}');
    }
    return s;
  };
  const t: ComposedMessage = {
    emailSubject: optString(r.emailSubject) ?? pool.emailSubject,
    emailMessage: checked(r.emailMessage, MAX_EMAIL_CHARS) ?? pool.emailMessage,
    smsMessage: checked(r.smsMessage) ?? pool.smsMessage,
  };
  const name = ctx.user.displayName;
  return {
    emailSubject: fillTemplate(t.emailSubject, ctx.code, name),
    emailMessage: fillTemplate(t.emailMessage, ctx.code, name, looksLikeHtml(t.emailMessage)),
    smsMessage: fillTemplate(t.smsMessage, ctx.code, name),
  };
}
