// Composes the messages Cognito sends (verification and reset codes, invitations, sign-in
// codes) from a pool's templates and hands them to the e-mail or SMS sender.
//
// `compose` is the one place a message's text is decided. The CustomMessage trigger plugs in
// there later: replace `Messages.composer` with a function that asks the Lambda and falls back
// to `composeFromTemplates`. Its event names follow the trigger sources (CustomMessage_SignUp...).
import type { UserPool } from '../userpools/pools.js';
import type { UserStatus } from '../userpools/user.js';
import type { EmailSender, SmsSender } from './senders.js';

/** Why a message is sent: the CustomMessage trigger sources, without their prefix. */
export type MessageTrigger =
  | 'SignUp'
  | 'ResendCode'
  | 'ForgotPassword'
  | 'UpdateUserAttribute'
  | 'VerifyUserAttribute'
  | 'AdminCreateUser'
  | 'Authentication';

export type DeliveryMedium = 'EMAIL' | 'SMS';

export interface MessageContext {
  pool: UserPool;
  trigger: MessageTrigger;
  /** The user as the message names them: `{username}` is `displayName`. (sub and status: for triggers.) */
  user: { username: string; displayName: string; attributes: Record<string, string>; sub?: string; status?: UserStatus };
  /** The app client of the request (triggers' callerContext); none for admin operations. */
  clientId?: string;
  /** The code, or the temporary password of an invitation: what `{####}` becomes. */
  code: string;
  clientMetadata?: Record<string, string>;
  /** The medium the message goes by, when known (the CustomMessage trigger checks only its text). */
  medium?: DeliveryMedium;
  /**
   * The confirmation link of a sign-up e-mail in a CONFIRM_WITH_LINK pool: what `{##text##}`
   * becomes (`<a href="link">text</a>`). Set by Messages.deliver; without it the code is sent.
   */
  link?: string;
}

/** The three texts a message may be sent as; the medium picks one. */
export interface ComposedMessage {
  emailSubject: string;
  emailMessage: string;
  smsMessage: string;
}

export type MessageComposer = (ctx: MessageContext) => Promise<ComposedMessage>;

// Cognito's defaults for pools that set no template.
const DEFAULT_CODE = 'Your verification code is {####}. ';
const DEFAULT_CODE_SUBJECT = 'Your verification code';
const DEFAULT_LINK = 'Please click the link below to verify your email address. {##Verify Email##} ';
const DEFAULT_LINK_SUBJECT = 'Your verification link';
/** Whether the pool confirms sign-ups by a link in the e-mail instead of a code. */
export const confirmsWithLink = (pool: UserPool) => pool.settings.VerificationMessageTemplate?.DefaultEmailOption === 'CONFIRM_WITH_LINK';
/** The messages a CONFIRM_WITH_LINK pool sends as a link: the sign-up confirmation ones, by e-mail. */
const LINK_TRIGGERS = new Set<MessageTrigger>(['SignUp', 'ResendCode']);
const DEFAULT_INVITE = 'Your username is {username} and temporary password is {####}. ';
const DEFAULT_INVITE_SUBJECT = 'Your temporary password';
const DEFAULT_AUTH = 'Your authentication code is {####}. ';

/**
 * The pool's templates for a trigger, with Cognito's fallbacks (template, legacy field, default).
 * `link`: a sign-up e-mail of a CONFIRM_WITH_LINK pool, whose e-mail texts are the ByLink ones.
 */
