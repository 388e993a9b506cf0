// Codes and invitations through real SMTP: a local smtp-server sink receives what Tessera sends
// when TESSERA_SMTP_URL is set. Also what a failed delivery means: the user is kept (as Cognito
// keeps it), the operation answers CodeDeliveryFailureException, and a resend works later.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, codeIn, email, poolAndClient, rejectsWith } from './support.js';

interface Received {
  to: string[];
  raw: string;
}

/** A local SMTP sink; `refuse` makes it reject every recipient (a broken mail relay). */
async function startSink(opts: { refuse?: () => boolean } = {}) {
  const mails: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.refuse?.()) return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        waiters.splice(0).forEach((w) => w());
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  /** The first mail to `to`, waiting for it to arrive. */
  async function mailTo(to: string, timeoutMs = 5000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = mails.find((x) => x.to.includes(to));
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
  return { url: `smtp://127.0.0.1:${port}`, mails, mailTo, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const subjectOf = (raw: string) => /^Subject: (.*)$/m.exec(raw)?.[1];

for (const engine of engines) {
  describe(`codes by SMTP (${engine})`, () => {
    let sink: Awaited<ReturnType<typeof startSink>>;
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    let refusing = false;
    before(async () => {
      sink = await startSink({ refuse: () => refusing });
      s = await startServer({ engine, env: { TESSERA_SMTP_URL: sink.url, TESSERA_SMTP_FROM: 'accounts@tessera.test' } });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
      await sink.close();
    });

    test('the code in the received mail confirms the user', async () => {
      const { poolId, clientId } = await poolAndClient(s, {
        VerificationMessageTemplate: { EmailSubject: 'Confirm your account', EmailMessage: 'Your code: {####}' },
      });
      const to = email('smtp');
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'mailed', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
      const mail = await sink.mailTo(to);
      assert.equal(subjectOf(mail.raw), 'Confirm your account');
      assert.match(mail.raw, /^From: accounts@tessera\.test/m);
      const code = codeIn(mail.raw);
      // Nothing went to the dev outbox: SMTP is the e-mail channel now.
      assert.equal((await s.app.store.outbox.list(to)).length, 0);
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'mailed', ConfirmationCode: code }));
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'mailed' }));
      assert.equal(u.UserStatus, 'CONFIRMED');
      assert.equal(u.UserAttributes!.find((a) => a.Name === 'email_verified')?.Value, 'true');
    });

    test('an HTML invitation arrives with the username and temporary password filled in', async () => {
      const { poolId } = await poolAndClient(s, {
        AdminCreateUserConfig: {
          InviteMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: '<p>User <b>{username}</b>, password <i>{####}</i></p>' },
        },
      });
      const to = email('invite');
      await s.idp.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'html<user>', TemporaryPassword: 'Temp0rary!', UserAttributes: [{ Name: 'email', Value: to }], DesiredDeliveryMediums: ['EMAIL'] }),
      );
      const mail = await sink.mailTo(to);
      assert.match(mail.raw, /Content-Type: text\/html/i);
      const body = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      assert.match(body, /<b>html&lt;user&gt;<\/b>/);
      assert.match(body, /<i>Temp0rary!<\/i>/);
    });

    test('when the mail relay refuses, SignUp keeps the user and answers CodeDeliveryFailureException; a later resend works', async () => {
      const { poolId, clientId } = await poolAndClient(s);
      const to = email('refused');
      refusing = true;
      try {
        await rejectsWith(
          pub.send(new SignUpCommand({ ClientId: clientId, Username: 'unlucky', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] })),
          'CodeDeliveryFailureException',
        );
        const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'unlucky' }));
        assert.equal(u.UserStatus, 'UNCONFIRMED');
        await rejectsWith(pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'unlucky' })), 'CodeDeliveryFailureException');
      } finally {
        refusing = false;
      }
      await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'unlucky' }));
      const code = codeIn((await sink.mailTo(to)).raw);
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'unlucky', ConfirmationCode: code }));
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'unlucky' }))).UserStatus, 'CONFIRMED');
    });
  });
}
