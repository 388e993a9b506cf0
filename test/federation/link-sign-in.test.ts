// Federated sign-ins that land on native users, in chromium against oidc-provider 8: an identity
// linked by AdminLinkProviderForUser signs in as the native user (its tokens, with identities);
// with the provider's tessera_auto_link_verified_email option a verified upstream e-mail links
// to the native user with the same verified e-mail, and an unverified one never does.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, AdminLinkProviderForUserCommand, CreateIdentityProviderCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from '../oauth/browser.js';
import { appVisit, authorizationRequest } from '../oauth/hosted-ui-fixture.js';
import { seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from '../oauth/support.js';
import { startServer, type TestServer } from '../support/server.js';
import { startUpstream, type Upstream } from './upstream.js';

const insecure = { execute: [client.allowInsecureRequests] };

describe('linked and auto-linked federated sign-in', { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
  let s: TestServer;
  let o: OAuthSetup;
  let up: Upstream;
  let app: TestApp;
  let b: TestBrowser;
  let clientId: string;
  let seen = 0;

  before(async () => {
    s = await startServer({ engine: 'sqlite' });
    o = await seedOAuthPool(s);
    up = await startUpstream({ redirectUris: [`${o.base}/oauth2/idpresponse`] });
    const details = { client_id: up.clientId, client_secret: up.clientSecret, authorize_scopes: 'openid email profile', oidc_issuer: up.issuer, attributes_request_method: 'GET' };
    const mapping = { email: 'email', email_verified: 'email_verified' };
    await s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'Plain', ProviderType: 'OIDC', ProviderDetails: details, AttributeMapping: mapping }));
    await s.idp.send(
      new CreateIdentityProviderCommand({
        UserPoolId: o.poolId,
        ProviderName: 'AutoLink',
        ProviderType: 'OIDC',
        ProviderDetails: { ...details, tessera_auto_link_verified_email: 'true' },
        AttributeMapping: mapping,
      }),
    );
    app = await startApp();
    clientId = (await seedWebClient(s, o.poolId, { CallbackURLs: [app.callback], SupportedIdentityProviders: ['COGNITO', 'Plain', 'AutoLink'] })).clientId;
    await seedUser(s, o.poolId, 'carol', { email: 'carol@example.com', email_verified: 'true' });
    await seedUser(s, o.poolId, 'dave', { email: 'dave@example.com', email_verified: 'true' });
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await app?.close();
    await up?.close();
    await s?.close();
  });

  /** Signs in through `provider` as upstream `login`; the claims of Tessera's ID token. */
  async function signIn(provider: string, login: string) {
    await b.context.clearCookies();
    const config = await client.discovery(new URL(`${s.url}/${o.poolId}`), clientId, undefined, client.None(), insecure);
    const { url, checks } = await authorizationRequest(config, app.callback, { identity_provider: provider }, { nonce: false });
    await b.page.goto(url.toString());
    await b.page.locator('input[name=login]').fill(login);
    await b.page.locator('input[name=password]').fill('anything');
    await b.page.locator('button[type=submit]').click();
    const back = await appVisit(app, b.page, seen++);
    assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
    const tokens = await client.authorizationCodeGrant(config, back, checks);
    return tokens.claims()!;
  }

  test('an identity linked by AdminLinkProviderForUser signs in as the native user', async () => {
    up.accounts.set('ext-carol', { email: 'someone-else@example.com', email_verified: true });
    await s.idp.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: o.poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'carol' },
        SourceUser: { ProviderName: 'Plain', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'ext-carol' },
      }),
    );
    const claims = await signIn('Plain', 'ext-carol');
    assert.equal(claims['cognito:username'], 'carol');
    assert.equal(claims.email, 'carol@example.com');
    const ids = claims.identities as { userId: string; providerName: string }[];
    assert.deepEqual(ids.map((i) => [i.providerName, i.userId]), [['Plain', 'ext-carol']]);
  });

  test('auto-link: a verified upstream e-mail lands on the native user with that verified e-mail', async () => {
    up.accounts.set('ext-dave', { email: 'Dave@example.com', email_verified: true });
    const claims = await signIn('AutoLink', 'ext-dave');
    assert.equal(claims['cognito:username'], 'dave');
    assert.deepEqual((claims.identities as { userId: string }[]).map((i) => i.userId), ['ext-dave']);
    const again = await signIn('AutoLink', 'ext-dave');
    assert.equal(again['cognito:username'], 'dave');
  });

  test('auto-link never follows an unverified upstream e-mail', async () => {
    up.accounts.set('ext-mallory', { email: 'carol@example.com', email_verified: false });
    const claims = await signIn('AutoLink', 'ext-mallory');
    assert.equal(claims['cognito:username'], 'AutoLink_ext-mallory');
    const carol = await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'carol' }));
    const ids = JSON.parse(carol.UserAttributes!.find((a) => a.Name === 'identities')!.Value!) as { userId: string }[];
    assert.deepEqual(ids.map((i) => i.userId), ['ext-carol']);
  });
});
