// Where codes and invitations go. E-mail: SMTP through nodemailer when TESSERA_SMTP_URL is set,
// else the dev outbox. SMS: the dev outbox (a real gateway plugs in behind the same interface).
// The dev outbox logs each message (destination and subject only, never the body, which holds
// codes) and keeps it in the `outbox` table, readable at GET /_tessera/outbox with the admin
// credentials.
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { newUuid } from '../ids.js';
import type { Store } from '../store/store.js';

export interface EmailMessage {
  poolId?: string;
  to: string;
  subject: string;
  /** Plain text or HTML (the pool's templates may be either). */
  body: string;
  from?: string;
}

export interface SmsMessage {
  poolId?: string;
  to: string;
  body: string;
}

export interface EmailSender {
  send(msg: EmailMessage): Promise<void>;
}
export interface SmsSender {
  send(msg: SmsMessage): Promise<void>;
}

export class OutboxSender implements EmailSender, SmsSender {
  constructor(
    private readonly channel: 'email' | 'sms',
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async send(msg: EmailMessage | SmsMessage): Promise<void> {
    const subject = 'subject' in msg ? msg.subject : null;
    await this.store.outbox.add({
      id: newUuid(),
      channel: this.channel,
      pool_id: msg.poolId ?? null,
      destination: msg.to,
      subject,
      body: msg.body,
      created_at: this.clock.now(),
    });
    this.log.info({ outbox: this.channel, to: msg.to, subject }, 'message kept in the dev outbox (GET /_tessera/outbox)');
  }
}

export class SmtpSender implements EmailSender {
  private readonly transport: nodemailer.Transporter;

  constructor(
    url: string,
    private readonly defaultFrom: string,
  ) {
    const u = new URL(url);
    this.transport = nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
      secure: u.protocol === 'smtps:',
      ignoreTLS: u.protocol === 'smtp:' && u.searchParams.get('starttls') !== 'true',
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10000,
    });
  }

  async send(msg: EmailMessage): Promise<void> {
    const html = /<[a-z][\s\S]*>/i.test(msg.body);
    await this.transport.sendMail({
      from: msg.from ?? this.defaultFrom,
      to: msg.to,
      subject: msg.subject,
      ...(html ? { html: msg.body } : { text: msg.body }),
    });
  }

  close(): void {
    this.transport.close();
  }
}
