// CustomMessage: CustomMessage_<trigger> for every message Tessera sends (SignUp, ResendCode,
// ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, AdminCreateUser, Authentication),
// plugged in as Messages.composer. The function never sees the code: it gets placeholders and
// returns texts holding them; Tessera fills them afterwards.
//   request   userAttributes, codeParameter "{####}", linkParameter "{##Click Here##}" for a
//             sign-up e-mail that confirms by link (CONFIRM_WITH_LINK) else null,
//             usernameParameter "{username}" for AdminCreateUser else null, clientMetadata
//   response  smsMessage, emailMessage, emailSubject; null keeps the pool's template
// The text of the medium the message goes by must hold "{####}" (a link e-mail: "{####}" or a
// {##text##} link placeholder, so a function may build its own link around the code; for
// AdminCreateUser also "{username}") and an e-mail be at most 20,000 characters: otherwise an
// invitation is sent from the pool's template, and any other message is
// InvalidLambdaResponseException.
import { InvalidLambdaResponseException } from '../errors.js';
import { fillTemplate, templatesFor, type ComposedMessage, type DeliveryMedium, type MessageComposer, type MessageContext } from '../messaging/messages.js';
import { envelope, optString, responseOf, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';

const CODE = '{####}';
const USERNAME = '{username}';
const LINK = '{##Click Here##}';
const HAS_LINK = /\{##[^#]+##\}/;
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
      linkParameter: ctx.link ? LINK : null,
      usernameParameter: invite ? USERNAME : null,
      clientMetadata: ctx.clientMetadata,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  const r = responseOf(await runner.invoke(ctx.pool, 'CustomMessage', event));
  const pool = templatesFor(ctx.pool, ctx.trigger, ctx.link !== undefined);
  /** What the text must hold for its medium: the code, or in a link e-mail the link. */
  const holdsSecret = (s: string, medium: DeliveryMedium) => s.includes(CODE) || (medium === 'EMAIL' && ctx.link !== undefined && HAS_LINK.test(s));
  // Only the text of the medium the message goes by is checked (all of them when it is not
  // known). A text without its placeholders: an invitation falls back to the pool's template (the
  // user exists by then, and an error would leave the administrator unsure of it); any other
  // message is refused, as a code the user never sees would be.
  const checked = (v: unknown, medium: DeliveryMedium, fallback: string, limit?: number) => {
    const s = optString(v);
    if (s === undefined || (ctx.medium && ctx.medium !== medium)) return s ?? fallback;
    if (holdsSecret(s, medium) && (!invite || s.includes(USERNAME)) && !(limit && [...s].length > limit)) return s;
    if (invite) return fallback;
    throw new InvalidLambdaResponseException(`Invalid lambda function output : the message must contain ${medium === 'EMAIL' && ctx.link ? '{####} or a {##link text##} placeholder' : CODE}`);
  };
  const emailMessage = checked(r.emailMessage, 'EMAIL', pool.emailMessage, MAX_EMAIL_CHARS);
  // An invitation whose body was refused goes out as the pool's template, subject included.
  const refused = optString(r.emailMessage) !== undefined && emailMessage === pool.emailMessage && optString(r.emailMessage) !== pool.emailMessage;
  const t: ComposedMessage = {
    emailSubject: (refused ? undefined : optString(r.emailSubject)) ?? pool.emailSubject,
    emailMessage,
    smsMessage: checked(r.smsMessage, 'SMS', pool.smsMessage),
  };
  const name = ctx.user.displayName;
  return {
    emailSubject: fillTemplate(t.emailSubject, ctx.code, name),
    emailMessage: fillTemplate(t.emailMessage, ctx.code, name, looksLikeHtml(t.emailMessage), ctx.link),
    smsMessage: fillTemplate(t.smsMessage, ctx.code, name),
  };
}