export function templatesFor(pool: UserPool, trigger: MessageTrigger, link = false): ComposedMessage {
  const s = pool.settings;
  if (trigger === 'AdminCreateUser') {
    const t = s.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
    return {
      emailSubject: t.EmailSubject ?? DEFAULT_INVITE_SUBJECT,
      emailMessage: t.EmailMessage ?? DEFAULT_INVITE,
      smsMessage: t.SMSMessage ?? DEFAULT_INVITE,
    };
  }
  if (trigger === 'Authentication') {
    // Sign-in codes: e-mail from SetUserPoolMfaConfig's EmailMfaConfiguration, SMS from SmsAuthenticationMessage.
    const sms = s.SmsAuthenticationMessage ?? DEFAULT_AUTH;
    const email = s.EmailMfaConfiguration ?? {};
    return { emailSubject: email.Subject ?? DEFAULT_CODE_SUBJECT, emailMessage: email.Message ?? sms, smsMessage: sms };
  }
  // Codes (sign-up, resend, reset, attribute verification) share the verification template; a
  // CONFIRM_WITH_LINK pool's sign-up e-mails carry a link instead (SMS keeps the code).
  const t = s.VerificationMessageTemplate ?? {};
  if (link && LINK_TRIGGERS.has(trigger)) {
    return {
      emailSubject: t.EmailSubjectByLink ?? DEFAULT_LINK_SUBJECT,
      emailMessage: t.EmailMessageByLink ?? DEFAULT_LINK,
      smsMessage: t.SmsMessage ?? s.SmsVerificationMessage ?? DEFAULT_CODE,
    };
  }
  return {
    emailSubject: t.EmailSubject ?? s.EmailVerificationSubject ?? DEFAULT_CODE_SUBJECT,
    emailMessage: t.EmailMessage ?? s.EmailVerificationMessage ?? DEFAULT_CODE,
    smsMessage: t.SmsMessage ?? s.SmsVerificationMessage ?? DEFAULT_CODE,
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const looksLikeHtml = (s: string) => /<[a-z][\s\S]*>/i.test(s);

/**
 * Fills `{####}` and `{username}` in one pass (so a username holding `{####}` stays text). In
 * an HTML e-mail the username is escaped: it is user input. With `link`, `{##text##}` becomes a
 * link to it with that text (the message is then HTML, so the username is escaped).
 */
export function fillTemplate(template: string, code: string, username: string, html = false, link?: string): string {
  const name = html || link ? escapeHtml(username) : username;
  return template.replace(/\{####\}|\{username\}|\{##([^#]+)##\}/g, (m, text: string | undefined) => {
    if (m === '{####}') return code;
    if (m === '{username}') return name;
    // The link text is the template's (the administrator's): escaped only in a plain-text template.
    return link ? `<a href="${escapeHtml(link)}">${html ? (text ?? '') : escapeHtml(text ?? '')}</a>` : m;
  });
}

/** The default composer: the pool's templates with their placeholders filled. */
export async function composeFromTemplates(ctx: MessageContext): Promise<ComposedMessage> {
  const t = templatesFor(ctx.pool, ctx.trigger, ctx.link !== undefined);
  const name = ctx.user.displayName;
  return {
    emailSubject: fillTemplate(t.emailSubject, ctx.code, name),
    emailMessage: fillTemplate(t.emailMessage, ctx.code, name, looksLikeHtml(t.emailMessage), ctx.link),
    smsMessage: fillTemplate(t.smsMessage, ctx.code, name),
  };
}

/**
 * A destination as Cognito shows it in CodeDeliveryDetails: e-mail `a***@e***`, phone
 * `+*******6789` (last four digits).
 */
export function maskDestination(medium: DeliveryMedium, value: string): string {
  if (medium === 'SMS') return `+${'*'.repeat(Math.max(value.length - 5, 1))}${value.slice(-4)}`;
  const at = value.lastIndexOf('@');
  const first = (s: string) => [...s][0] ?? '';
  return `${first(value.slice(0, Math.max(at, 0)))}***@${first(value.slice(at + 1))}***`;
}

export class Messages {
  /** Decides a message's text. The CustomMessage trigger replaces it (see the file comment). */
  composer: MessageComposer = composeFromTemplates;
  /**
   * Hands a message to the pool's custom sender trigger instead (CustomEmailSender /
   * CustomSMSSender); true when it did, and then nothing is composed or sent here.
   */
  customSender?: (ctx: MessageContext, medium: DeliveryMedium, to: string) => Promise<boolean>;
  /** Told of each send that failed, before the error goes on (the log export); must not throw. */
  onFailure?: (ctx: MessageContext, medium: DeliveryMedium, error: Error) => void;
  /** The base URL of the pool's hosted UI (its /confirmUser page), undefined without a domain. */
  hostedBase?: (poolId: string) => Promise<string | undefined>;

  constructor(
    readonly email: EmailSender,
    readonly sms: SmsSender,
  ) {}

  /** The message for `ctx`, from the current composer. */
  compose(ctx: MessageContext): Promise<ComposedMessage> {
    return this.composer(ctx);
  }

  /**
   * Composes and sends one message to `to` by `medium`. Errors of the sender propagate: the
   * caller decides what a failed delivery means for its operation.
   */
  async deliver(ctx: MessageContext, medium: DeliveryMedium, to: string): Promise<void> {
    if (await this.customSender?.(ctx, medium, to)) return;
    const link = medium === 'EMAIL' ? await this.confirmationLink(ctx) : undefined;
    const m = await this.compose({ ...ctx, medium, ...(link ? { link } : {}) });
    try {
      if (medium === 'SMS') {
        await this.sms.send({ poolId: ctx.pool.id, to, body: m.smsMessage });
        return;
      }
      const from = ctx.pool.settings.EmailConfiguration?.From;
      await this.email.send({ poolId: ctx.pool.id, to, subject: m.emailSubject, body: m.emailMessage, ...(from ? { from } : {}) });
    } catch (e) {
      this.onFailure?.(ctx, medium, e as Error);
      throw e;
    }
  }

  /**
   * A sign-up e-mail's confirmation link in a CONFIRM_WITH_LINK pool, as Cognito's:
   * `<hosted UI>/confirmUser?client_id=…&user_name=…&confirmation_code=…`. Undefined (the code is
   * sent) for other messages, without an app client, or when the pool has no domain to link to.
   */
  private async confirmationLink(ctx: MessageContext): Promise<string | undefined> {
    if (!LINK_TRIGGERS.has(ctx.trigger) || !confirmsWithLink(ctx.pool) || !ctx.clientId) return undefined;
    // The domain cannot be read: the code goes out instead (the message is not lost for a link).
    const base = await this.hostedBase?.(ctx.pool.id).catch(() => undefined);
    if (!base) return undefined;
    const q = new URLSearchParams({ client_id: ctx.clientId, user_name: ctx.user.username, confirmation_code: ctx.code });
    return `${base}/confirmUser?${q}`;
  }
}
