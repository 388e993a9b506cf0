// What the sync tests share: SDK clients (cognito-sync, cognito-identity) pointed at a test server,
// identity pools and identities made through the real cognito-identity API, an identity's own
// temporary credentials from GetCredentialsForIdentity, and raw SigV4-signed requests for what
// the SDK does not show (headers, status codes, the change stream).
import assert from 'node:assert/strict';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand, type RecordPatch } from '@aws-sdk/client-cognito-sync';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { ADMIN, type TestServer } from '../../support/server.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function syncClient(s: TestServer, credentials: AwsCredentials = ADMIN): CognitoSyncClient {
  return new CognitoSyncClient({ region: s.config.region, endpoint: s.url, credentials, maxAttempts: 1 });
}

export function identityClient(s: TestServer): CognitoIdentityClient {
  return new CognitoIdentityClient({ region: s.config.region, endpoint: s.url, credentials: ADMIN, maxAttempts: 1 });
}

/** A new identity pool that lets guests in and gives them a role (so they can get credentials). */
export async function createIdentityPool(s: TestServer, name = 'sync_test'): Promise<string> {
  const ci = identityClient(s);
  try {
    const pool = await ci.send(new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: true }));
    await ci.send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId: pool.IdentityPoolId!,
        Roles: { unauthenticated: 'arn:aws:iam::000000000000:role/sync-guest', authenticated: 'arn:aws:iam::000000000000:role/sync-user' },
      }),
    );
    return pool.IdentityPoolId!;
  } finally {
    ci.destroy();
  }
}

/** A new guest identity of the pool (GetId, unsigned). */
export async function createIdentity(s: TestServer, poolId: string): Promise<string> {
  const ci = identityClient(s);
  try {
    return (await ci.send(new GetIdCommand({ IdentityPoolId: poolId }))).IdentityId!;
  } finally {
    ci.destroy();
  }
}

/** The identity's own temporary credentials, as an app gets them from GetCredentialsForIdentity. */
export async function credentialsOf(s: TestServer, identityId: string): Promise<AwsCredentials> {
  const ci = identityClient(s);
  try {
    const r = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId }));
    return { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretKey!, sessionToken: r.Credentials!.SessionToken };
  } finally {
    ci.destroy();
  }
}

export interface DatasetRef {
  IdentityPoolId: string;
  IdentityId: string;
  DatasetName: string;
}

/** One sync round of a device: ListRecords for the session token, then UpdateRecords. */
export async function push(c: CognitoSyncClient, ds: DatasetRef, patches: RecordPatch[], deviceId?: string) {
  const { SyncSessionToken } = await c.send(new ListRecordsCommand(ds));
  return c.send(new UpdateRecordsCommand({ ...ds, SyncSessionToken, RecordPatches: patches, DeviceId: deviceId }));
}

/** Asserts the promise fails with the exception `name` (and HTTP status, when given). */
export async function rejectsWith(p: Promise<unknown>, name: string, status?: number): Promise<Error> {
  let caught: (Error & { $metadata?: { httpStatusCode?: number } }) | undefined;
  await assert.rejects(p, (e: Error) => {
    caught = e;
    return true;
  });
  assert.equal(caught!.name, name, `expected ${name}, got ${caught!.name}: ${caught!.message}`);
  if (status !== undefined) assert.equal(caught!.$metadata?.httpStatusCode, status);
  return caught!;
}

/** A SigV4-signed request (service cognito-sync) with fetch: for headers, raw bodies and streams. */
export async function signedFetch(
  s: TestServer,
  method: string,
  path: string,
  opts: { query?: Record<string, string>; body?: string; credentials?: AwsCredentials; signal?: AbortSignal } = {},
): Promise<Response> {
  const url = new URL(s.url);
  const headers: Record<string, string> = { host: url.host };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const request = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: opts.query ?? {},
    headers,
    body: opts.body,
  });
  const signer = new SignatureV4({
    service: 'cognito-sync',
    region: s.config.region,
    sha256: Sha256,
    credentials: opts.credentials ?? ADMIN,
  });
  const signed = await signer.sign(request);
  const qs = new URLSearchParams(opts.query ?? {}).toString();
  return fetch(`${s.url}${path}${qs ? `?${qs}` : ''}`, {
    method,
    headers: signed.headers as Record<string, string>,
    body: opts.body,
    signal: opts.signal,
  });
}

/** The path of an identity's dataset, with the `:` of the ids percent-encoded as clients send them. */
export function datasetPath(ds: DatasetRef): string {
  return `/identitypools/${encodeURIComponent(ds.IdentityPoolId)}/identities/${encodeURIComponent(ds.IdentityId)}/datasets/${encodeURIComponent(ds.DatasetName)}`;
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Opens the stream and waits for its `ready` event. */
export async function openStream(s: TestServer, query: Record<string, string>, credentials?: AwsCredentials) {
  const abort = new AbortController();
  const r = await signedFetch(s, 'GET', '/sync/events', { query, credentials, signal: abort.signal });
  assert.equal(r.status, 200, `stream refused: ${r.status} ${r.status === 200 ? '' : await r.text()}`);
  assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = r.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseEvent[] = [];
  const next = async (timeoutMs = 5000): Promise<SseEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ev = queue.shift();
      if (ev) return ev;
      const cut = buffer.indexOf('\n\n');
      if (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event) queue.push({ event, data: data === undefined ? undefined : JSON.parse(data) });
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no event in time');
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no event in time')), left))),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error('stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  assert.equal((await next()).event, 'ready');
  return { next, close: () => abort.abort() };
}
