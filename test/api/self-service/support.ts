// Set-up of the self-service tests: a pool, a client and users made through the admin operations,
// access tokens from a real sign-in (AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH), codes read from
// the dev outbox, and a local SMTP sink for the tests where what is (not) mailed matters.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { publicClient, type TestServer } from '../../support/server.js';

export const PASSWORD = 'Self-serv1ce!';
export const NEW_PASSWORD = 'N3w-Self-serv1ce!';

export const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

export async function makePool(s: TestServer, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const r = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'self-service', AutoVerifiedAttributes: ['email'], ...input }));
  return r.UserPool!.Id!;
}

export async function makeClient(s: TestServer, poolId: string, input: Partial<CreateUserPoolClientCommandInput> = {}) {
  const r = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: [...FLOWS], ...input }));
  return { id: r.UserPoolClient!.ClientId!, secret: r.UserPoolClient!.ClientSecret };
}

/** A CONFIRMED user with PASSWORD (permanent). Returns the canonical username. */
export async function makeUser(s: TestServer, poolId: string, username: string, attributes: Record<string, string> = {}, password = PASSWORD) {
  const r = await s.idp.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: attrs(attributes) }),
  );
  await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
  return r.User!.Username!;
}

export interface Tokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken: string;
}

/** Signs in through AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH. */
export async function signIn(s: TestServer, poolId: string, clientId: string, username: string, password = PASSWORD): Promise<Tokens> {
  const r = await s.idp.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  const a = r.AuthenticationResult!;
  return { AccessToken: a.AccessToken!, IdToken: a.IdToken!, RefreshToken: a.RefreshToken! };
}

/** Signs in through InitiateAuth USER_PASSWORD_AUTH (unsigned, as an app does). */
export async function signInPublic(s: TestServer, clientId: string, username: string, password = PASSWORD, secretHash?: string): Promise<Tokens> {
  const api = publicClient(s.url);
  try {
    const r = await api.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password, ...(secretHash ? { SECRET_HASH: secretHash } : {}) },
      }),
    );
    const a = r.AuthenticationResult!;
    return { AccessToken: a.AccessToken!, IdToken: a.IdToken!, RefreshToken: a.RefreshToken! };
  } finally {
    api.destroy();
  }
}

export const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));
export const asRecord = (list: { Name?: string; Value?: string }[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name!, a.Value!]));

/** The six-digit code of the newest outbox message to `to` (fails when there is none). */
export async function lastCode(s: TestServer, to: string): Promise<string> {
  const [m] = await s.app.store.outbox.list(to);
  assert.ok(m, `no message to ${to}`);
  const code = /\b(\d{6})\b/.exec(m.body)?.[1];
  assert.ok(code, `no code in ${m.body}`);
  return code;
}

export const messagesTo = async (s: TestServer, to: string) => (await s.app.store.outbox.list(to)).length;

/** A different six-digit code. */
export const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** The name and message of a rejected call. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  assert.fail('expected the call to fail');
}

let n = 0;
/** A unique e-mail address. */
export const email = (tag = 'u') => `${tag}${++n}.${Date.now().toString(36)}@example.com`;

export interface Mail {
  to: string[];
  raw: string;
}

/** A local SMTP sink: every mail Tessera sends through TESSERA_SMTP_URL lands in `mails`. */
export async function startSmtpSink() {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** The code in the newest mail to `to` (the SMTP hand-over is done when the operation answers). */
    codeTo(to: string): string {
      const m = mails.filter((x) => x.to.includes(to)).at(-1);
      assert.ok(m, `no mail to ${to}`);
      const code = /\b(\d{6})\b/.exec(m.raw.split(/\r?\n\r?\n/).slice(1).join('\n'))?.[1];
      assert.ok(code, 'no code in the mail');
      return code;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
