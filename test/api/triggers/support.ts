// Set-up of the trigger tests: a Lambda Invoke API server (lambda-server.ts) and a Tessera that
// invokes it (TESSERA_LAMBDA_ENDPOINT), pools whose LambdaConfig names its functions, and
// helpers to read the user store back after each call.
import assert from 'node:assert/strict';
import {
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { startServer, type Engine, type TestServer } from '../../support/server.js';
import { arnOf, startLambdaServer, type LambdaServer } from './lambda-server.js';

export const PASSWORD = 'Corr3ct-Horse!';
export const ALL_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'] as const;

export interface TriggerWorld {
  s: TestServer;
  lambda: LambdaServer;
  close(): Promise<void>;
}

/** Tessera pointed at a fresh Lambda server; one attempt waits `timeoutMs` (short in tests). */
export async function startTriggerWorld(engine: Engine, opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<TriggerWorld> {
  const lambda = await startLambdaServer();
  const s = await startServer({ engine, env: { TESSERA_LAMBDA_ENDPOINT: lambda.url, ...opts.env } });
  s.app.triggers.limits.timeoutMs = opts.timeoutMs ?? 1000;
  return {
    s,
    lambda,
    async close() {
      await s.close();
      await lambda.close();
    },
  };
}

/** LambdaConfig naming the test server's functions: { PreSignUp: 'name' } -> the ARN of 'name'. */
export function lambdaConfig(names: Partial<Record<keyof LambdaConfigType, string>>): LambdaConfigType {
  return Object.fromEntries(Object.entries(names).map(([k, v]) => [k, /^https?:/.test(v!) ? v : arnOf(v!)])) as LambdaConfigType;
}

export async function makePool(s: TestServer, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const r = await s.idp.send(new CreateUserPoolCommand({ PoolName: `t${randomBytes(4).toString('hex')}`, AutoVerifiedAttributes: ['email'], ...input }));
  return r.UserPool!.Id!;
}

export async function makeClient(s: TestServer, poolId: string, input: Partial<CreateUserPoolClientCommandInput> = {}) {
  const r = await s.idp.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: [...ALL_FLOWS], ...input }),
  );
  return { id: r.UserPoolClient!.ClientId!, secret: r.UserPoolClient!.ClientSecret };
}

/** Usernames in the pool (the store read back through ListUsers). */
export async function usernames(s: TestServer, poolId: string): Promise<string[]> {
  const r = await s.idp.send(new ListUsersCommand({ UserPoolId: poolId }));
  return (r.Users ?? []).map((u) => u.Username!).sort();
}

export async function userOf(s: TestServer, poolId: string, username: string) {
  const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return { status: u.UserStatus, attributes: Object.fromEntries((u.UserAttributes ?? []).map((a) => [a.Name!, a.Value!])) };
}

/** The name and message of a rejected call. */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  assert.fail('expected the call to fail');
}

export const attrs = (m: Record<string, string>) => Object.entries(m).map(([Name, Value]) => ({ Name, Value }));
let n = 0;
export const email = (tag = 'u') => `${tag}${++n}.${Date.now().toString(36)}@example.com`;
