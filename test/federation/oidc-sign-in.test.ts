// Federated sign-in through an OIDC provider, end to end: chromium (playwright-core) goes from the
// app to Tessera's /oauth2/authorize?identity_provider=Upstream, on to panva's oidc-provider 8,
// signs in there, comes back through /oauth2/idpresponse and lands on the app with Tessera's
// code; openid-client redeems it and jose checks the tokens (cognito:username Provider_sub, the
// identities claim, the provider's group). Then the login page's provider button, a returning
// user, and the refusals: a forged state, a replayed callback, an expired upstream ID token, an
// unknown provider. SQLite only (the store paths run on both engines in providers.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, AdminGetUserCommand, AdminListUserAuthEventsCommand, CreateIdentityProviderCommand, DeleteIdentityProviderCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from '../oauth/browser.js';
import { appVisit, openLogin } from '../oauth/hosted-ui-fixture.js';
import { seedOAuthPool, seedWebClient, type OAuthSetup } from '../oauth/support.js';
import { startServer, type TestServer } from '../support/server.js';
import { startUpstream, type Upstream } from './upstream.js';

const insecure = { execute: [client.allowInsecureRequests] };

describe('OIDC federation in chromium with oidc-provider upstream', { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
  let s: TestServer;
  let o: OAuthSetup;
  let up: Upstream;
  let app: TestApp;
  let b: TestBrowser;
  let clientId: string;
  let seen = 0;
  const offset = { ms: 0 };

  before(async () => {
    s = await startServer({ engine: 'sqlite', clock: { now: () => Date.now() + offset.ms } });
    o = await seedOAuthPool(s);
    up = await startUpstream({ redirectUris: [`${o.base}/oauth2/idpresponse`], idTokenTtlSeconds: 120 });
    await s.idp.send(
      new CreateIdentityProviderCommand({
        UserPoolId: o.poolId,
        ProviderName: 'Upstream',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: up.clientId, client_secret: up.clientSecret, authorize_scopes: 'openid email profile', oidc_issuer: up.issuer, attributes_request_method: 'GET' },
        AttributeMapping: { email: 'email', name: 'name' },
      }),
    );
    app = await startApp();
    clientId = (await seedWebClient(s, o.poolId, { CallbackURLs: [app.callback], SupportedIdentityProviders: ['COGNITO', 'Upstream'] })).clientId;
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await app?.close();
    await up?.close();
    await s?.close();
  });

  const rp = () => client.discovery(new URL(`${s.url}/${o.poolId}`), clientId, undefined, client.None(), insecure);
  const callback = () => appVisit(app, b.page, seen++);
  const start = (config: client.Configuration, extra: Record<string, string> = {}) => openLogin(b.page, config, app.callback, extra);
  async function upstreamLogin(login: string) {
    await b.page.locator('input[name=login]').waitFor();
    assert.ok(b.page.url().startsWith(up.issuer), `at the upstream provider, not ${b.page.url()}`);
    await b.page.locator('input[name=login]').fill(login);
    await b.page.locator('input[name=password]').fill('anything');
    await b.page.locator('button[type=submit]').click();
  }

  test('identity_provider=Upstream: no Tessera page, upstream sign-in, Tessera tokens for Upstream_<sub>', async () => {
    up.accounts.set('u-1001', { email: 'fed@example.com', email_verified: true, name: 'Fed User' });
    const config = await rp();
    const checks = await start(config, { identity_provider: 'Upstream' });
    await upstreamLogin('u-1001');
    const back = await callback();
    assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: checks.verifier, expectedState: checks.state, expectedNonce: checks.nonce });
    const meta = config.serverMetadata();
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(meta.jwks_uri!)), { issuer: meta.issuer, audience: clientId });
    assert.equal(payload['cognito:username'], 'Upstream_u-1001');
    assert.equal(payload.email, 'fed@example.com');
    assert.equal(payload.name, 'Fed User');
    assert.deepEqual(payload['cognito:groups'], [`${o.poolId}_Upstream`]);
    const identities = payload.identities as Record<string, string | null>[];
    assert.equal(identities.length, 1);
    assert.equal(identities[0].userId, 'u-1001');
    assert.equal(identities[0].providerName, 'Upstream');
    assert.equal(identities[0].providerType, 'OIDC');
    assert.equal(identities[0].issuer, up.issuer);
    assert.equal(identities[0].primary, 'true');
    assert.match(identities[0].dateCreated!, /^\d{13}$/);

    const user = await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'Upstream_u-1001' }));
    assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
    assert.equal(JSON.parse(user.UserAttributes!.find((a) => a.Name === 'identities')!.Value!)[0].userId, 'u-1001');
    // The federated sign-in is audited as API sign-ins are (src/audit/hosted.ts).
    const events = await s.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: o.poolId, Username: 'Upstream_u-1001' }));
    assert.deepEqual(events.AuthEvents!.map((e) => `${e.EventType}:${e.EventResponse}`), ['SignIn:Pass']);
  });

  test('the login page shows the provider as a button; a returning user keeps its sub and gets new attributes', async () => {
    await b.context.clearCookies();
    up.accounts.set('u-1001', { email: 'fed2@example.com', email_verified: true, name: 'Fed User' });
    const config = await rp();
    const first = await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'Upstream_u-1001' }));
    const checks = await start(config);
    await b.page.getByRole('link', { name: 'Sign in with Upstream' }).click();
    await upstreamLogin('u-1001');
    const back = await callback();
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: checks.verifier, expectedState: checks.state, expectedNonce: checks.nonce });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, first.UserAttributes!.find((a) => a.Name === 'sub')!.Value);
    assert.equal(claims.email, 'fed2@example.com');
  });

  test('a mapped attribute Tessera cannot keep (over 2,048 characters) ends the sign-in with invalid_request and makes no user', async () => {
    await b.context.clearCookies();
    up.accounts.set('u-long', { email: 'long@example.com', email_verified: true, name: 'x'.repeat(3000) });
    const config = await rp();
    await start(config, { identity_provider: 'Upstream' });
    await upstreamLogin('u-long');
    const back = await callback();
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description') ?? '', /the value of name is not one Tessera can keep/);
    await assert.rejects(s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'Upstream_u-long' })), { name: 'UserNotFoundException' });
  });

  test("a native user named like the provider's user (Upstream_<sub>) is never signed in as, nor changed", async () => {
    await b.context.clearCookies();
    await s.idp.send(
      new AdminCreateUserCommand({ UserPoolId: o.poolId, Username: 'Upstream_u-victim', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'attacker@example.com' }] }),
    );
    up.accounts.set('u-victim', { email: 'victim@example.com', email_verified: true, name: 'Victim' });
    const config = await rp();
    await start(config, { identity_provider: 'Upstream' });
    await upstreamLogin('u-victim');
    const back = await callback();
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description') ?? '', /taken by a user who is not this Upstream user/);
    const native = await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'Upstream_u-victim' }));
    assert.equal(native.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(native.UserAttributes!.find((a) => a.Name === 'email')?.Value, 'attacker@example.com');
    assert.equal(native.UserAttributes!.find((a) => a.Name === 'identities'), undefined);
  });

  test('a forged state and a replayed callback are refused', async () => {
    const forged = await fetch(`${o.base}/oauth2/idpresponse?code=abc&state=not-a-sealed-state`, { redirect: 'manual' });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /sign-in state is invalid/);

    await b.context.clearCookies();
    const config = await rp();
    const responses: Promise<{ url: string; cookie: string }>[] = [];
    b.page.on('request', (r) => {
      if (r.url().includes('/oauth2/idpresponse')) responses.push(r.allHeaders().then((h) => ({ url: r.url(), cookie: h.cookie ?? '' })));
    });
    await start(config, { identity_provider: 'Upstream' });
    await upstreamLogin('u-1001');
    await callback();
    assert.equal(responses.length, 1);
    const sent = await responses[0];
    assert.match(sent.cookie, /tessera-idp-[0-9a-f]+=/, 'chromium brought the sign-in cookie back');
    // Elsewhere (no cookie): refused as another browser's; with the browser's cookie: already used.
    const elsewhere = await fetch(sent.url, { redirect: 'manual' });
    assert.equal(elsewhere.status, 400);
    assert.match(await elsewhere.text(), /started in another browser/);
    const replay = await fetch(sent.url, { redirect: 'manual', headers: { cookie: sent.cookie } });
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /already used/);
    const left = (await b.context.cookies()).filter((c) => c.name.startsWith('tessera-idp-'));
    assert.deepEqual(left, [], 'the cookie is cleared once it has served');
  });

  test('an expired upstream ID token is refused on the app redirect URI as invalid_request', async () => {
    await b.context.clearCookies();
    const config = await rp();
    const checks = await start(config, { identity_provider: 'Upstream' });
    await b.page.locator('input[name=login]').waitFor();
    offset.ms = 5 * 60_000; // past the ID token's 120 s, within the state's 10 minutes
    try {
      await upstreamLogin('u-1001');
      const back = await callback();
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.match(back.searchParams.get('error_description')!, /Invalid identity token from Upstream: .*exp/);
      assert.equal(back.searchParams.get('state'), checks.state);
    } finally {
      offset.ms = 0;
    }
  });

  test('an unknown or deleted provider is refused with invalid_request', async () => {
    const q = (idp: string) =>
      new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: app.callback, scope: 'openid', state: 's1', identity_provider: idp });
    const unknown = await fetch(`${o.base}/oauth2/authorize?${q('Nope')}`, { redirect: 'manual' });
    const loc = new URL(unknown.headers.get('location')!);
    assert.equal(loc.searchParams.get('error'), 'invalid_request');

    await s.idp.send(
      new CreateIdentityProviderCommand({
        UserPoolId: o.poolId,
        ProviderName: 'Gone',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: up.issuer, attributes_request_method: 'GET' },
      }),
    );
    const c2 = (await seedWebClient(s, o.poolId, { CallbackURLs: [app.callback], SupportedIdentityProviders: ['Gone'] })).clientId;
    await s.idp.send(new DeleteIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'Gone' }));
    const gone = await fetch(`${o.base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: c2, redirect_uri: app.callback, scope: 'openid', identity_provider: 'Gone' })}`, {
      redirect: 'manual',
    });
    const l2 = new URL(gone.headers.get('location')!);
    assert.equal(l2.origin + l2.pathname, app.callback);
    assert.equal(l2.searchParams.get('error'), 'invalid_request');
  });
});
