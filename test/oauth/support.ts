// Shared set-up of the OAuth tests: a pool with a domain, OAuth app clients and users made
// through the AWS SDK; a small PNG made here; PKCE values; a fetch that does not follow
// redirects; and helpers to read forms and cookies the way a browser would.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { deflateSync } from 'node:zlib';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  type CreateUserPoolClientRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';

export const PASSWORD = 'Hosted-UI-t3st!';

export async function refused(p: Promise<unknown>, name: string) {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, e.message);
    return true;
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A real PNG: a coloured band with a lighter square, `width` x `height`. */
export function makePng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const inner = x > width / 3 && x < (2 * width) / 3 && y > height / 4 && y < (3 * height) / 4;
      const [r, g, b] = inner ? rgb.map((v) => Math.min(255, v + 120)) : rgb;
      row.set([r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

export const PNG_LOGO = new Uint8Array(makePng(120, 40, [45, 106, 79]));

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface OAuthSetup {
  poolId: string;
  prefix: string;
  /** `${url}/_domain/<prefix>` */
  base: string;
}

/** A pool with a prefix domain and a resource server `https://api.example.test` (read, write). */
export async function seedOAuthPool(s: TestServer, pool: { PoolName?: string; UsernameAttributes?: ('email' | 'phone_number')[]; AutoVerifiedAttributes?: ('email' | 'phone_number')[] } = {}): Promise<OAuthSetup> {
  const poolId = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'hosted', ...pool }))).UserPool!.Id!;
  const prefix = `t${randomBytes(5).toString('hex')}`;
  await s.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  await s.idp.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'https://api.example.test',
      Name: 'api',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'read' },
        { ScopeName: 'write', ScopeDescription: 'write' },
      ],
    }),
  );
  return { poolId, prefix, base: `${s.url}/_domain/${prefix}` };
}

export const CALLBACK = 'http://localhost:5999/callback';
export const LOGOUT = 'http://localhost:5999/signed-out';

/** A code-flow client (public unless `GenerateSecret`), with the standard scopes and the API's read scope. */
export async function seedWebClient(s: TestServer, poolId: string, extra: Partial<CreateUserPoolClientRequest> = {}): Promise<{ clientId: string; secret?: string }> {
  const r = await s.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code', 'implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin', 'https://api.example.test/read'],
      CallbackURLs: [CALLBACK],
      LogoutURLs: [LOGOUT],
      SupportedIdentityProviders: ['COGNITO'],
      ...extra,
    }),
  );
  return { clientId: r.UserPoolClient!.ClientId!, secret: r.UserPoolClient!.ClientSecret };
}

/** A client-credentials client allowed both API scopes. */
export async function seedMachineClient(s: TestServer, poolId: string): Promise<{ clientId: string; secret: string }> {
  const r = await s.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'm2m',
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['https://api.example.test/read', 'https://api.example.test/write'],
    }),
  );
  return { clientId: r.UserPoolClient!.ClientId!, secret: r.UserPoolClient!.ClientSecret! };
}

/** A CONFIRMED user with PASSWORD (or, with `temporary`, a FORCE_CHANGE_PASSWORD one). */
export async function seedUser(s: TestServer, poolId: string, username: string, attributes: Record<string, string> = {}, opts: { temporary?: boolean } = {}) {
  await s.idp.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: opts.temporary ? PASSWORD : undefined,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  if (!opts.temporary) await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
}

/** fetch without following redirects. */
export function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', ...init });
}

/** POST application/x-www-form-urlencoded. */
export function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** `name=value` pairs of the Set-Cookie headers, as a Cookie header. */
export function cookiesOf(res: Response, previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((c) => c.split('=') as [string, string]));
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (value === '' || /max-age=0/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The value of a hidden input in a page. */
export function hiddenField(html: string, name: string): string | undefined {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return m?.[1]?.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The action of the first form in a page, resolved against the page's URL. */
export function formAction(html: string, pageUrl: string): string {
  const m = /<form[^>]*action="([^"]*)"/.exec(html);
  assert.ok(m, 'the page has a form');
  return new URL(m[1].replace(/&amp;/g, '&'), pageUrl).toString();
}

/** A GET with a chosen Host header (fetch does not let one set it). */
export function getWithHost(port: number, host: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
