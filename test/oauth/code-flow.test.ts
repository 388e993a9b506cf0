// The authorization-code flow through plain HTTP, as a browser without JavaScript would drive
// it, and the endpoints around it: the token endpoint's refusals (PKCE, reuse, expiry, client
// authentication, scopes), userInfo by scope, refresh, revocation, logout, SSO between clients,
// prompt=login / prompt=none, CSRF, redirect URI checks. On every engine.
import { UpdateResourceServerCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { ManualClock } from '../../src/clock.js';
import { engines, startServer, type TestServer } from '../support/server.js';
import {
  CALLBACK,
  LOGOUT,
  PASSWORD,
  cookiesOf,
  formAction,
  get,
  hiddenField,
  pkce,
  postForm,
  seedMachineClient,
  seedOAuthPool,
  seedUser,
  seedWebClient,
  type OAuthSetup,
} from './support.js';

interface Browser {
  cookies: string;
}

/** Follows /oauth2/authorize to the login form (or straight to the callback), like a browser. */
async function authorizeUrl(o: OAuthSetup, clientId: string, extra: Record<string, string> = {}): Promise<string> {
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, state: 'st-1', ...extra });
  return `${o.base}/oauth2/authorize?${q}`;
}

/** GET authorize; returns the final response after internal redirects (not the callback). */
async function open(b: Browser, url: string): Promise<{ res: Response; url: string; html?: string }> {
  for (let i = 0; i < 5; i++) {
    const res = await get(url, { headers: { cookie: b.cookies } });
    b.cookies = cookiesOf(res, b.cookies);
    const loc = res.headers.get('location');
    if (res.status === 302 && loc && !loc.startsWith(CALLBACK) && !loc.startsWith('http://localhost:5999')) {
      url = new URL(loc, url).toString();
      continue;
    }
    return { res, url, html: res.status === 302 ? undefined : await res.text() };
  }
  throw new Error('too many redirects');
}

async function submit(b: Browser, page: { url: string; html?: string }, fields: Record<string, string>, opts: { csrf?: boolean } = {}) {
  const action = formAction(page.html!, page.url);
  const body = { ...(opts.csrf === false ? {} : { _csrf: hiddenField(page.html!, '_csrf')! }), ...fields };
  const res = await postForm(action, body, { cookie: b.cookies });
  b.cookies = cookiesOf(res, b.cookies);
  return { res, url: action, html: res.status === 302 ? undefined : await res.text() };
}

function callbackParams(res: Response): URLSearchParams {
  assert.equal(res.status, 302, `expected a redirect, got ${res.status}`);
  const loc = res.headers.get('location')!;
  assert.ok(loc.startsWith(CALLBACK), loc);
  return new URL(loc).searchParams;
}

