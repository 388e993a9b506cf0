// Local stand-ins for Google, Facebook, Login with Amazon and Sign in with Apple, each speaking its
// provider's real protocol on the real paths, so Tessera's fixed endpoints can be pointed at them
// with TESSERA_IDENTITY_PROVIDER_ENDPOINTS (see `endpointOverrides`). Each checks what the real one
// checks: the client id (and secret, or Apple's ES256 client_secret JWT signed with the registered
// key), that redirect_uri is registered and the same at the token endpoint as at authorize, that a
// code is used once and in time, and that profile calls carry a live access token (Facebook: and
// its appsecret_proof). The "login page" is a form with `login` (the account's name) and a submit
// button; the accounts' attributes are set by the test.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SignJWT, exportJWK, exportPKCS8, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';

type Claims = Record<string, unknown>;

interface Pending {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce?: string;
  scope: string[];
}

interface Code extends Pending {
  login: string;
  exp: number;
  used: boolean;
}

export interface SocialIdp {
  /** `http://127.0.0.1:<port>`: every real origin of the provider maps here. */
  origin: string;
  /** The real origins this double stands in for. */
  realOrigins: string[];
  clientId: string;
  clientSecret: string;
  /** Registered redirect URIs (Tessera's /oauth2/idpresponse): set by the test. */
  redirectUris: string[];
  /** Attributes of each account, by login name. */
  accounts: Map<string, Claims>;
  /** Why the last refused request was refused (for assertions). */
  refusals: string[];
  close(): Promise<void>;
}

export interface AppleIdp extends SocialIdp {
  teamId: string;
  keyId: string;
  /** The developer's .p8 key (PKCS #8 PEM) Tessera signs its client_secret with. */
  privateKeyPem: string;
  /** Sign the next ID tokens with a key that is not in the JWKS (same kid). */
  forgeSignature: boolean;
}

/** TESSERA_IDENTITY_PROVIDER_ENDPOINTS for these doubles. */
export function endpointOverrides(...idps: SocialIdp[]): string {
  const map: Record<string, string> = {};
  for (const idp of idps) for (const o of idp.realOrigins) map[o] = idp.origin;
  return JSON.stringify(map);
}

// ---------------------------------------------------------------------------------------------
// The shared machinery: an HTTP server, pending authorizations, codes, access tokens.

interface Base {
  server: Server;
  origin: string;
  pending: Map<string, Pending>;
  codes: Map<string, Code>;
  tokens: Map<string, { login: string; clientId: string; scope: string[] }>;
  refusals: string[];
  redirectUris: string[];
  accounts: Map<string, Claims>;
}

type Handler = (req: IncomingMessage, url: URL, body: URLSearchParams, res: ServerResponse) => Promise<void> | void;

async function serve(routes: Record<string, Handler>): Promise<Base> {
  const base: Base = { server: undefined as unknown as Server, origin: '', pending: new Map(), codes: new Map(), tokens: new Map(), refusals: [], redirectUris: [], accounts: new Map() };
  base.server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base.origin);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(raw) : new URLSearchParams();
    const route = routes[`${req.method} ${url.pathname}`];
    try {
      if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      await route(req, url, body, res);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    }
  });
  await new Promise<void>((resolve) => base.server.listen(0, '127.0.0.1', resolve));
  base.origin = `http://127.0.0.1:${(base.server.address() as { port: number }).port}`;
  return base;
}

function close(base: Base): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      base.server.close(() => resolve());
      base.server.closeAllConnections();
    });
}

