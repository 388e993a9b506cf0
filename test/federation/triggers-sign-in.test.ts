// Lambda triggers on a federated sign-in (chromium, oidc-provider 8 upstream, the test Lambda
// server): the first sign-in runs PreSignUp_ExternalProvider for `<ProviderName>_<sub>`, and the
// code exchange runs PostAuthentication; a returning user does not run PreSignUp again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateIdentityProviderCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from '../oauth/browser.js';
import { appVisit, authorizationRequest } from '../oauth/hosted-ui-fixture.js';
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
    const { url, checks } = await authorizationRequest(config, app.callback, { scope: 'openid email', identity_provider: 'Upstream' }, { state: false, nonce: false });
    const seen = app.visits.length;
    await b.page.goto(url.toString());
    await b.page.locator('input[name=login]').fill(login);
    await b.page.locator('input[name=password]').fill('anything');
    await b.page.locator('button[type=submit]').click();
    const back = await appVisit(app, b.page, seen);
    assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
    return client.authorizationCodeGrant(config, back, checks);
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
