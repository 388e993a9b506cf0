// The hosted UI in a real browser (Debian's chromium through playwright-core) with a real OIDC
// relying party (openid-client 6): discovery against the pool's issuer, authorization code with
// PKCE where a person types the username and password and presses Enter, the token exchange,
// userInfo, refresh, revocation and logout; SSO across two clients and prompt=login; the host
// form of the domain. SQLite only: code-flow.test.ts covers the database paths on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { hasChromium } from './browser.js';
import { PASSWORD, hostedUiFixture, type HostedUiFixture } from './hosted-ui-fixture.js';

describe('hosted UI in chromium with openid-client', { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
  let f: HostedUiFixture;
  before(async () => {
    f = await hostedUiFixture();
  });
  after(() => f?.close());

  test('discovery, code + PKCE typed into the login page, tokens, userInfo, refresh, revocation, logout', async () => {
    const config = await f.rp(f.web.clientId);
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, `${f.s.url}/${f.o.poolId}`);
    assert.equal(meta.authorization_endpoint, `${f.o.base}/oauth2/authorize`);
    assert.equal(meta.token_endpoint, `${f.o.base}/oauth2/token`);

    const checks = await f.startLogin(config);
    assert.equal(await f.b.page.title(), 'Sign in – web');
    await f.b.shot('signin');
    await f.typeCredentials('alice', 'not-the-Passw0rd!');
    await f.b.page.getByRole('alert').waitFor();
    assert.match(await f.b.page.getByRole('alert').innerText(), /Incorrect username or password/);
    await f.b.shot('signin-error');
    await f.typeCredentials('alice', PASSWORD);
    const back = await f.callback();

    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: checks.verifier, expectedState: checks.state, expectedNonce: checks.nonce });
    const claims = tokens.claims()!;
    assert.equal(claims.aud, f.web.clientId);
    assert.equal(claims['cognito:username'], 'alice');
    const jwks = createRemoteJWKSet(new URL(meta.jwks_uri!));
    await jwtVerify(tokens.id_token!, jwks, { issuer: meta.issuer, audience: f.web.clientId });
    await jwtVerify(tokens.access_token, jwks, { issuer: meta.issuer });

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.email, 'alice@example.com');
    assert.equal(info.name, 'Alice');

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    await client.tokenRevocation(config, tokens.refresh_token!);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token!), (e: Error & { error?: string }) => e.error === 'invalid_grant');

    await f.b.page.goto(client.buildEndSessionUrl(config, { client_id: f.web.clientId, logout_uri: f.app.signedOut }).toString());
    assert.equal((await f.callback()).toString(), f.app.signedOut);
    await f.startLogin(config);
    assert.ok(f.b.page.url().includes('/login?'), 'signed out: the form again');
  });

  test('SSO: a second client gets a code without the password; prompt=login shows the form', async () => {
    const first = await f.rp(f.web.clientId);
    await f.startLogin(first);
    await f.typeCredentials('alice', PASSWORD);
    await f.callback();
    const second = await f.rp(f.other.clientId);
    const checks = await f.startLogin(second);
    const back = await f.callback();
    const tokens = await client.authorizationCodeGrant(second, back, { pkceCodeVerifier: checks.verifier, expectedState: checks.state, expectedNonce: checks.nonce });
    assert.equal(tokens.claims()!.aud, f.other.clientId);
    await f.startLogin(second, { prompt: 'login' });
    await f.b.page.getByLabel('Password', { exact: true }).waitFor();
    await f.b.page.goto(`${f.o.base}/logout`);
    await f.b.page.getByRole('heading', { name: 'Signed out' }).waitFor();
    await f.b.shot('signed-out');
  });

  test('the host form: <prefix>.auth.<region>.localhost serves the same pages and flow', async () => {
    const origin = `http://${f.o.prefix}.auth.us-east-1.localhost:${f.s.port}`;
    const q = new URLSearchParams({ response_type: 'code', client_id: f.web.clientId, redirect_uri: f.app.callback, scope: 'openid', state: 'host-form' });
    await f.b.page.goto(`${origin}/oauth2/authorize?${q}`);
    assert.ok(f.b.page.url().startsWith(`${origin}/login?`), f.b.page.url());
    await f.typeCredentials('alice', PASSWORD);
    const back = await f.callback();
    assert.equal(back.searchParams.get('state'), 'host-form');
    const res = await fetch(`${f.o.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: f.web.clientId, code: back.searchParams.get('code')!, redirect_uri: f.app.callback }),
    });
    assert.equal(res.status, 200);
  });
});
