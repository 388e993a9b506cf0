// Sign-in through Google, Facebook, Login with Amazon and Sign in with Apple, each against a local
// double that speaks the provider's real protocol (test/support/social-idps.ts), reached through
// TESSERA_IDENTITY_PROVIDER_ENDPOINTS. Chromium (playwright-core) goes from the app to Tessera's
// /oauth2/authorize?identity_provider=<type>, signs in at the double and comes back through
// /oauth2/idpresponse (Apple: a form_post); openid-client redeems Tessera's code and jose checks
// the tokens. Over plain HTTP: idp_identifier, auto-linking by verified e-mail (Google's counts,
// Facebook's does not), and the refusals: a wrong state, a code the provider refuses, an Apple ID
// token with a bad signature, an Apple client_secret signed with the wrong key. Both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, AdminGetUserCommand, CreateIdentityProviderCommand, DescribeIdentityProviderCommand, UpdateIdentityProviderCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, exportPKCS8, generateKeyPair, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from '../oauth/browser.js';
import { appVisit, authorizationRequest } from '../oauth/hosted-ui-fixture.js';
import { cookiesOf, seedOAuthPool, seedWebClient, type OAuthSetup } from '../oauth/support.js';
import { engines, startServer, type TestServer } from '../support/server.js';
import { endpointOverrides, startAmazon, startApple, startFacebook, startGoogle, type AppleIdp, type SocialIdp } from '../support/social-idps.js';

const insecure = { execute: [client.allowInsecureRequests] };

