// Shared set-up of the user tests: pools and clients made through the SDK, the codes and
// invitations read back from the dev outbox (what a developer sees at GET /_tessera/outbox).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { OutboxRow } from '../../../src/store/schema.js';
import type { TestServer } from '../../support/server.js';

export const PASSWORD = 'Passw0rd!';

export async function newPool(s: TestServer, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const r = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'users', AutoVerifiedAttributes: ['email'], ...input }));
  return r.UserPool!.Id!;
}

export async function newClient(
  s: TestServer,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ id: string; secret?: string }> {
  const r = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...input }));
  return { id: r.UserPoolClient!.ClientId!, secret: r.UserPoolClient!.ClientSecret };
}

/** A pool (e-mail auto-verified unless overridden) and a public client of it. */
export async function poolAndClient(s: TestServer, pool: Partial<CreateUserPoolCommandInput> = {}, client: Partial<CreateUserPoolClientCommandInput> = {}) {
  const poolId = await newPool(s, pool);
  const c = await newClient(s, poolId, client);
  return { poolId, clientId: c.id, secret: c.secret };
}

/** Messages the dev outbox holds for `destination`, newest first. */
export const outboxFor = (s: TestServer, destination: string): Promise<OutboxRow[]> => s.app.store.outbox.list(destination);

/** The newest message to `destination` (fails when there is none). */
export async function lastMessage(s: TestServer, destination: string): Promise<OutboxRow> {
  const [m] = await outboxFor(s, destination);
  assert.ok(m, `no message to ${destination}`);
  return m;
}

/** The six-digit code in a message body. */
export function codeIn(body: string): string {
  const m = /\b(\d{6})\b/.exec(body);
  assert.ok(m, `no code in ${body}`);
  return m[1];
}

export const lastCode = async (s: TestServer, destination: string): Promise<string> => codeIn((await lastMessage(s, destination)).body);

/** SECRET_HASH as an app computes it. */
export const secretHashOf = (secret: string, username: string, clientId: string) =>
  createHmac('sha256', secret).update(username + clientId).digest('base64');

/** Awaits `p` and checks it fails with the exception `name` (and a message matching `message`). */
export async function rejectsWith(p: Promise<unknown>, name: string, message?: RegExp | string): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

let n = 0;
/** A unique e-mail address for a test. */
export const email = (tag = 'u') => `${tag}${++n}.${Date.now().toString(36)}@example.com`;
