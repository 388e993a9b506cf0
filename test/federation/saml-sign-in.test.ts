// SAML 2.0 federation end to end, on both engines, against the local IdP of saml-idp.ts (a real
// protocol peer: metadata, HTTP-Redirect AuthnRequests, signed assertions posted back, single
// logout). Provider set-up (metadata read at create time, bad metadata refused), the pool's signing
// certificate (GetSigningCertificate and /saml2/metadata), SP-initiated sign-in in chromium to the
// app's tokens (openid-client, jose), and the refusals: replayed response, broken signature, wrong
// audience, expired assertion, unknown provider, IdP-initiated sign-in with IDPInit off; then
// IdP-initiated sign-in with IDPInit on (and its replay), and single logout through the IdP.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import {
  AdminGetUserCommand,
  AdminListUserAuthEventsCommand,
  CreateIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  GetSigningCertificateCommand,
  UpdateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from '../oauth/browser.js';
import { cookiesOf, get, postForm, refused, seedOAuthPool, seedWebClient, type OAuthSetup } from '../oauth/support.js';
import { engines, startServer, type TestServer } from '../support/server.js';
import { startSamlIdp, type SamlIdp } from './saml-idp.js';
import { appVisit } from '../oauth/hosted-ui-fixture.js';

const insecure = { execute: [client.allowInsecureRequests] };

