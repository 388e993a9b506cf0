// More of SAML federation, on both engines, against the local IdP of saml-idp.ts: the login page's
// provider button leads through the IdP (chromium), PreSignUp_ExternalProvider runs on the first
// SAML sign-in with the mapped attributes and PostAuthentication at the code exchange; the IdP's
// own signed LogoutRequest ends the hosted session and gets a LogoutResponse (once: a replayed one is refused), also when
// it is POSTed cross-site without cookies (the sessions are found by NameID and SessionIndex); and a provider with
// EncryptedResponses takes only assertions encrypted to the pool's certificate.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateIdentityProviderCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand, DescribeIdentityProviderCommand, GetSigningCertificateCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from '../oauth/browser.js';
import { postForm, seedWebClient } from '../oauth/support.js';
import { lambdaConfig } from '../api/triggers/support.js';
import { arnOf, startLambdaServer, type LambdaServer } from '../api/triggers/lambda-server.js';
import { engines, startServer, type TestServer } from '../support/server.js';
import { startSamlIdp, type SamlIdp } from './saml-idp.js';
import { appVisit } from '../oauth/hosted-ui-fixture.js';

const insecure = { execute: [client.allowInsecureRequests] };

for (const engine of engines) {
  describe(`SAML triggers, IdP logout and encrypted assertions (${engine})`, { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
    let s: TestServer;
    let lambda: LambdaServer;
    let idp: SamlIdp;
    let app: TestApp;
    let b: TestBrowser;
    let poolId: string;
    let base: string;
    let clientId: string;
    let seen = 0;

    before(async () => {
      lambda = await startLambdaServer({ preSignUp: (e) => e, postConfirm: (e) => e, preAuth: (e) => e, postAuth: (e) => e, inbound: (e) => e });
      s = await startServer({ engine, env: { TESSERA_LAMBDA_ENDPOINT: lambda.url } });
      poolId = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'saml-more', LambdaConfig: { ...lambdaConfig({ PreSignUp: 'preSignUp', PostConfirmation: 'postConfirm', PreAuthentication: 'preAuth', PostAuthentication: 'postAuth' }), InboundFederation: { LambdaVersion: 'V1_0', LambdaArn: arnOf('inbound') } } }))).UserPool!.Id!;
      const prefix = `samlm${Date.now().toString(36)}`;
      await s.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
      base = `${s.url}/_domain/${prefix}`;
      idp = await startSamlIdp();
      idp.spLogoutUrl = `${base}/saml2/logout`;
      idp.spCertificate = (await s.idp.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate!;
      await s.idp.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: 'Corp',
          ProviderType: 'SAML',
          ProviderDetails: { MetadataFile: idp.metadata, IDPSignout: 'true' },
          AttributeMapping: { email: 'mail' },
        }),
      );
      await s.idp.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: 'Sealed',
          ProviderType: 'SAML',
          ProviderDetails: { MetadataURL: idp.metadataUrl, IDPInit: 'true', EncryptedResponses: 'true' },
          AttributeMapping: { email: 'mail' },
        }),
      );
      app = await startApp();
      clientId = (await seedWebClient(s, poolId, { CallbackURLs: [app.callback], LogoutURLs: [app.signedOut], SupportedIdentityProviders: ['COGNITO', 'Corp', 'Sealed'], AllowedOAuthScopes: ['openid', 'email'] })).clientId;
      b = await openBrowser();
    });
    after(async () => {
      await b?.close();
      await app?.close();
      await idp?.close();
      await s?.close();
      await lambda?.close();
    });

    const callback = (): Promise<URL> => appVisit(app, b.page, seen++);
    async function signIn(name: string) {
      await b.context.clearCookies();
      const config = await client.discovery(new URL(`${s.url}/${poolId}`), clientId, undefined, client.None(), insecure);
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: app.callback,
        scope: 'openid email',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: 'st',
      });
      await b.page.goto(url.toString());
      await b.page.getByRole('link', { name: 'Sign in with Corp' }).click();
      await b.page.locator('input[name=username]').fill(name);
      await b.page.locator('button[type=submit]').click();
      const back = await callback();
      await b.page.waitForURL((u) => u.toString().startsWith(app.callback)); // the browser is done with the redirect
      assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
      return client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: 'st' });
    }

    test('the login page button signs in through the IdP; the first sign-in runs PreSignUp_ExternalProvider and PostConfirmation, later ones PreAuthentication and PostAuthentication', async () => {
      idp.users.set('dana@corp.example', { mail: 'dana@corp.example' });
      const tokens = await signIn('dana@corp.example');
      assert.equal(tokens.claims()!['cognito:username'], 'Corp_dana@corp.example');
      const pre = lambda.events('preSignUp');
      assert.equal(pre.length, 1);
      assert.equal(pre[0].triggerSource, 'PreSignUp_ExternalProvider');
      assert.equal(pre[0].userName, 'Corp_dana@corp.example');
      assert.equal(pre[0].request.userAttributes.email, 'dana@corp.example');
      assert.deepEqual(lambda.events('postConfirm').map((e) => [e.triggerSource, e.userName]), [['PostConfirmation_ConfirmSignUp', 'Corp_dana@corp.example']]);
      assert.equal(lambda.events('preAuth').length, 0);
      assert.equal(lambda.events('postAuth').length, 0);
      await signIn('dana@corp.example');
      assert.equal(lambda.events('preSignUp').length, 1);
      assert.equal(lambda.events('postConfirm').length, 1);
      assert.deepEqual(lambda.events('preAuth').map((e) => e.triggerSource), ['PreAuthentication_Authentication']);
      assert.deepEqual(lambda.events('postAuth').map((e) => e.triggerSource), ['PostAuthentication_Authentication']);
      // InboundFederation on both, with the assertion's attributes (and no token response).
      const inbound = lambda.events('inbound');
      assert.equal(inbound.length, 2);
      assert.equal(inbound[0].triggerSource, 'InboundFederation_ExternalProvider');
      assert.equal(inbound[0].request.providerType, 'SAML');
      assert.equal(inbound[0].request.providerName, 'Corp');
      assert.equal(inbound[0].request.attributes.samlResponse.mail, 'dana@corp.example');
      assert.equal(inbound[0].request.attributes.tokenResponse, undefined);
    });

    test("the IdP's own LogoutRequest ends the hosted session and is answered with a LogoutResponse", async () => {
      // Signed in (previous test): the authorize endpoint answers at once, without the login page.
      const authorize = `${base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: app.callback, scope: 'openid' })}`;
      await b.page.goto(authorize);
      assert.ok((await callback()).searchParams.get('code'));
      await b.page.waitForURL((u) => u.toString().startsWith(app.callback));

      const logoutUrl = idp.logoutRequestUrl('dana@corp.example');
      await b.page.goto(logoutUrl);
      await b.page.getByText('signed out at the IdP').waitFor();
      const answer = idp.logoutResponses.at(-1)!;
      assert.equal(answer.status, 'urn:oasis:names:tc:SAML:2.0:status:Success');
      assert.equal(answer.relay, 'idp-logout-relay');

      await b.page.goto(authorize);
      assert.match(new URL(b.page.url()).pathname, /\/login$/, 'no session any more');

      // Another subject's LogoutRequest is refused, and so is the same LogoutRequest a second time.
      await signIn('dana@corp.example');
      await b.page.goto(idp.logoutRequestUrl('someone-else@corp.example'));
      assert.match(await b.page.content(), /another subject/);
      await b.page.goto(logoutUrl);
      assert.match(await b.page.content(), /already used/);
      await b.page.goto(authorize);
      assert.ok((await callback()).searchParams.get('code'), 'the session survived both');
    });

    test('an IdP LogoutRequest POSTed cross-site without cookies (HTTP-POST binding) ends the sessions of its NameID and SessionIndex', async () => {
      const authorize = `${base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: app.callback, scope: 'openid' })}`;
      /** Whether the browser's session still signs in silently (else the login page shows). */
      async function silentSignIn(): Promise<boolean> {
        await b.page.goto(authorize);
        if (/\/login$/.test(new URL(b.page.url()).pathname)) return false;
        assert.ok((await callback()).searchParams.get('code'));
        await b.page.waitForURL((u) => u.toString().startsWith(app.callback));
        return true;
      }
      async function idpLogout(nameID: string, sessionIndex?: string) {
        const res = await idp.postLogoutRequest(nameID, sessionIndex);
        assert.equal(res.status, 302, `the LogoutRequest was refused: ${res.status} ${(await res.text()).slice(0, 300)}`);
        const to = res.headers.get('location')!;
        assert.ok(to.startsWith(`${idp.url}/slo?SAMLResponse=`), to);
        const before = idp.logoutResponses.length;
        await fetch(to); // the LogoutResponse reaches the IdP
        assert.equal(idp.logoutResponses.length, before + 1);
        assert.equal(idp.logoutResponses.at(-1)!.status, 'urn:oasis:names:tc:SAML:2.0:status:Success');
        assert.equal(idp.logoutResponses.at(-1)!.relay, 'idp-post-logout-relay');
      }

      // The SP metadata offers both bindings for single logout.
      const md = await (await fetch(`${base}/saml2/metadata`)).text();
      assert.match(md, /<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-POST" Location="[^"]*\/saml2\/logout"/);
      assert.match(md, /<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Redirect" Location="[^"]*\/saml2\/logout"/);

      await signIn('dana@corp.example');
      assert.equal(await silentSignIn(), true);
      // Another subject, or another SessionIndex of this one: the session stays.
      await idpLogout('erin@corp.example');
      await idpLogout('dana@corp.example', '_s-not-this-session');
      assert.equal(await silentSignIn(), true, 'the session survives logouts that are not its own');
      // Its SessionIndex: the session ends, though the browser sent nothing.
      const index = idp.sessionIndexes.get('dana@corp.example')!;
      assert.ok(index);
      const signOuts = async () =>
        (await s.app.audit.list({ poolId, limit: 100 })).events.filter((e) => e.type === 'SignOut' && e.username === 'Corp_dana@corp.example' && e.detail?.op === 'SamlLogoutRequest').length;
      const before = await signOuts();
      await idpLogout('dana@corp.example', index);
      assert.equal(await silentSignIn(), false, 'the login page shows again');
      assert.equal(await signOuts(), before + 1, 'a SignOut event for the user');

      // No SessionIndex: every session of the NameID started before it ends; a later sign-in is fine.
      await signIn('dana@corp.example');
      assert.equal(await silentSignIn(), true);
      await idpLogout('dana@corp.example');
      assert.equal(await silentSignIn(), false);
      await signIn('dana@corp.example');
      assert.equal(await silentSignIn(), true, 'a sign-in after the logout is not ended by it');
    });

    test('EncryptedResponses: the pool certificate is published; an encrypted assertion signs in, a plain one is refused', async () => {
      const d = (await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Sealed' }))).IdentityProvider!;
      assert.equal(d.ProviderDetails!.ActiveEncryptionCertificate, idp.spCertificate);
      const acs = `${base}/saml2/idpresponse`;
      const relay = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: app.callback, scope: 'openid email', identity_provider: 'Sealed' }).toString();
      const o = { acs, audience: `urn:amazon:cognito:sp:${poolId}`, nameID: 'erin@corp.example', attributes: { mail: 'erin@corp.example' } };

      const plain = await postForm(acs, { SAMLResponse: idp.response(o), RelayState: relay });
      const refusedAt = new URL(plain.headers.get('location')!);
      assert.equal(refusedAt.searchParams.get('error'), 'invalid_request');
      assert.match(refusedAt.searchParams.get('error_description')!, /not encrypted/);

      const sealed = await postForm(acs, { SAMLResponse: await idp.encryptedResponse(o, idp.spCertificate!), RelayState: relay });
      const at = new URL(sealed.headers.get('location')!);
      assert.equal(at.searchParams.get('error'), null, at.searchParams.get('error_description') ?? '');
      const code = at.searchParams.get('code')!;
      const tokenRes = await postForm(`${base}/oauth2/token`, { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: app.callback });
      assert.equal(tokenRes.status, 200);
      const claims = JSON.parse(Buffer.from(((await tokenRes.json()) as { id_token: string }).id_token.split('.')[1], 'base64url').toString());
      assert.equal(claims['cognito:username'], 'Sealed_erin@corp.example');
      assert.equal(claims.email, 'erin@corp.example');
    });
  });
}