function basic(id: string, secret: string) {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

for (const engine of engines) {
  describe(`OAuth code flow over HTTP (${engine})`, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let clock: ManualClock;
    let web: { clientId: string };
    let conf: { clientId: string; secret?: string };
    let m2m: { clientId: string; secret: string };
    before(async () => {
      clock = new ManualClock();
      s = await startServer({ engine, clock });
      o = await seedOAuthPool(s);
      web = await seedWebClient(s, o.poolId);
      conf = await seedWebClient(s, o.poolId, { GenerateSecret: true, ClientName: 'confidential' });
      m2m = await seedMachineClient(s, o.poolId);
      await seedUser(s, o.poolId, 'alice', { email: 'alice@example.com', email_verified: 'true', name: 'Alice' });
      await seedUser(s, o.poolId, 'mallory');
      await seedUser(s, o.poolId, 'newbie', {}, { temporary: true });
      // (Tests move the clock; everything that needs SigV4 happens here, before they do.)
    });
    after(() => s.close());

    async function signIn(clientId: string, extra: Record<string, string> = {}) {
      const b: Browser = { cookies: '' };
      const page = await open(b, await authorizeUrl(o, clientId, extra));
      assert.equal(page.res.status, 200);
      const r = await submit(b, page, { username: 'alice', password: PASSWORD });
      return { b, params: callbackParams(r.res) };
    }

    test('code + PKCE: login form, code on the callback with state, tokens with nonce and at_hash, userInfo', async () => {
      const { verifier, challenge } = pkce();
      const { params } = await signIn(web.clientId, { code_challenge: challenge, code_challenge_method: 'S256', nonce: 'n-123', scope: 'openid email' });
      assert.equal(params.get('state'), 'st-1');
      const res = await postForm(`${o.base}/oauth2/token`, {
        grant_type: 'authorization_code',
        client_id: web.clientId,
        code: params.get('code')!,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const tokens = (await res.json()) as Record<string, string>;
      assert.equal(tokens.token_type, 'Bearer');
      assert.ok(tokens.refresh_token);
      const jwks = createRemoteJWKSet(new URL(`${s.url}/${o.poolId}/.well-known/jwks.json`));
      const { payload: id } = await jwtVerify(tokens.id_token, jwks, { issuer: `${s.url}/${o.poolId}`, audience: web.clientId, currentDate: new Date(clock.now()) });
      assert.equal(id.nonce, 'n-123');
      const hash = createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url');
      assert.equal(id.at_hash, hash);
      assert.equal(decodeJwt(tokens.access_token).scope, 'openid email');
      const info = await fetch(`${o.base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(info.status, 200);
      const claims = (await info.json()) as Record<string, string>;
      assert.equal(claims.email, 'alice@example.com');
      assert.equal(claims.email_verified, 'true');
      assert.equal(claims.username, 'alice');
      assert.equal(claims.name, undefined, 'name needs the profile scope');
    });

    async function codeFor(clientId: string, extra: Record<string, string> = {}) {
      return (await signIn(clientId, extra)).params.get('code')!;
    }
    const exchange = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      postForm(`${o.base}/oauth2/token`, { grant_type: 'authorization_code', redirect_uri: CALLBACK, ...fields }, headers);
    async function oauthError(res: Response, status: number, error: string) {
      assert.equal(res.status, status);
      const body = (await res.json()) as { error: string; error_description: string };
      assert.equal(body.error, error, body.error_description);
    }

    test('a wrong PKCE verifier, a missing one, a reused code and an expired code are invalid_grant', async () => {
      const { challenge } = pkce();
      const code = await codeFor(web.clientId, { code_challenge: challenge, code_challenge_method: 'S256' });
      await oauthError(await exchange({ client_id: web.clientId, code, code_verifier: pkce().verifier }), 400, 'invalid_grant');
      await oauthError(await exchange({ client_id: web.clientId, code }), 400, 'invalid_grant');

      const once = await codeFor(web.clientId);
      assert.equal((await exchange({ client_id: web.clientId, code: once })).status, 200);
      await oauthError(await exchange({ client_id: web.clientId, code: once }), 400, 'invalid_grant');

      const late = await codeFor(web.clientId);
      clock.advance(5 * 60_000 + 1000);
      await oauthError(await exchange({ client_id: web.clientId, code: late }), 400, 'invalid_grant');

      const elsewhere = await codeFor(web.clientId);
      await oauthError(await exchange({ client_id: web.clientId, code: elsewhere, redirect_uri: 'http://localhost:5999/other' }), 400, 'invalid_grant');
      await oauthError(await exchange({ client_id: conf.clientId, client_secret: conf.secret!, code: elsewhere }), 400, 'invalid_grant');
    });

    test('client authentication: Basic or body; a wrong or missing secret is invalid_client', async () => {
      const code = await codeFor(conf.clientId);
      await oauthError(await exchange({ code }, { authorization: basic(conf.clientId, 'wrong-secret') }), 401, 'invalid_client');
      await oauthError(await exchange({ client_id: conf.clientId, code }), 401, 'invalid_client');
      await oauthError(await exchange({ client_id: conf.clientId, client_secret: `${conf.secret}x`, code }), 401, 'invalid_client');
      await oauthError(await exchange({ client_id: 'nosuchclient', code }), 401, 'invalid_client');
      const ok = await exchange({ code }, { authorization: basic(conf.clientId, conf.secret!) });
      assert.equal(ok.status, 200);
      const again = await codeFor(conf.clientId);
      assert.equal((await exchange({ client_id: conf.clientId, client_secret: conf.secret!, code: again })).status, 200);
      await oauthError(await postForm(`${o.base}/oauth2/token`, { grant_type: 'password', client_id: web.clientId }), 400, 'unsupported_grant_type');
    });

    test('authorize refusals: unregistered redirect URI or unknown client get the error page and no redirect; bad scope and flow go back with an error', async () => {
      const wrongRedirect = await get(`${o.base}/oauth2/authorize?response_type=code&client_id=${web.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`);
      assert.equal(wrongRedirect.status, 400);
      assert.equal(wrongRedirect.headers.get('location'), null);
      assert.match(await wrongRedirect.text(), /redirect_uri/);
      const unknown = await get(`${o.base}/oauth2/authorize?response_type=code&client_id=nosuchclient&redirect_uri=${encodeURIComponent(CALLBACK)}`);
      assert.equal(unknown.status, 400);
      assert.equal(unknown.headers.get('location'), null);
      const scope = await get(await authorizeUrl(o, web.clientId, { scope: 'openid https://api.example.test/write' }));
      const p = callbackParams(scope);
      assert.equal(p.get('error'), 'invalid_scope');
      assert.equal(p.get('state'), 'st-1');
      const plain = callbackParams(await get(await authorizeUrl(o, web.clientId, { code_challenge: pkce().challenge, code_challenge_method: 'plain' })));
      assert.equal(plain.get('error'), 'invalid_request');
      const idp = callbackParams(await get(await authorizeUrl(o, web.clientId, { identity_provider: 'Google' })));
      assert.equal(idp.get('error'), 'invalid_request');
      const cognito = await get(await authorizeUrl(o, web.clientId, { identity_provider: 'COGNITO' }));
      assert.match(cognito.headers.get('location')!, /\/login\?/);
    });

    test('a form posted without its CSRF token, or with another browser\'s, is refused', async () => {
      const b: Browser = { cookies: '' };
      const page = await open(b, await authorizeUrl(o, web.clientId));
      const bare = await submit(b, page, { username: 'alice', password: PASSWORD }, { csrf: false });
      assert.equal(bare.res.status, 403);
      assert.equal(bare.res.headers.get('location'), null);
      const other: Browser = { cookies: '' };
      const otherPage = await open(other, await authorizeUrl(o, web.clientId));
      const forged = await postForm(formAction(page.html!, page.url), { _csrf: hiddenField(otherPage.html!, '_csrf')!, username: 'alice', password: PASSWORD }, { cookie: b.cookies });
      assert.equal(forged.status, 403);
    });

    test('the page cookies are HttpOnly and SameSite=Lax, and the page has a strict CSP', async () => {
      const res = await get(`${o.base}/login?${new URLSearchParams({ response_type: 'code', client_id: web.clientId, redirect_uri: CALLBACK })}`);
      const csp = res.headers.get('content-security-policy')!;
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|script-src/);
      for (const c of res.headers.getSetCookie()) {
        assert.match(c, /HttpOnly/);
        assert.match(c, /SameSite=Lax/);
        assert.match(c, new RegExp(`Path=/_domain/${o.prefix}/`));
      }
    });

    test('SSO: a second client of the domain gets a code without the password; prompt=login asks again; prompt=none without a session is login_required', async () => {
      const { b } = await signIn(web.clientId);
      const second = await get(await authorizeUrl(o, conf.clientId), { headers: { cookie: b.cookies } });
      assert.ok(callbackParams(second).get('code'));
      const forced = await get(await authorizeUrl(o, conf.clientId, { prompt: 'login' }), { headers: { cookie: b.cookies } });
      assert.match(forced.headers.get('location')!, /\/login\?/);
      const page = await get(new URL(forced.headers.get('location')!, o.base).toString(), { headers: { cookie: b.cookies } });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /name="password"/);
      const silent = callbackParams(await get(await authorizeUrl(o, conf.clientId, { prompt: 'none' })));
      assert.equal(silent.get('error'), 'login_required');
      const silentOk = callbackParams(await get(await authorizeUrl(o, conf.clientId, { prompt: 'none' }), { headers: { cookie: b.cookies } }));
      assert.ok(silentOk.get('code'));
      const aged = await get(await authorizeUrl(o, conf.clientId, { max_age: '0' }), { headers: { cookie: b.cookies } });
      clock.advance(1000);
      assert.match(aged.headers.get('location')!, /code=|\/login\?/);
    });

    test('logout: exact logout_uri only, the session ends (a copy of its cookie too), redirect_uri signs in again', async () => {
      const { b } = await signIn(web.clientId);
      const kept = b.cookies;
      const wrong = await get(`${o.base}/logout?client_id=${web.clientId}&logout_uri=${encodeURIComponent('https://evil.example/')}`, { headers: { cookie: b.cookies } });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.headers.get('location'), null);
      const out = await get(`${o.base}/logout?client_id=${web.clientId}&logout_uri=${encodeURIComponent(LOGOUT)}`, { headers: { cookie: b.cookies } });
      assert.equal(out.status, 302);
      assert.equal(out.headers.get('location'), LOGOUT);
      assert.ok(out.headers.getSetCookie().some((c) => /^cognito=;.*Max-Age=0/.test(c)));
      const after = await get(await authorizeUrl(o, web.clientId), { headers: { cookie: kept } });
      assert.match(after.headers.get('location')!, /\/login\?/, 'the old session cookie no longer signs in');
      const again = await get(`${o.base}/logout?${new URLSearchParams({ client_id: web.clientId, redirect_uri: CALLBACK, response_type: 'code', state: 'x' })}`);
      assert.match(again.headers.get('location')!, /\/login\?.*redirect_uri=/);
    });

    test('refresh_token grant, then revocation: the refresh token and its access token stop working', async () => {
      const code = await codeFor(web.clientId, { scope: 'openid profile' });
      const tokens = (await (await exchange({ client_id: web.clientId, code })).json()) as Record<string, string>;
      const refreshed = await postForm(`${o.base}/oauth2/token`, { grant_type: 'refresh_token', client_id: web.clientId, refresh_token: tokens.refresh_token });
      assert.equal(refreshed.status, 200);
      const r = (await refreshed.json()) as Record<string, string>;
      assert.ok(r.access_token && r.id_token);
      assert.equal(r.refresh_token, undefined);
      const info = (await (await fetch(`${o.base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${r.access_token}` } })).json()) as Record<string, string>;
      assert.equal(info.name, 'Alice');
      assert.equal(info.email, undefined, 'email needs the email scope');
      const revoked = await postForm(`${o.base}/oauth2/revoke`, { client_id: web.clientId, token: tokens.refresh_token });
      assert.equal(revoked.status, 200);
      await oauthError(await postForm(`${o.base}/oauth2/token`, { grant_type: 'refresh_token', client_id: web.clientId, refresh_token: tokens.refresh_token }), 400, 'invalid_grant');
      const denied = await fetch(`${o.base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${r.access_token}` } });
      assert.equal(denied.status, 401);
      assert.match(denied.headers.get('www-authenticate')!, /invalid_token/);
      assert.equal((await postForm(`${o.base}/oauth2/revoke`, { client_id: web.clientId, token: 'not-a-token' })).status, 200);
      await oauthError(await postForm(`${o.base}/oauth2/revoke`, { client_id: web.clientId, token: tokens.access_token }), 400, 'unsupported_token_type');
    });

    test('client_credentials: custom scopes only, a token for the client verified against the JWKS', async () => {
      const res = await postForm(`${o.base}/oauth2/token`, { grant_type: 'client_credentials', scope: 'https://api.example.test/read' }, { authorization: basic(m2m.clientId, m2m.secret) });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
      const jwks = createRemoteJWKSet(new URL(`${s.url}/${o.poolId}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(body.access_token as string, jwks, { issuer: `${s.url}/${o.poolId}`, currentDate: new Date(clock.now()) });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(payload.sub, m2m.clientId);
      assert.equal(payload.client_id, m2m.clientId);
      assert.equal(payload.token_use, 'access');
      assert.equal(payload.scope, 'https://api.example.test/read');
      assert.equal(payload.username, undefined);
      assert.equal(payload.origin_jti, undefined);
      const all = (await (await postForm(`${o.base}/oauth2/token`, { grant_type: 'client_credentials', client_id: m2m.clientId, client_secret: m2m.secret })).json()) as Record<string, string>;
      assert.equal(decodeJwt(all.access_token).scope, 'https://api.example.test/read https://api.example.test/write');
      await oauthError(await postForm(`${o.base}/oauth2/token`, { grant_type: 'client_credentials', scope: 'openid' }, { authorization: basic(m2m.clientId, m2m.secret) }), 400, 'invalid_scope');
      await oauthError(await postForm(`${o.base}/oauth2/token`, { grant_type: 'client_credentials', scope: 'https://api.example.test/admin' }, { authorization: basic(m2m.clientId, m2m.secret) }), 400, 'invalid_scope');
      await oauthError(await postForm(`${o.base}/oauth2/token`, { grant_type: 'client_credentials' }, { authorization: basic(m2m.clientId, 'nope') }), 401, 'invalid_client');
      await oauthError(await postForm(`${o.base}/oauth2/token`, { grant_type: 'client_credentials', client_id: conf.clientId, client_secret: conf.secret! }), 400, 'unauthorized_client');
      // A scope its resource server no longer has is refused at once (the scope cache forgets it).
      const write = { grant_type: 'client_credentials', scope: 'https://api.example.test/write' };
      const server = { UserPoolId: o.poolId, Identifier: 'https://api.example.test', Name: 'api' };
      // Earlier tests moved the server's clock past SigV4's five minutes: sign as of the server's
      // time, as the SDK would after one refused attempt (it reads the Date header we send).
      s.idp.config.systemClockOffset = clock.now() - Date.now();
      await s.idp.send(new UpdateResourceServerCommand({ ...server, Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }));
      await oauthError(await postForm(`${o.base}/oauth2/token`, write, { authorization: basic(m2m.clientId, m2m.secret) }), 400, 'invalid_scope');
      await s.idp.send(new UpdateResourceServerCommand({ ...server, Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }, { ScopeName: 'write', ScopeDescription: 'write' }] }));
      assert.equal((await postForm(`${o.base}/oauth2/token`, write, { authorization: basic(m2m.clientId, m2m.secret) })).status, 200);
    });

    test('the hosted sign-in honours lockout: repeated wrong passwords lock the account for a while', async () => {
      const b: Browser = { cookies: '' };
      let page = await open(b, await authorizeUrl(o, web.clientId));
      for (let i = 0; i < 5; i++) {
        page = await submit(b, page, { username: 'mallory', password: 'wrong-Passw0rd!' });
        assert.equal(page.res.status, 400);
        assert.match(page.html!, /Incorrect username or password/);
      }
      page = await submit(b, page, { username: 'mallory', password: 'wrong-Passw0rd!' });
      page = await submit(b, page, { username: 'mallory', password: PASSWORD });
      assert.match(page.html!, /Password attempts exceeded/);
    });

    test('with PreventUserExistenceErrors an unknown user typed into the hosted page gets the usual refusal', async () => {
      // The stand-in's verifier is checked (on the crypto worker pool) as a real user's would be.
      const hiding = await seedWebClient(s, o.poolId, { ClientName: 'hiding', PreventUserExistenceErrors: 'ENABLED' });
      const b: Browser = { cookies: '' };
      const page = await open(b, await authorizeUrl(o, hiding.clientId));
      const refused = await submit(b, page, { username: 'nobody-at-all', password: PASSWORD });
      assert.equal(refused.res.status, 400);
      assert.match(refused.html!, /Incorrect username or password/);
      assert.doesNotMatch(refused.html!, /User does not exist/);
    });

    test('a user made by AdminCreateUser sets a new password on the hosted page, then gets a code', async () => {
      const b: Browser = { cookies: '' };
      const page = await open(b, await authorizeUrl(o, web.clientId));
      const change = await submit(b, page, { username: 'newbie', password: PASSWORD });
      assert.equal(change.res.status, 200);
      // The page is the NEW_PASSWORD_REQUIRED challenge: its Session and the username travel in the form.
      assert.match(change.html!, /name="session"/);
      const challenge = { session: hiddenField(change.html!, 'session')!, username: hiddenField(change.html!, 'username')!, required: hiddenField(change.html!, 'required') ?? '' };
      const mismatch = await submit(b, change, { ...challenge, password: 'Brand-new-passw0rd!', password2: 'different' });
      assert.equal(mismatch.res.status, 400);
      const done = await submit(b, change, { ...challenge, password: 'Brand-new-passw0rd!', password2: 'Brand-new-passw0rd!' });
      assert.ok(callbackParams(done.res).get('code'));
      const replay = await submit(b, change, { ...challenge, password: 'Other-new-passw0rd!', password2: 'Other-new-passw0rd!' });
      assert.equal(replay.res.status, 400, 'a new-password challenge is answered once');
    });

    test('pages speak German for Accept-Language: de', async () => {
      const res = await get(`${o.base}/login?${new URLSearchParams({ response_type: 'code', client_id: web.clientId, redirect_uri: CALLBACK })}`, { headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } });
      const html = await res.text();
      assert.match(html, /<html lang="de">/);
      assert.match(html, /Anmelden/);
      assert.match(html, /Passwort vergessen\?/);
    });
  });
}