for (const engine of engines) {
  describe(`SAML federation (${engine}) in chromium with a local SAML IdP`, { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let idp: SamlIdp;
    let app: TestApp;
    let b: TestBrowser;
    let clientId: string;
    let seen = 0;
    const sp = () => `urn:amazon:cognito:sp:${o.poolId}`;
    const acs = () => `${o.base}/saml2/idpresponse`;

    before(async () => {
      s = await startServer({ engine });
      o = await seedOAuthPool(s);
      idp = await startSamlIdp();
      idp.spLogoutUrl = `${o.base}/saml2/logout`;
      app = await startApp();
      b = await openBrowser();
    });
    after(async () => {
      await b?.close();
      await app?.close();
      await idp?.close();
      await s?.close();
    });

    const rp = () => client.discovery(new URL(`${s.url}/${o.poolId}`), clientId, undefined, client.None(), insecure);
    const callback = (): Promise<URL> => appVisit(app, b.page, seen++);
    const authorizeQuery = (extra: Record<string, string> = {}) =>
      new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: app.callback, scope: 'openid email', state: 'st-1', ...extra });
    /**
     * An SP-initiated start without a browser: the AuthnRequest's id, the RelayState, and the
     * cookie that binds the sign-in to this "browser" (kept in `jar`, which postResponse sends).
     */
    let jar = '';
    async function spStart(): Promise<{ requestId: string; relay: string; cookie: string }> {
      const res = await get(`${o.base}/oauth2/authorize?${authorizeQuery({ identity_provider: 'Corp' })}`);
      assert.equal(res.status, 302);
      const cookie = cookiesOf(res);
      assert.match(cookie, /^tessera-idp-[0-9a-f]+=/);
      jar = cookiesOf(res, jar);
      const loc = new URL(res.headers.get('location')!);
      assert.equal(loc.origin + loc.pathname, `${idp.url}/sso`);
      const xml = inflateRawSync(Buffer.from(loc.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
      return { requestId: /ID="([^"]+)"/.exec(xml)![1], relay: loc.searchParams.get('RelayState')!, cookie };
    }
    async function postResponse(SAMLResponse: string, RelayState: string, cookie = jar): Promise<Response> {
      return postForm(acs(), { SAMLResponse, RelayState }, cookie ? { cookie } : {});
    }
    function errorOf(res: Response): { error: string | null; description: string } {
      assert.equal(res.status, 302);
      const loc = new URL(res.headers.get('location')!);
      assert.equal(loc.origin + loc.pathname, app.callback);
      return { error: loc.searchParams.get('error'), description: loc.searchParams.get('error_description') ?? '' };
    }

    test('provider set-up: metadata read at create time, bad metadata refused; the pool certificate and SP metadata', async () => {
      await refused(
        s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'Bad', ProviderType: 'SAML', ProviderDetails: { MetadataFile: '<not-xml' } })),
        'InvalidParameterException',
      );
      await refused(
        s.idp.send(
          new CreateIdentityProviderCommand({
            UserPoolId: o.poolId,
            ProviderName: 'Bad',
            ProviderType: 'SAML',
            ProviderDetails: { MetadataFile: idp.metadata.replace(/<ds:X509Certificate>[^<]+</, '<ds:X509Certificate>AAAA<') },
          }),
        ),
        'InvalidParameterException',
      );
      await s.idp.send(
        new CreateIdentityProviderCommand({
          UserPoolId: o.poolId,
          ProviderName: 'Corp',
          ProviderType: 'SAML',
          ProviderDetails: { MetadataURL: idp.metadataUrl, IDPSignout: 'true', IDPInit: 'false', RequestSigningAlgorithm: 'rsa-sha256' },
          AttributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', name: 'displayName' },
          IdpIdentifiers: ['corp.example'],
        }),
      );
      const d = (await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'Corp' }))).IdentityProvider!;
      assert.equal(d.ProviderDetails!.SSORedirectBindingURI, `${idp.url}/sso`);
      assert.equal(d.ProviderDetails!.SLORedirectBindingURI, `${idp.url}/slo`);
      assert.equal(d.ProviderDetails!.MetadataURL, idp.metadataUrl);
      assert.equal(d.ProviderDetails!.IDPSignout, 'true');
      assert.equal(d.ProviderDetails!.EncryptedResponses, 'false');
      const file = await s.idp.send(
        new CreateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'FromFile', ProviderType: 'SAML', ProviderDetails: { MetadataFile: idp.metadata } }),
      );
      assert.equal(file.IdentityProvider!.ProviderDetails!.IDPInit, 'false');
      assert.equal(file.IdentityProvider!.ProviderDetails!.SSORedirectBindingURI, `${idp.url}/sso`);

      const cert = (await s.idp.send(new GetSigningCertificateCommand({ UserPoolId: o.poolId }))).Certificate!;
      const x = new X509Certificate(Buffer.from(cert, 'base64'));
      assert.ok(x.verify(x.publicKey), 'self-signed');
      assert.ok(Date.parse(x.validTo) - Date.now() > 9 * 365 * 24 * 3600_000, 'valid about ten years');
      assert.equal((await s.idp.send(new GetSigningCertificateCommand({ UserPoolId: o.poolId }))).Certificate, cert, 'the same certificate each time');
      await refused(s.idp.send(new GetSigningCertificateCommand({ UserPoolId: 'us-east-1_nope0000' })), 'ResourceNotFoundException');
      idp.spCertificate = cert;

      const md = await get(`${o.base}/saml2/metadata`);
      assert.equal(md.status, 200);
      const xml = await md.text();
      assert.match(xml, new RegExp(`entityID="${sp()}"`));
      assert.ok(xml.includes(`Location="${acs()}"`));
      assert.ok(xml.replace(/\s+/g, '').includes(cert), 'the signing certificate is in the SP metadata');

      clientId = (await seedWebClient(s, o.poolId, { CallbackURLs: [app.callback], LogoutURLs: [app.signedOut], SupportedIdentityProviders: ['COGNITO', 'Corp'] })).clientId;
    });

    test('SP-initiated in chromium: signed AuthnRequest, IdP sign-in, Tessera tokens for Corp_<NameID>', async () => {
      idp.users.set('alice@corp.example', { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'alice@corp.example', displayName: 'Alice Corp' });
      const config = await rp();
      const verifier = client.randomPKCECodeVerifier();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: app.callback,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: 'st-browser',
        nonce,
        idp_identifier: 'corp.example',
      });
      const posts: Promise<string>[] = [];
      const onRequest = (r: import('playwright-core').Request) => {
        if (r.url().endsWith('/saml2/idpresponse') && r.method() === 'POST') posts.push(r.allHeaders().then((h) => h.cookie ?? ''));
      };
      b.page.on('request', onRequest);
      await b.page.goto(url.toString());
      await b.page.locator('input[name=username]').waitFor();
      assert.ok(b.page.url().startsWith(`${idp.url}/sso`));
      const req = idp.requests.at(-1)!;
      assert.equal(req.issuer, sp());
      assert.equal(req.acs, acs());
      assert.equal(req.signed, true);
      assert.equal(req.signatureValid, true, 'the AuthnRequest is signed with the pool certificate');
      await b.page.locator('input[name=username]').fill('alice@corp.example');
      await b.page.locator('button[type=submit]').click();
      const back = await callback();
      b.page.off('request', onRequest);
      assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
      // The IdP (localhost) posts cross-site to Tessera (127.0.0.1): no Lax cookie on that POST, so
      // Tessera's page posted the answer again, same-site, and the binding cookie came with it.
      const cookies = await Promise.all(posts);
      assert.equal(cookies.length, 2, 'the IdP post and the re-post');
      assert.doesNotMatch(cookies[0], /tessera-idp-/);
      assert.match(cookies[1], /tessera-idp-[0-9a-f]+=/);
      const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: 'st-browser', expectedNonce: nonce });
      const meta = config.serverMetadata();
      const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(meta.jwks_uri!)), { issuer: meta.issuer, audience: clientId });
      assert.equal(payload['cognito:username'], 'Corp_alice@corp.example');
      assert.equal(payload.email, 'alice@corp.example');
      assert.equal(payload.name, 'Alice Corp');
      const identities = payload.identities as Record<string, string | null>[];
      assert.equal(identities[0].providerName, 'Corp');
      assert.equal(identities[0].providerType, 'SAML');
      assert.equal(identities[0].userId, 'alice@corp.example');
      assert.equal(identities[0].issuer, idp.entityId);
      const user = await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'Corp_alice@corp.example' }));
      assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
      // Audited as API sign-ins are (src/audit/hosted.ts).
      const events = await s.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: o.poolId, Username: 'Corp_alice@corp.example' }));
      assert.deepEqual(events.AuthEvents!.map((e) => `${e.EventType}:${e.EventResponse}`), ['SignIn:Pass']);
    });

    test('a replayed SP-initiated response is refused', async () => {
      const st = await spStart();
      const response = idp.response({ acs: acs(), audience: sp(), nameID: 'alice@corp.example', inResponseTo: st.requestId });
      assert.equal((await postResponse(response, st.relay, st.cookie)).status, 302);
      // The same browser (its cookie copied before Tessera cleared it) sends the same answer again.
      const replay = await postResponse(response, st.relay, st.cookie);
      assert.equal(replay.status, 400);
      assert.match(await replay.text(), /already used/);
    });

    test("login CSRF: an SP-initiated response delivered to another browser is refused, and the sign-in's own browser still completes it", async () => {
      const st = await spStart();
      const response = idp.response({ acs: acs(), audience: sp(), nameID: 'mallory@corp.example', inResponseTo: st.requestId });
      // The IdP's cross-site POST carries no SameSite=Lax cookie: Tessera posts the same fields
      // again from its own origin, marked, so that the browser's cookie comes along.
      const first = await postResponse(response, st.relay, '');
      assert.equal(first.status, 200);
      const page = await first.text();
      assert.ok(page.includes(`action="${acs()}"`), page);
      const fields = Object.fromEntries([...page.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"')]));
      assert.deepEqual(Object.keys(fields).sort(), ['RelayState', 'SAMLResponse', 'tessera_reposted']);
      assert.match(first.headers.get('content-security-policy') ?? '', /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; frame-ancestors 'none'; base-uri 'none'$/);
      // A browser without the cookie (the victim's): refused, no user made.
      const victim = await postForm(acs(), fields);
      assert.equal(victim.status, 400);
      assert.match(await victim.text(), /started in another browser/);
      // Another sign-in's cookie is no better.
      const other = await spStart();
      const wrong = await postForm(acs(), fields, { cookie: other.cookie.replace(/^tessera-idp-[0-9a-f]+/, st.cookie.split('=')[0]) });
      assert.equal(wrong.status, 400);
      await assert.rejects(s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'Corp_mallory@corp.example' })), { name: 'UserNotFoundException' });
      // The state was not spent by the refusals: the starting browser completes the sign-in.
      const ok = await postForm(acs(), fields, { cookie: st.cookie });
      assert.equal(ok.status, 302);
      assert.ok(new URL(ok.headers.get('location')!).searchParams.get('code'));
      assert.match(ok.headers.getSetCookie().join('\n'), /tessera-idp-[0-9a-f]+=; .*Max-Age=0/);
    });

    test('broken, missing or foreign signature, wrong audience, expired assertion, unsolicited or mismatched InResponseTo: invalid_request on the app', async () => {
      const base = { acs: acs(), audience: sp(), nameID: 'bob@corp.example' };
      let st = await spStart();
      let e = errorOf(await postResponse(idp.response({ ...base, inResponseTo: st.requestId, breakSignature: true }), st.relay));
      assert.equal(e.error, 'invalid_request');
      assert.match(e.description, /Invalid SAML response received: .*signature/i);

      st = await spStart();
      e = errorOf(await postResponse(idp.response({ ...base, inResponseTo: st.requestId, unsigned: true }), st.relay));
      assert.match(e.description, /Invalid SAML response received: .*signature/i);

      // Signed, but by another key than the metadata's (a second IdP claiming to be this one).
      const rogue = await startSamlIdp();
      try {
        st = await spStart();
        e = errorOf(await postResponse(rogue.response({ ...base, issuer: idp.entityId, inResponseTo: st.requestId }), st.relay));
        assert.match(e.description, /Invalid SAML response received: .*signature/i);
      } finally {
        await rogue.close();
      }

      st = await spStart();
      e = errorOf(await postResponse(idp.response({ ...base, audience: 'urn:amazon:cognito:sp:us-east-1_other', inResponseTo: st.requestId }), st.relay));
      assert.match(e.description, /Invalid SAML response received: .*audience/i);

      st = await spStart();
      e = errorOf(await postResponse(idp.response({ ...base, inResponseTo: st.requestId, shiftMs: -20 * 60_000 }), st.relay));
      assert.match(e.description, /Invalid SAML response received: .*expired/);

      st = await spStart();
      e = errorOf(await postResponse(idp.response({ ...base, inResponseTo: '_someone-elses-request' }), st.relay));
      assert.match(e.description, /Invalid SAML response received: .*InResponseTo/);

      st = await spStart();
      e = errorOf(await postResponse(idp.response({ ...base, acs: 'https://elsewhere.example/saml2/idpresponse', inResponseTo: st.requestId }), st.relay));
      assert.match(e.description, /Invalid SAML response received: wrong (Destination|Recipient)/);

      await assert.rejects(s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'Corp_bob@corp.example' })), { name: 'UserNotFoundException' });
    });

    test('a NameID over 1 KB, or a message that is not XML, is invalid_request with a plain reason', async () => {
      const st = await spStart();
      let e = errorOf(await postResponse(idp.response({ acs: acs(), audience: sp(), nameID: `${'n'.repeat(2000)}@corp.example`, inResponseTo: st.requestId }), st.relay));
      assert.equal(e.error, 'invalid_request');
      assert.match(e.description, /Invalid SAML response received: the NameID is longer than 1024 bytes/);
      const st2 = await spStart();
      const junk = Buffer.from('<samlp:Response><!DOCTYPE x [<!ENTITY x "y">]>&x;</samlp:Response>').toString('base64');
      e = errorOf(await postResponse(junk, st2.relay));
      assert.equal(e.error, 'invalid_request');
      assert.equal(e.description, 'Invalid SAML response received: the message is not well-formed XML');
    });

    test('an unknown provider name is refused with invalid_request', async () => {
      const res = await get(`${o.base}/oauth2/authorize?${authorizeQuery({ identity_provider: 'Nope' })}`);
      assert.equal(errorOf(res).error, 'invalid_request');
    });

    test('IdP-initiated: refused while IDPInit is false; with IDPInit true a code for the app, and no replay', async () => {
      const relay = authorizeQuery({ identity_provider: 'Corp' }).toString();
      const unsolicited = () => idp.response({ acs: acs(), audience: sp(), nameID: 'carol@corp.example', attributes: { displayName: 'Carol' } });
      let e = errorOf(await postResponse(unsolicited(), relay));
      assert.equal(e.error, 'invalid_request');
      assert.match(e.description, /IdP-initiated sign-in is not enabled/);

      await s.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'Corp', ProviderDetails: { MetadataURL: idp.metadataUrl, IDPSignout: 'true', IDPInit: 'true', RequestSigningAlgorithm: 'rsa-sha256' } }));
      const response = unsolicited();
      const ok = await postResponse(response, relay);
      assert.equal(ok.status, 302);
      const loc = new URL(ok.headers.get('location')!);
      assert.equal(loc.origin + loc.pathname, app.callback);
      assert.equal(loc.searchParams.get('state'), 'st-1');
      const code = loc.searchParams.get('code');
      assert.ok(code, loc.toString());
      const tokenRes = await postForm(`${o.base}/oauth2/token`, { grant_type: 'authorization_code', client_id: clientId, code: code!, redirect_uri: app.callback });
      assert.equal(tokenRes.status, 200);
      const idToken = ((await tokenRes.json()) as { id_token: string }).id_token;
      const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${s.url}/${o.poolId}/.well-known/jwks.json`)), { audience: clientId });
      assert.equal(payload['cognito:username'], 'Corp_carol@corp.example');
      assert.equal(payload.name, 'Carol');

      e = errorOf(await postResponse(response, relay));
      assert.match(e.description, /already used/);

      // An IdP-initiated response must answer no request.
      e = errorOf(await postResponse(idp.response({ acs: acs(), audience: sp(), nameID: 'carol@corp.example', inResponseTo: '_made-up' }), relay));
      assert.match(e.description, /InResponseTo/);
    });

    test('single logout: /logout sends a signed LogoutRequest to the IdP, its LogoutResponse lands on logout_uri, the session is gone', async () => {
      const before = idp.logoutRequests.length;
      await b.page.goto(`${o.base}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: app.signedOut })}`);
      const landed = await callback();
      assert.equal(landed.origin + landed.pathname, app.signedOut);
      assert.equal(idp.logoutRequests.length, before + 1);
      const lr = idp.logoutRequests.at(-1)!;
      assert.equal(lr.nameID, 'alice@corp.example');
      assert.equal(lr.signatureValid, true);
      // No session: the authorize endpoint sends the browser to the login page again.
      await b.page.goto(`${o.base}/oauth2/authorize?${authorizeQuery()}`);
      assert.match(new URL(b.page.url()).pathname, /\/login$/);
      const trail = (await s.app.audit.list({ poolId: o.poolId, limit: 20 })).events.filter((e) => e.type === 'SignOut');
      assert.equal(trail[0]?.username, 'Corp_alice@corp.example');
      assert.equal(trail[0]?.detail?.op, 'HostedLogout');
    });

    test('an IdP that takes AuthnRequests by HTTP-POST only: the browser posts a signed one to it, and the sign-in completes', async () => {
      const postIdp = await startSamlIdp({ ssoBinding: 'post' });
      try {
        postIdp.spCertificate = idp.spCertificate;
        postIdp.users.set('dan@post.example', { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'dan@post.example' });
        await s.idp.send(
          new CreateIdentityProviderCommand({
            UserPoolId: o.poolId,
            ProviderName: 'PostCorp',
            ProviderType: 'SAML',
            ProviderDetails: { MetadataFile: postIdp.metadata, RequestSigningAlgorithm: 'rsa-sha256' },
            AttributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
          }),
        );
        const described = await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'PostCorp' }));
        assert.equal(described.IdentityProvider!.ProviderDetails!.SSORedirectBindingURI, undefined, 'no redirect endpoint is invented');
        const postClient = (await seedWebClient(s, o.poolId, { CallbackURLs: [app.callback], SupportedIdentityProviders: ['PostCorp'] })).clientId;
        const query = new URLSearchParams({ response_type: 'code', client_id: postClient, redirect_uri: app.callback, scope: 'openid email', state: 'st-post', identity_provider: 'PostCorp' });

        // Without a browser: a page whose only script posts the form to the IdP, and whose CSP allows
        // that script (by hash) and that form target, nothing else.
        const page = await get(`${o.base}/oauth2/authorize?${query}`);
        assert.equal(page.status, 200);
        const csp = page.headers.get('content-security-policy') ?? '';
        assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
        assert.ok(csp.includes(`form-action ${new URL(postIdp.url).origin}`), csp);
        const html = await page.text();
        assert.ok(html.includes(`action="${postIdp.url}/sso-post"`));
        const fields = Object.fromEntries([...html.matchAll(/name="(SAMLRequest|RelayState)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
        const xml = Buffer.from(fields.SAMLRequest, 'base64').toString('utf8');
        assert.match(xml, /^<samlp:AuthnRequest|<\?xml/, 'base64 XML, not deflated');
        assert.ok(xml.includes('<ds:Signature') || xml.includes('<Signature'), 'signed inside the XML');
        assert.ok(fields.RelayState.length > 0);

        // In chromium, end to end.
        await b.page.goto(`${o.base}/oauth2/authorize?${query}`);
        await b.page.locator('input[name=username]').waitFor();
        assert.ok(b.page.url().startsWith(`${postIdp.url}/sso-post`));
        const req = postIdp.requests.at(-1)!;
        assert.deepEqual({ binding: req.binding, issuer: req.issuer, acs: req.acs, signed: req.signed, valid: req.signatureValid }, { binding: 'post', issuer: sp(), acs: acs(), signed: true, valid: true });
        await b.page.locator('input[name=username]').fill('dan@post.example');
        await b.page.locator('button[type=submit]').click();
        const back = await callback();
        assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
        assert.equal(back.searchParams.get('state'), 'st-post');
        assert.ok(back.searchParams.get('code'));
        const user = await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'PostCorp_dan@post.example' }));
        assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
      } finally {
        await postIdp.close();
      }
    });
  });
}