for (const engine of engines) {
  describe(`social sign-in through provider doubles (${engine})`, { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let google: SocialIdp;
    let facebook: SocialIdp;
    let amazon: SocialIdp;
    let apple: AppleIdp;
    let app: TestApp;
    let b: TestBrowser;
    let clientId: string;
    let seen = 0;

    before(async () => {
      [google, facebook, amazon, apple] = await Promise.all([startGoogle(), startFacebook(), startAmazon(), startApple()]);
      s = await startServer({ engine, env: { TESSERA_IDENTITY_PROVIDER_ENDPOINTS: endpointOverrides(google, facebook, amazon, apple) } });
      o = await seedOAuthPool(s);
      for (const idp of [google, facebook, amazon, apple]) idp.redirectUris.push(`${o.base}/oauth2/idpresponse`);
      const create = (ProviderName: string, ProviderDetails: Record<string, string>, AttributeMapping: Record<string, string>, IdpIdentifiers?: string[]) =>
        s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName, ProviderType: ProviderName as 'Google', ProviderDetails, AttributeMapping, IdpIdentifiers }));
      await create(
        'Google',
        { client_id: google.clientId, client_secret: google.clientSecret, authorize_scopes: 'profile email openid', tessera_auto_link_verified_email: 'true' },
        { email: 'email', email_verified: 'email_verified', name: 'name', phone_number: 'phoneNumbers' },
        ['workforce'],
      );
      await create('Facebook', { client_id: facebook.clientId, client_secret: facebook.clientSecret, authorize_scopes: 'public_profile, email', tessera_auto_link_verified_email: 'true' }, { email: 'email', name: 'name', given_name: 'first_name' });
      await create('LoginWithAmazon', { client_id: amazon.clientId, client_secret: amazon.clientSecret, authorize_scopes: 'profile postal_code' }, { email: 'email', name: 'name', zoneinfo: 'postal_code' });
      await create(
        'SignInWithApple',
        { client_id: apple.clientId, team_id: apple.teamId, key_id: apple.keyId, private_key: apple.privateKeyPem, authorize_scopes: 'name email' },
        { email: 'email', email_verified: 'email_verified', given_name: 'firstName', family_name: 'lastName', name: 'name' },
      );
      app = await startApp();
      clientId = (await seedWebClient(s, o.poolId, { CallbackURLs: [app.callback], SupportedIdentityProviders: ['COGNITO', 'Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'] })).clientId;
      b = await openBrowser();
    });
    after(async () => {
      await b?.close();
      await app?.close();
      await s?.close();
      await Promise.all([google, facebook, amazon, apple].map((idp) => idp?.close()));
    });

    const rp = () => client.discovery(new URL(`${s.url}/${o.poolId}`), clientId, undefined, client.None(), insecure);

    /** The app's authorize request (PKCE, state, nonce) with `extra` parameters. */
    const appRequest = (config: client.Configuration, extra: Record<string, string>) => authorizationRequest(config, app.callback, extra);

    /** Redeems Tessera's code at the app's callback and checks the ID token with jose. */
    async function redeem(config: client.Configuration, back: URL, checks: Awaited<ReturnType<typeof appRequest>>['checks']): Promise<JWTPayload> {
      assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
      const tokens = await client.authorizationCodeGrant(config, back, checks);
      const meta = config.serverMetadata();
      const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(meta.jwks_uri!)), { issuer: meta.issuer, audience: clientId });
      const access = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(meta.jwks_uri!)), { issuer: meta.issuer });
      assert.equal(access.payload.username, payload['cognito:username']);
      return payload;
    }

    const callback = () => appVisit(app, b.page, seen++);

    /** A whole sign-in in chromium through `provider`, signing in there as `login`. */
    async function browserSignIn(provider: string, idp: SocialIdp, login: string): Promise<JWTPayload> {
      await b.context.clearCookies();
      const config = await rp();
      const { url, checks } = await appRequest(config, { identity_provider: provider });
      await b.page.goto(url.toString());
      await b.page.locator('input[name=login]').waitFor();
      assert.ok(b.page.url().startsWith(idp.origin), `at the ${provider} double, not ${b.page.url()}`);
      await b.page.locator('input[name=login]').fill(login);
      await b.page.locator('input[name=password]').fill('anything');
      await b.page.locator('button[type=submit]').click();
      return redeem(config, await callback(), checks);
    }

    /**
     * Over HTTP: Tessera's redirect to the provider (and the cookie that binds the sign-in to this
     * client), the provider's login, and its answer (not yet delivered).
     */
    interface Answer {
      toIdp: URL;
      method: 'GET' | 'POST';
      url: string;
      form: URLSearchParams;
      cookie: string;
    }
    async function providerAnswer(tesseraAuthorize: string, login: string): Promise<Answer> {
      const start = await fetch(tesseraAuthorize, { redirect: 'manual' });
      assert.equal(start.status, 302);
      const cookie = cookiesOf(start);
      assert.match(cookie, /^tessera-idp-[0-9a-f]+=[^;]+$/);
      const toIdp = new URL(start.headers.get('location')!);
      const page = await (await fetch(toIdp)).text();
      const pending = /name="pending" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(pending, `the provider's login page: ${page}`);
      const done = await fetch(`${toIdp.origin}/__login`, { method: 'POST', body: new URLSearchParams({ pending, login, password: 'x' }), redirect: 'manual' });
      if (done.status === 302) return { toIdp, method: 'GET', url: done.headers.get('location')!, form: new URLSearchParams(), cookie };
      const html = await done.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
      const form = new URLSearchParams();
      for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1], m[2].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
      return { toIdp, method: 'POST', url: action, form, cookie };
    }

    /** The provider's answer, delivered by the browser that started the sign-in (or, with `cookie`, by another). */
    function deliver(a: Answer, cookie = a.cookie): Promise<Response> {
      const headers = cookie ? { cookie } : undefined;
      return a.method === 'GET' ? fetch(a.url, { redirect: 'manual', headers }) : fetch(a.url, { method: 'POST', body: a.form, redirect: 'manual', headers });
    }

    async function httpSignIn(extra: Record<string, string>, login: string): Promise<{ back: URL; toIdp: URL; config: client.Configuration; checks: Awaited<ReturnType<typeof appRequest>>['checks'] }> {
      const config = await rp();
      const { url, checks } = await appRequest(config, extra);
      const answer = await providerAnswer(url.toString(), login);
      const res = await deliver(answer);
      assert.equal(res.status, 302, await res.clone().text());
      return { back: new URL(res.headers.get('location')!), toIdp: answer.toIdp, config, checks };
    }

    const attr = async (username: string) => {
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: username }));
      return { status: u.UserStatus, get: (n: string) => u.UserAttributes?.find((a) => a.Name === n)?.Value };
    };

    test('the authorize URL Tessera discovers is on its hosted domain', async () => {
      const config = await rp();
      assert.ok(config.serverMetadata().authorization_endpoint!.startsWith(o.base), config.serverMetadata().authorization_endpoint);
    });

    test('Google: OIDC sign-in in chromium, ID token verified, phone number from the People API', async () => {
      google.accounts.set('108000000000000000001', { email: 'ada@gmail.example', email_verified: true, name: 'Ada Lovelace', people: { phoneNumbers: '+15555550101' } });
      const p = await browserSignIn('Google', google, '108000000000000000001');
      assert.equal(p['cognito:username'], 'Google_108000000000000000001');
      assert.equal(p.email, 'ada@gmail.example');
      assert.equal(p.email_verified, true);
      assert.equal(p.name, 'Ada Lovelace');
      assert.equal(p.phone_number, '+15555550101');
      assert.deepEqual(p['cognito:groups'], [`${o.poolId}_Google`]);
      const ids = p.identities as Record<string, string | null>[];
      assert.deepEqual([ids[0].providerName, ids[0].providerType, ids[0].userId, ids[0].issuer, ids[0].primary], ['Google', 'Google', '108000000000000000001', null, 'true']);
      const u = await attr('Google_108000000000000000001');
      assert.equal(u.status, 'EXTERNAL_PROVIDER');
      assert.equal(u.get('phone_number'), '+15555550101');
    });

    test('Facebook: dialog, GET access_token, Graph /me with appsecret_proof; username Facebook_<id>', async () => {
      facebook.accounts.set('10229000000000001', { email: 'grace@fb.example', name: 'Grace Hopper', first_name: 'Grace' });
      const p = await browserSignIn('Facebook', facebook, '10229000000000001');
      assert.equal(p['cognito:username'], 'Facebook_10229000000000001');
      assert.equal(p.email, 'grace@fb.example');
      assert.equal(p.given_name, 'Grace');
      assert.equal(p.name, 'Grace Hopper');
      const ids = p.identities as Record<string, string | null>[];
      assert.deepEqual([ids[0].providerName, ids[0].providerType, ids[0].userId], ['Facebook', 'Facebook', '10229000000000001']);
      assert.equal((await attr('Facebook_10229000000000001')).status, 'EXTERNAL_PROVIDER');
      const d = await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'Facebook' }));
      assert.equal(d.IdentityProvider!.AttributeMapping!.username, 'id');
    });

    test('Login with Amazon: /ap/oa, /auth/o2/token, /user/profile; username LoginWithAmazon_<user_id>', async () => {
      amazon.accounts.set('amzn1.account.AE5EXAMPLE0001', { email: 'alan@amazon.example', name: 'Alan Turing', postal_code: '98109' });
      const p = await browserSignIn('LoginWithAmazon', amazon, 'amzn1.account.AE5EXAMPLE0001');
      assert.equal(p['cognito:username'], 'LoginWithAmazon_amzn1.account.AE5EXAMPLE0001');
      assert.equal(p.email, 'alan@amazon.example');
      assert.equal(p.name, 'Alan Turing');
      assert.equal(p.zoneinfo, '98109');
      const ids = p.identities as Record<string, string | null>[];
      assert.deepEqual([ids[0].providerType, ids[0].userId], ['LoginWithAmazon', 'amzn1.account.AE5EXAMPLE0001']);
      const d = await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'LoginWithAmazon' }));
      assert.equal(d.IdentityProvider!.AttributeMapping!.username, 'user_id');
    });

    test('Sign in with Apple: form_post answer, ES256 client_secret, names from `user` on the first sign-in only', async () => {
      apple.accounts.set('001234.abcdef0123456789.0001', { email: 'x7k2@privaterelay.appleid.example', is_private_email: 'true', firstName: 'Katherine', lastName: 'Johnson' });
      const p = await browserSignIn('SignInWithApple', apple, '001234.abcdef0123456789.0001');
      assert.equal(p['cognito:username'], 'SignInWithApple_001234.abcdef0123456789.0001');
      assert.equal(p.email, 'x7k2@privaterelay.appleid.example');
      assert.equal(p.email_verified, true);
      assert.equal(p.given_name, 'Katherine');
      assert.equal(p.family_name, 'Johnson');
      assert.equal(p.name, 'Katherine Johnson');
      const ids = p.identities as Record<string, string | null>[];
      assert.deepEqual([ids[0].providerType, ids[0].userId], ['SignInWithApple', '001234.abcdef0123456789.0001']);
      // Apple sends `user` once; the second sign-in keeps the names it gave.
      apple.accounts.set('001234.abcdef0123456789.0001', { email: 'x7k2@privaterelay.appleid.example', firstName: 'Other', lastName: 'Name' });
      const again = await browserSignIn('SignInWithApple', apple, '001234.abcdef0123456789.0001');
      assert.equal(again.sub, p.sub);
      assert.equal(again.given_name, 'Katherine');
      assert.equal(again.family_name, 'Johnson');
    });

    test('idp_identifier names the provider by one of its IdpIdentifiers: straight to Google, then tokens', async () => {
      google.accounts.set('108000000000000000002', { email: 'ident@gmail.example', email_verified: true, name: 'By Identifier' });
      const { back, toIdp, config, checks } = await httpSignIn({ idp_identifier: 'workforce' }, '108000000000000000002');
      assert.equal(toIdp.origin + toIdp.pathname, `${google.origin}/o/oauth2/v2/auth`);
      assert.equal(toIdp.searchParams.get('client_id'), google.clientId);
      const p = await redeem(config, back, checks);
      assert.equal(p['cognito:username'], 'Google_108000000000000000002');
    });

    test('auto-link by verified e-mail: Google (email_verified) lands on the native user, Facebook (no verification flag) never does', async () => {
      await s.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: o.poolId,
          Username: 'native-linda',
          UserAttributes: [
            { Name: 'email', Value: 'linda@shared.example' },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
      facebook.accounts.set('10229000000000077', { email: 'linda@shared.example', name: 'Linda FB', first_name: 'Linda' });
      const fb = await httpSignIn({ identity_provider: 'Facebook' }, '10229000000000077');
      const pf = await redeem(fb.config, fb.back, fb.checks);
      assert.equal(pf['cognito:username'], 'Facebook_10229000000000077');

      google.accounts.set('108000000000000000077', { email: 'linda@shared.example', email_verified: true, name: 'Linda G' });
      const g = await httpSignIn({ identity_provider: 'Google' }, '108000000000000000077');
      const pg = await redeem(g.config, g.back, g.checks);
      assert.equal(pg['cognito:username'], 'native-linda');
      const ids = pg.identities as Record<string, string | null>[];
      assert.deepEqual(ids.map((i) => [i.providerName, i.userId, i.primary]), [['Google', '108000000000000000077', 'false']]);

      // Google with email_verified false: a user of its own.
      google.accounts.set('108000000000000000078', { email: 'linda@shared.example', email_verified: false, name: 'Linda Unverified' });
      const g2 = await httpSignIn({ identity_provider: 'Google' }, '108000000000000000078');
      assert.equal((await redeem(g2.config, g2.back, g2.checks))['cognito:username'], 'Google_108000000000000000078');
    });

    test('refused: a wrong or tampered state never reaches the provider token endpoint', async () => {
      facebook.accounts.set('10229000000000002', { name: 'State Test' });
      const config = await rp();
      const { url } = await appRequest(config, { identity_provider: 'Facebook' });
      const answer = await providerAnswer(url.toString(), '10229000000000002');
      const target = new URL(answer.url);
      const state = target.searchParams.get('state')!;
      const refusedBefore = facebook.refusals.length;
      for (const wrong of ['not-a-state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`]) {
        target.searchParams.set('state', wrong);
        const res = await fetch(target, { redirect: 'manual' });
        assert.equal(res.status, 400);
        assert.match(await res.text(), /sign-in state is invalid/);
      }
      // The code was never presented: it still redeems once with the right state.
      target.searchParams.set('state', state);
      const ok = await fetch(target, { redirect: 'manual', headers: { cookie: answer.cookie } });
      assert.equal(ok.status, 302);
      assert.equal(new URL(ok.headers.get('location')!).searchParams.get('error'), null);
      assert.equal(facebook.refusals.length, refusedBefore);
    });

    test("login CSRF: a provider's answer delivered to another browser is refused before its code is redeemed; the starting browser completes it", async () => {
      google.accounts.set('108000000000000000099', { email: 'mallory@gmail.example', email_verified: true, name: 'Mallory' });
      apple.accounts.set('001234.abcdef0123456789.0099', { email: 'mallory@apple.example', firstName: 'M', lastName: 'A' });
      const config = await rp();

      // A GET answer (Google's redirect) in a browser without the sign-in's cookie.
      const g = await appRequest(config, { identity_provider: 'Google' });
      const ga = await providerAnswer(g.url.toString(), '108000000000000000099');
      assert.equal(ga.method, 'GET');
      const refusals = google.refusals.length;
      const victim = await deliver(ga, '');
      assert.equal(victim.status, 400);
      assert.match(await victim.text(), /started in another browser/);
      const stranger = await deliver(ga, ga.cookie.replace(/=.*/, '=someone-elses-value'));
      assert.equal(stranger.status, 400);
      const own = await deliver(ga);
      assert.equal(own.status, 302);
      const back = new URL(own.headers.get('location')!);
      assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
      assert.equal((await redeem(config, back, g.checks))['cognito:username'], 'Google_108000000000000000099');
      assert.equal(google.refusals.length, refusals, 'the code was redeemed once, by the starting browser');

      // Apple's form_post: a cross-site POST carries no SameSite=Lax cookie, so Tessera first posts
      // the same fields again from its own origin; only that marked POST is judged.
      const a = await appRequest(config, { identity_provider: 'SignInWithApple' });
      const aa = await providerAnswer(a.url.toString(), '001234.abcdef0123456789.0099');
      assert.equal(aa.method, 'POST');
      const first = await deliver(aa, '');
      assert.equal(first.status, 200);
      const page = await first.text();
      assert.ok(page.includes(`action="${o.base}/oauth2/idpresponse"`), page);
      const fields = new URLSearchParams([...page.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&')] as [string, string]));
      assert.deepEqual([...fields.keys()].sort(), [...aa.form.keys(), 'tessera_reposted'].sort());
      assert.equal(fields.get('code'), aa.form.get('code'));
      // One script, by its hash; no form-action, which would also bind the app's own redirects after it.
      const csp = first.headers.get('content-security-policy') ?? '';
      assert.match(csp, /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; frame-ancestors 'none'; base-uri 'none'$/);
      // A cross-site POST with a cookie of the wrong value is refused at once (no re-post).
      const wrongCookie = await deliver(aa, aa.cookie.replace(/=.*/, '=not-the-value'));
      assert.equal(wrongCookie.status, 400);
      assert.match(await wrongCookie.text(), /started in another browser/);
      const reposted = { ...aa, form: fields };
      const refused = await deliver(reposted, '');
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /started in another browser/);
      await assert.rejects(s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'SignInWithApple_001234.abcdef0123456789.0099' })), { name: 'UserNotFoundException' });
      const done = await deliver(reposted);
      assert.equal(done.status, 302);
      const appleBack = new URL(done.headers.get('location')!);
      assert.equal(appleBack.searchParams.get('error'), null, appleBack.searchParams.get('error_description') ?? '');
      assert.equal((await redeem(config, appleBack, a.checks))['cognito:username'], 'SignInWithApple_001234.abcdef0123456789.0099');
    });

    test('refused: a code the provider refuses (unknown, replayed) ends as invalid_request on the app redirect URI', async () => {
      amazon.accounts.set('amzn1.account.AE5EXAMPLE0002', { email: 'r@amazon.example', name: 'Replay' });
      const config = await rp();
      const first = await appRequest(config, { identity_provider: 'LoginWithAmazon' });
      const answer = await providerAnswer(first.url.toString(), 'amzn1.account.AE5EXAMPLE0002');
      const usedCode = new URL(answer.url).searchParams.get('code')!;
      assert.equal((await deliver(answer)).status, 302);

      for (const code of ['bogus-code', usedCode]) {
        const again = await appRequest(config, { identity_provider: 'LoginWithAmazon' });
        const start = await fetch(again.url.toString(), { redirect: 'manual' });
        const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
        const res = await fetch(`${o.base}/oauth2/idpresponse?${new URLSearchParams({ code, state })}`, { redirect: 'manual', headers: { cookie: cookiesOf(start) } });
        assert.equal(res.status, 302);
        const back = new URL(res.headers.get('location')!);
        assert.equal(back.origin + back.pathname, app.callback);
        assert.equal(back.searchParams.get('error'), 'invalid_request');
        assert.equal(back.searchParams.get('error_description'), 'LoginWithAmazon Error - 400 error getting token');
        assert.equal(back.searchParams.get('state'), again.checks.expectedState);
      }
      assert.deepEqual(amazon.refusals.slice(-2), ['unknown code', 'code already used']);
    });

    test('refused: an Apple ID token with a bad signature', async () => {
      apple.accounts.set('001234.abcdef0123456789.0002', { email: 'forged@apple.example', firstName: 'F', lastName: 'G' });
      apple.forgeSignature = true;
      try {
        const { back } = await httpSignIn({ identity_provider: 'SignInWithApple' }, '001234.abcdef0123456789.0002');
        assert.equal(back.searchParams.get('error'), 'invalid_request');
        assert.match(back.searchParams.get('error_description')!, /^Invalid identity token from SignInWithApple: signature verification failed/);
      } finally {
        apple.forgeSignature = false;
      }
      await assert.rejects(s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'SignInWithApple_001234.abcdef0123456789.0002' })), { name: 'UserNotFoundException' });
    });

    test('UpdateIdentityProvider refuses an Apple private_key that is not a P-256 key, and keeps the old one', async () => {
      const rsa = await generateKeyPair('RS256', { extractable: true });
      for (const private_key of ['not a key', await exportPKCS8(rsa.privateKey)]) {
        await assert.rejects(
          s.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'SignInWithApple', ProviderDetails: { client_id: apple.clientId, team_id: apple.teamId, key_id: apple.keyId, private_key, authorize_scopes: 'name email' } })),
          { name: 'InvalidParameterException' },
        );
      }
      const d = await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'SignInWithApple' }));
      assert.equal(d.IdentityProvider!.ProviderDetails!.private_key, apple.privateKeyPem);
      // The key as the bare base64 of the .p8 file is accepted too.
      const bare = apple.privateKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
      await s.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'SignInWithApple', ProviderDetails: { client_id: apple.clientId, team_id: apple.teamId, key_id: apple.keyId, private_key: bare, authorize_scopes: 'name email' } }));
      apple.accounts.set('001234.abcdef0123456789.0004', { email: 'bare@apple.example' });
      const { back, config, checks } = await httpSignIn({ identity_provider: 'SignInWithApple' }, '001234.abcdef0123456789.0004');
      assert.equal((await redeem(config, back, checks))['cognito:username'], 'SignInWithApple_001234.abcdef0123456789.0004');
    });

    test('refused: an Apple client_secret signed with another key (Apple answers invalid_client)', async () => {
      const other = await generateKeyPair('ES256', { extractable: true });
      await s.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'SignInWithApple', ProviderDetails: { client_id: apple.clientId, team_id: apple.teamId, key_id: apple.keyId, private_key: await exportPKCS8(other.privateKey), authorize_scopes: 'name email' } }));
      try {
        apple.accounts.set('001234.abcdef0123456789.0003', { email: 'k@apple.example' });
        const { back } = await httpSignIn({ identity_provider: 'SignInWithApple' }, '001234.abcdef0123456789.0003');
        assert.equal(back.searchParams.get('error_description'), 'SignInWithApple Error - 400 error getting token');
        assert.match(apple.refusals.at(-1)!, /^client_secret: signature verification failed/);
      } finally {
        await s.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'SignInWithApple', ProviderDetails: { client_id: apple.clientId, team_id: apple.teamId, key_id: apple.keyId, private_key: apple.privateKeyPem, authorize_scopes: 'name email' } }));
      }
    });
  });
}
