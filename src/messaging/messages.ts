// Composes the messages Cognito sends (codes, invitations) from a pool's templates and hands
// them to the e-mail or SMS sender. (Filled in by the messaging work of the core issue.)
import type { EmailSender, SmsSender } from './senders.js';

export class Messages {
  constructor(
    readonly email: EmailSender,
    readonly sms: SmsSender,
  ) {}
}