/** The test's handle on a double: its origin, client and the shared state of its Base. */
function handle(base: Base, realOrigins: string[], clientId: string, clientSecret: string): SocialIdp {
  return { origin: base.origin, realOrigins, clientId, clientSecret, redirectUris: base.redirectUris, accounts: base.accounts, refusals: base.refusals, close: close(base) };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!DOCTYPE html><html><head><title>provider</title></head><body>${body}</body></html>`);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Authorize: client and redirect URI checked (an error page, never a redirect, when wrong), then the login form. */
function authorize(base: Base, clientId: string, check: (url: URL) => string | undefined, scopeSeparator: RegExp): Handler {
  return (_req, url, _body, res) => {
    const q = url.searchParams;
    const refuse = (why: string) => {
      base.refusals.push(why);
      html(res, 400, `<h1>Error</h1><p>${esc(why)}</p>`);
    };
    if (q.get('client_id') !== clientId) return refuse('invalid_client: unknown client_id');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!base.redirectUris.includes(redirectUri)) return refuse('redirect_uri_mismatch');
    if (q.get('response_type') !== 'code') return refuse('unsupported_response_type');
    const extra = check(url);
    if (extra) return refuse(extra);
    const id = randomBytes(12).toString('hex');
    base.pending.set(id, { clientId, redirectUri, state: q.get('state') ?? '', nonce: q.get('nonce') ?? undefined, scope: (q.get('scope') ?? '').split(scopeSeparator).filter(Boolean) });
    html(
      res,
      200,
      `<h1>Sign in</h1><form method="post" action="/__login"><input type="hidden" name="pending" value="${id}">` +
        `<label>Account <input name="login"></label><label>Password <input name="password" type="password"></label><button type="submit">Continue</button></form>`,
    );
  };
}

/** The login form's POST: a code for the account, handed back as `deliver` says. */
function login(base: Base, deliver: (res: ServerResponse, p: Pending, code: string, login: string) => void): Handler {
  return (_req, _url, body, res) => {
    const p = base.pending.get(body.get('pending') ?? '');
    const name = body.get('login') ?? '';
    if (!p || !base.accounts.has(name)) return html(res, 400, '<p>Unknown account</p>');
    base.pending.delete(body.get('pending')!);
    const code = randomBytes(16).toString('base64url');
    base.codes.set(code, { ...p, login: name, exp: Date.now() + 5 * 60_000, used: false });
    deliver(res, p, code, name);
  };
}

function redirectWithCode(res: ServerResponse, p: Pending, code: string) {
  const to = new URL(p.redirectUri);
  to.searchParams.set('code', code);
  to.searchParams.set('state', p.state);
  res.writeHead(302, { location: to.toString() }).end();
}

/** Redeems a code once: the same client and redirect URI as at authorize, not expired. */
function redeem(base: Base, code: string | null, clientId: string, redirectUri: string | null): Code | string {
  const c = code ? base.codes.get(code) : undefined;
  if (!c) return 'unknown code';
  if (c.used) return 'code already used';
  c.used = true;
  if (c.clientId !== clientId) return 'code issued to another client';
  if (c.redirectUri !== redirectUri) return 'redirect_uri differs from the authorization request';
  if (Date.now() > c.exp) return 'code expired';
  return c;
}

/** client_id / client_secret from the form or HTTP Basic. */
function clientCredentials(req: IncomingMessage, body: URLSearchParams): { id: string | null; secret: string | null } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: body.get('client_id'), secret: body.get('client_secret') };
}

/**
 * A token request authenticated by client id and secret (form or Basic) redeeming a code: the code,
 * or undefined once the provider's error (with its own error_description texts) is answered.
 */
function tokenRequest(
  base: Base,
  req: IncomingMessage,
  body: URLSearchParams,
  res: ServerResponse,
  clientId: string,
  clientSecret: string,
  texts: { invalidClient: string; invalidGrant: string },
): Code | undefined {
  const cred = clientCredentials(req, body);
  if (cred.id !== clientId || cred.secret !== clientSecret) {
    base.refusals.push('invalid_client');
    json(res, 401, { error: 'invalid_client', error_description: texts.invalidClient });
    return undefined;
  }
  if (body.get('grant_type') !== 'authorization_code') {
    json(res, 400, { error: 'unsupported_grant_type' });
    return undefined;
  }
  const c = redeem(base, body.get('code'), clientId, body.get('redirect_uri'));
  if (typeof c === 'string') {
    base.refusals.push(c);
    json(res, 400, { error: 'invalid_grant', error_description: texts.invalidGrant });
    return undefined;
  }
  return c;
}

function bearer(base: Base, req: IncomingMessage): { login: string; clientId: string; scope: string[] } | undefined {
  const auth = req.headers.authorization ?? '';
  const m = /^bearer (.+)$/i.exec(auth);
  return m ? base.tokens.get(m[1]) : undefined;
}

function newAccessToken(base: Base, c: Code, prefix = ''): string {
  const t = prefix + randomBytes(24).toString('base64url');
  base.tokens.set(t, { login: c.login, clientId: c.clientId, scope: c.scope });
  return t;
}

type SigningKey = Awaited<ReturnType<typeof signingKey>>;

async function signingKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, jwk };
}

/** An RS256 ID token of `claims` from `iss` to `aud`, issued at `now` (seconds), living `ttlSeconds`. */
function signIdToken(signer: SigningKey, claims: Claims, iss: string, aud: string, now: number, ttlSeconds: number, header: Record<string, string> = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: signer.jwk.kid, ...header })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(signer.privateKey);
}

// ---------------------------------------------------------------------------------------------

/** Google: OIDC authorize, token (client_secret_post or Basic), RS256 ID tokens, JWKS, People API. */
export async function startGoogle(): Promise<SocialIdp> {
  const clientId = '123456789-tessera.apps.googleusercontent.com';
  const clientSecret = `GOCSPX-${randomBytes(12).toString('hex')}`;
  const key = await signingKey(`g-${randomBytes(4).toString('hex')}`);
  const routes: Record<string, Handler> = {};
  const base = await serve(routes);
  routes['GET /o/oauth2/v2/auth'] = authorize(base, clientId, (u) => ((u.searchParams.get('scope') ?? '').split(' ').includes('openid') ? undefined : 'invalid_scope: openid missing'), / /);
  routes['POST /__login'] = login(base, (res, p, code) => redirectWithCode(res, p, code));
  routes['POST /oauth2/v4/token'] = async (req, _url, body, res) => {
    const c = tokenRequest(base, req, body, res, clientId, clientSecret, { invalidClient: 'Unauthorized', invalidGrant: 'Bad Request' });
    if (!c) return;
    const account = base.accounts.get(c.login)!;
    const now = Math.floor(Date.now() / 1000);
    const idClaims: Claims = { azp: clientId, at_hash: randomBytes(8).toString('base64url'), sub: c.login, ...pick(account, ['email', 'email_verified', 'name', 'given_name', 'family_name', 'picture', 'locale']) };
    if (c.nonce) idClaims.nonce = c.nonce;
    const idToken = await signIdToken(key, idClaims, 'https://accounts.google.com', clientId, now, 3600, { typ: 'JWT' });
    json(res, 200, { access_token: newAccessToken(base, c, 'ya29.'), expires_in: 3599, scope: c.scope.join(' '), token_type: 'Bearer', id_token: idToken });
  };
  routes['GET /oauth2/v3/certs'] = (_req, _url, _body, res) => json(res, 200, { keys: [key.jwk] });
  routes['GET /v1/people/me'] = (req, url, _body, res) => {
    const t = bearer(base, req);
    if (!t) return json(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
    const fields = (url.searchParams.get('personFields') ?? '').split(',').filter(Boolean);
    if (!fields.length) return json(res, 400, { error: { code: 400, message: 'personFields mask is required.', status: 'INVALID_ARGUMENT' } });
    const people = (base.accounts.get(t.login)!.people ?? {}) as Record<string, string>;
    const out: Claims = { resourceName: `people/${t.login}`, etag: randomBytes(6).toString('hex') };
    for (const f of fields) if (people[f] !== undefined) out[f] = [{ metadata: { primary: true, source: { type: 'PROFILE' } }, value: people[f] }];
    json(res, 200, out);
  };
  return handle(base, ['https://accounts.google.com', 'https://www.googleapis.com', 'https://people.googleapis.com', 'https://oauth2.googleapis.com'], clientId, clientSecret);
}

/** Facebook: the OAuth dialog, GET oauth/access_token, Graph API /me with appsecret_proof. */
export async function startFacebook(version = 'v17.0'): Promise<SocialIdp> {
  const clientId = String(100000000000000 + Math.floor(Math.random() * 1e12));
  const clientSecret = randomBytes(16).toString('hex');
  const routes: Record<string, Handler> = {};
  const base = await serve(routes);
  const graphError = (res: ServerResponse, status: number, message: string, code: number) => json(res, status, { error: { message, type: 'OAuthException', code, fbtrace_id: randomBytes(6).toString('hex') } });
  routes[`GET /${version}/dialog/oauth`] = authorize(base, clientId, () => undefined, /[\s,]+/);
  routes['POST /__login'] = login(base, (res, p, code) => redirectWithCode(res, p, code));
  routes[`GET /${version}/oauth/access_token`] = (_req, url, _body, res) => {
    const q = url.searchParams;
    if (q.get('client_id') !== clientId || q.get('client_secret') !== clientSecret) {
      base.refusals.push('invalid client_secret');
      return graphError(res, 400, 'Error validating client secret.', 1);
    }
    const c = redeem(base, q.get('code'), clientId, q.get('redirect_uri'));
    if (typeof c === 'string') {
      base.refusals.push(c);
      return graphError(res, 400, c === 'redirect_uri differs from the authorization request' ? 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request' : 'This authorization code has been used.', 100);
    }
    json(res, 200, { access_token: newAccessToken(base, c, 'EAA'), token_type: 'bearer', expires_in: 5183944 });
  };
  routes[`GET /${version}/me`] = (_req, url, _body, res) => {
    const q = url.searchParams;
    const token = q.get('access_token') ?? '';
    const t = base.tokens.get(token);
    if (!t) return graphError(res, 400, 'Invalid OAuth access token - Cannot parse access token', 190);
    const proof = createHmac('sha256', clientSecret).update(token).digest('hex');
    if (q.get('appsecret_proof') !== proof) {
      base.refusals.push('appsecret_proof');
      return graphError(res, 400, 'Invalid appsecret_proof provided in the API argument', 100);
    }
    const account = base.accounts.get(t.login)!;
    const fields = (q.get('fields') ?? 'id,name').split(',').filter(Boolean);
    const out: Claims = {};
    for (const f of fields) {
      if (f === 'id') out.id = t.login;
      else if (f === 'email' && !t.scope.includes('email')) continue;
      else if (account[f] !== undefined) out[f] = account[f];
    }
    json(res, 200, out);
  };
  return handle(base, ['https://www.facebook.com', 'https://graph.facebook.com'], clientId, clientSecret);
}

/** Login with Amazon: /ap/oa, POST /auth/o2/token, GET /user/profile (bearer). */
export async function startAmazon(): Promise<SocialIdp> {
  const clientId = `amzn1.application-oa2-client.${randomBytes(16).toString('hex')}`;
  const clientSecret = `amzn1.oa2-cs.v1.${randomBytes(24).toString('hex')}`;
  const routes: Record<string, Handler> = {};
  const base = await serve(routes);
  routes['GET /ap/oa'] = authorize(base, clientId, (u) => ((u.searchParams.get('scope') ?? '').split(' ').some((s) => ['profile', 'profile:user_id', 'postal_code'].includes(s)) ? undefined : 'invalid_scope'), / /);
  routes['POST /__login'] = login(base, (res, p, code) => redirectWithCode(res, p, code));
  routes['POST /auth/o2/token'] = (req, _url, body, res) => {
    const c = tokenRequest(base, req, body, res, clientId, clientSecret, {
      invalidClient: 'Client authentication failed',
      invalidGrant: 'The request has an invalid grant parameter : code',
    });
    if (!c) return;
    json(res, 200, { access_token: newAccessToken(base, c, 'Atza|'), refresh_token: `Atzr|${randomBytes(24).toString('base64url')}`, token_type: 'bearer', expires_in: 3600 });
  };
  routes['GET /user/profile'] = (req, _url, _body, res) => {
    const t = bearer(base, req);
    if (!t) return json(res, 401, { error: 'invalid_token', error_description: 'The request has an invalid parameter : access_token' });
    const account = base.accounts.get(t.login)!;
    const out: Claims = { user_id: t.login };
    if (t.scope.includes('profile')) Object.assign(out, pick(account, ['name', 'email']));
    if (t.scope.includes('postal_code') && account.postal_code !== undefined) out.postal_code = account.postal_code;
    json(res, 200, out);
  };
  return handle(base, ['https://www.amazon.com', 'https://api.amazon.com'], clientId, clientSecret);
}

/**
 * Sign in with Apple: /auth/authorize (form_post required with scopes), the answer POSTed by an
 * auto-submitting form (`user` JSON on the first authorization of an account by the client only),
 * /auth/token authenticating the client by its ES256 client_secret JWT, RS256 ID tokens, /auth/keys.
 */
export async function startApple(): Promise<AppleIdp> {
  const clientId = 'com.example.tessera.web';
  const teamId = 'TEAM123456';
  const keyId = 'KEY7654321';
  const developer = await generateKeyPair('ES256', { extractable: true });
  const privateKeyPem = await exportPKCS8(developer.privateKey);
  const developerPublic = await importJWK(await exportJWK(developer.publicKey), 'ES256');
  const key = await signingKey(`a-${randomBytes(4).toString('hex')}`);
  const forged = await signingKey(key.jwk.kid!);
  const authorized = new Set<string>();
  const routes: Record<string, Handler> = {};
  const base = await serve(routes);
  const idp: AppleIdp = { ...handle(base, ['https://appleid.apple.com'], clientId, ''), teamId, keyId, privateKeyPem, forgeSignature: false };
  routes['GET /auth/authorize'] = authorize(
    base,
    clientId,
    (u) => ((u.searchParams.get('scope') ?? '') !== '' && u.searchParams.get('response_mode') !== 'form_post' ? 'invalid_request: response_mode must be form_post when name or email scope is requested' : undefined),
    / /,
  );
  routes['POST /__login'] = login(base, (res, p, code, name) => {
    const fields: Record<string, string> = { state: p.state, code };
    const first = !authorized.has(`${p.clientId}|${name}`);
    authorized.add(`${p.clientId}|${name}`);
    const account = base.accounts.get(name)!;
    if (first && p.scope.length) {
      const user: Claims = {};
      if (p.scope.includes('name')) user.name = { firstName: account.firstName, lastName: account.lastName };
      if (p.scope.includes('email')) user.email = account.email;
      fields.user = JSON.stringify(user);
    }
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`)
      .join('');
    html(res, 200, `<form id="answer" method="post" action="${esc(p.redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form><script>document.getElementById('answer').submit()</script>`);
  });
  routes['POST /auth/token'] = async (_req, _url, body, res) => {
    const refuse = (why: string, error: string) => {
      base.refusals.push(why);
      json(res, 400, { error });
    };
    if (body.get('client_id') !== clientId) return refuse('unknown client_id', 'invalid_client');
    try {
      const { payload, protectedHeader } = await jwtVerify(body.get('client_secret') ?? '', developerPublic, { issuer: teamId, audience: 'https://appleid.apple.com', subject: clientId, algorithms: ['ES256'], requiredClaims: ['iat', 'exp'] });
      if (protectedHeader.kid !== keyId) return refuse('client_secret kid', 'invalid_client');
      if ((payload.exp ?? 0) - (payload.iat ?? 0) > 15777000) return refuse('client_secret lives too long', 'invalid_client');
    } catch (e) {
      return refuse(`client_secret: ${(e as Error).message}`, 'invalid_client');
    }
    if (body.get('grant_type') !== 'authorization_code') return refuse('grant_type', 'unsupported_grant_type');
    const c = redeem(base, body.get('code'), clientId, body.get('redirect_uri'));
    if (typeof c === 'string') return refuse(c, 'invalid_grant');
    const account = base.accounts.get(c.login)!;
    const now = Math.floor(Date.now() / 1000);
    const claims: Claims = { sub: c.login, at_hash: randomBytes(8).toString('base64url'), auth_time: now, nonce_supported: true };
    if (c.scope.includes('email') && account.email) {
      claims.email = account.email;
      claims.email_verified = account.email_verified ?? 'true';
      if (account.is_private_email !== undefined) claims.is_private_email = account.is_private_email;
    }
    if (c.nonce) claims.nonce = c.nonce;
    const signer = idp.forgeSignature ? forged : key;
    const idToken = await signIdToken(signer, claims, 'https://appleid.apple.com', clientId, now, 600);
    json(res, 200, { access_token: newAccessToken(base, c), token_type: 'Bearer', expires_in: 3600, refresh_token: randomBytes(24).toString('hex'), id_token: idToken });
  };
  routes['GET /auth/keys'] = (_req, _url, _body, res) => json(res, 200, { keys: [key.jwk] });
  return idp;
}

function pick(o: Claims, keys: string[]): Claims {
  const out: Claims = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
