// Lambda triggers on a federated sign-in (chromium, oidc-provider 8 upstream, the test Lambda
// server): the first sign-in runs PreSignUp_ExternalProvider for `<ProviderName>_<sub>`, and the
// code exchange runs PostAuthentication; a returning user does not run PreSignUp again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateIdentityProviderCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from '../oauth/browser.js';
import { seedWebClient } from '../oauth/support.js';
import { lambdaConfig } from '../api/triggers/support.js';
import { startLambdaServer, type LambdaServer } from '../api/triggers/lambda-server.js';
import { startServer, type TestServer } from '../support/server.js';
import { startUpstream, type Upstream } from './upstream.js';

const insecure = { execute: [client.allowInsecureRequests] };

describe('triggers on federated sign-in', { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
  let s: TestServer;
  let lambda: LambdaServer;
  let up: Upstream;
  let app: TestApp;
  let b: TestBrowser;
  let poolId: string;
  let clientId: string;

  before(async () => {
    lambda = await startLambdaServer({ preSignUp: (e) => e, postAuth: (e) => e });
    s = await startServer({ engine: 'sqlite', env: { TESSERA_LAMBDA_ENDPOINT: lambda.url } });
    poolId = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'fed-triggers', LambdaConfig: lambdaConfig({ PreSignUp: 'preSignUp', PostAuthentication: 'postAuth' }) }))).UserPool!.Id!;
    const prefix = `fedtrig${Date.now().toString(36)}`;
    await s.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    const base = `${s.url}/_domain/${prefix}`;
    up = await startUpstream({ redirectUris: [`${base}/oauth2/idpresponse`] });
    await s.idp.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'Upstream',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: up.clientId, client_secret: up.clientSecret, authorize_scopes: 'openid email', oidc_issuer: up.issuer, attributes_request_method: 'GET' },
        AttributeMapping: { email: 'email' },
      }),
    );
    app = await startApp();
    clientId = (await seedWebClient(s, poolId, { CallbackURLs: [app.callback], SupportedIdentityProviders: ['Upstream'], AllowedOAuthScopes: ['openid', 'email'] })).clientId;
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await app?.close();
    await up?.close();
    await s?.close();
    await lambda?.close();
  });

  async function signIn(login: string) {
    await b.context.clearCookies();
    const config = await client.discovery(new URL(`${s.url}/${poolId}`), clientId, undefined, client.None(), insecure);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: app.callback,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      identity_provider: 'Upstream',
    });
    const seen = app.visits.length;
    await b.page.goto(url.toString());
    await b.page.locator('input[name=login]').fill(login);
    await b.page.locator('input[name=password]').fill('anything');
    await b.page.locator('button[type=submit]').click();
    const deadline = Date.now() + 10_000;
    while (app.visits.length <= seen) {
      if (Date.now() > deadline) throw new Error(`no new visit to the app; the browser is at ${b.page.url()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const back = new URL(app.visits[seen]);
    assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
    return client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: client.skipStateCheck });
  }

  test('PreSignUp_ExternalProvider on the first sign-in only; PostAuthentication at each code exchange', async () => {
    up.accounts.set('t-1', { email: 't1@example.com', email_verified: true });
    await signIn('t-1');
    const pre = lambda.events('preSignUp');
    assert.equal(pre.length, 1);
    assert.equal(pre[0].triggerSource, 'PreSignUp_ExternalProvider');
    assert.equal(pre[0].userName, 'Upstream_t-1');
    assert.equal(pre[0].request.userAttributes.email, 't1@example.com');
    assert.equal(lambda.events('postAuth').length, 1);
    await signIn('t-1');
    assert.equal(lambda.events('preSignUp').length, 1);
    assert.equal(lambda.events('postAuth').length, 2);
  });
});
