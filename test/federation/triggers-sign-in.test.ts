// Lambda triggers on a federated sign-in (chromium, oidc-provider 8 upstream, the test Lambda
// server), with the trigger sources Cognito documents for federated users: the first sign-in runs
// PreSignUp_ExternalProvider for `<ProviderName>_<sub>` and PostConfirmation_ConfirmSignUp, and
// its tokens come without PostAuthentication; a returning user runs PreAuthentication_Authentication
// and, at the code exchange, PostAuthentication_Authentication. PreTokenGeneration runs on each as
// TokenGeneration_HostedAuth. A refusing PreAuthentication stops the sign-in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, CreateIdentityProviderCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from '../oauth/browser.js';
import { appVisit, authorizationRequest } from '../oauth/hosted-ui-fixture.js';
import { seedWebClient } from '../oauth/support.js';
import { lambdaConfig } from '../api/triggers/support.js';
import { arnOf, startLambdaServer, type LambdaServer } from '../api/triggers/lambda-server.js';
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
    lambda = await startLambdaServer({ preSignUp: (e) => e, postConfirm: (e) => e, preAuth: (e) => e, postAuth: (e) => e, preToken: (e) => e, inbound: (e) => e });
    s = await startServer({ engine: 'sqlite', env: { TESSERA_LAMBDA_ENDPOINT: lambda.url } });
    poolId = (
      await s.idp.send(
        new CreateUserPoolCommand({
          PoolName: 'fed-triggers',
          LambdaConfig: {
            ...lambdaConfig({ PreSignUp: 'preSignUp', PostConfirmation: 'postConfirm', PreAuthentication: 'preAuth', PostAuthentication: 'postAuth', PreTokenGeneration: 'preToken' }),
            InboundFederation: { LambdaVersion: 'V1_0', LambdaArn: arnOf('inbound') },
          },
        }),
      )
    ).UserPool!.Id!;
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

  async function signIn(login: string, opts: { refused?: boolean } = {}) {
    await b.context.clearCookies();
    const config = await client.discovery(new URL(`${s.url}/${poolId}`), clientId, undefined, client.None(), insecure);
    const { url, checks } = await authorizationRequest(config, app.callback, { scope: 'openid email', identity_provider: 'Upstream' }, { state: false, nonce: false });
    const seen = app.visits.length;
    await b.page.goto(url.toString());
    await b.page.locator('input[name=login]').fill(login);
    await b.page.locator('input[name=password]').fill('anything');
    await b.page.locator('button[type=submit]').click();
    const back = await appVisit(app, b.page, seen);
    if (opts.refused) return back;
    assert.equal(back.searchParams.get('error'), null, back.searchParams.get('error_description') ?? '');
    return client.authorizationCodeGrant(config, back, checks);
  }

  const attrsOf = async (username: string) =>
    Object.fromEntries(((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
  const emailOf = async (username: string) =>
    (await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes?.find((a) => a.Name === 'email')?.Value;
  const sources = () => lambda.events('preSignUp').concat(lambda.events('postConfirm'), lambda.events('preAuth'), lambda.events('postAuth'), lambda.events('preToken'));
  /** The trigger sources the user's sign-ins ran so far, sorted (the functions' logs are kept apart). */
  const ofUser = (name: string) => sources().filter((e) => e.userName === name).map((e) => e.triggerSource).sort();

  test('first sign-in: PreSignUp_ExternalProvider, PostConfirmation_ConfirmSignUp, no PostAuthentication; then PreAuthentication and PostAuthentication each time', async () => {
    up.accounts.set('t-1', { email: 't1@example.com', email_verified: true });
    await signIn('t-1');
    const pre = lambda.events('preSignUp');
    assert.equal(pre.length, 1);
    assert.equal(pre[0].triggerSource, 'PreSignUp_ExternalProvider');
    assert.equal(pre[0].userName, 'Upstream_t-1');
    assert.equal(pre[0].request.userAttributes.email, 't1@example.com');
    const confirmed = lambda.events('postConfirm');
    assert.equal(confirmed.length, 1);
    assert.equal(confirmed[0].triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.equal(confirmed[0].userName, 'Upstream_t-1');
    assert.equal(confirmed[0].callerContext.clientId, clientId);
    assert.equal(confirmed[0].request.userAttributes['cognito:user_status'], 'EXTERNAL_PROVIDER');
    assert.ok(confirmed[0].request.userAttributes.identities, 'the user as stored, identities included');
    assert.deepEqual(ofUser('Upstream_t-1'), ['PostConfirmation_ConfirmSignUp', 'PreSignUp_ExternalProvider', 'TokenGeneration_HostedAuth']);

    await signIn('t-1');
    assert.equal(lambda.events('preSignUp').length, 1);
    assert.equal(lambda.events('postConfirm').length, 1);
    const preAuth = lambda.events('preAuth');
    assert.equal(preAuth.length, 1);
    assert.equal(preAuth[0].triggerSource, 'PreAuthentication_Authentication');
    assert.equal(preAuth[0].request.userAttributes.email, 't1@example.com');
    assert.equal(lambda.events('postAuth').length, 1);
    assert.equal(lambda.events('postAuth')[0].triggerSource, 'PostAuthentication_Authentication');
    assert.deepEqual(ofUser('Upstream_t-1'), [
      'PostAuthentication_Authentication',
      'PostConfirmation_ConfirmSignUp',
      'PreAuthentication_Authentication',
      'PreSignUp_ExternalProvider',
      'TokenGeneration_HostedAuth',
      'TokenGeneration_HostedAuth',
    ]);
  });

  test('a returning user refused by PreAuthentication gets no code: the app gets invalid_request with the function\'s message', async () => {
    up.accounts.set('t-2', { email: 't2@example.com', email_verified: true });
    await signIn('t-2');
    lambda.handlers.preAuth = (e) => {
      if (e.userName === 'Upstream_t-2') throw new Error('Not today');
      return e;
    };
    try {
      const before = lambda.events('postAuth').length;
      // The provider now says another e-mail: a refused sign-in writes nothing of it to the user.
      up.accounts.set('t-2', { email: 't2-new@example.com', email_verified: true });
      const back = (await signIn('t-2', { refused: true })) as URL;
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.equal(back.searchParams.get('error_description'), 'PreAuthentication failed with error Not today.');
      assert.equal(back.searchParams.get('code'), null);
      assert.equal(lambda.events('postAuth').length, before);
      assert.equal(await emailOf('Upstream_t-2'), 't2@example.com');
    } finally {
      lambda.handlers.preAuth = (e) => e;
    }
    await signIn('t-2');
    assert.equal(await emailOf('Upstream_t-2'), 't2-new@example.com');
  });

  test('a failing PostConfirmation: the first sign-in gets its error, the user stays, and the next sign-in is a returning one', async () => {
    up.accounts.set('t-3', { email: 't3@example.com', email_verified: true });
    lambda.handlers.postConfirm = (e) => {
      if (e.userName === 'Upstream_t-3') throw new Error('No profile store');
      return e;
    };
    try {
      const back = (await signIn('t-3', { refused: true })) as URL;
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.equal(back.searchParams.get('error_description'), 'PostConfirmation failed with error No profile store.');
      assert.equal(back.searchParams.get('code'), null);
    } finally {
      lambda.handlers.postConfirm = (e) => e;
    }
    assert.equal(await emailOf('Upstream_t-3'), 't3@example.com', 'the user was made');
    await signIn('t-3');
    assert.equal(lambda.events('preSignUp').filter((e) => e.userName === 'Upstream_t-3').length, 1);
    assert.equal(lambda.events('postConfirm').filter((e) => e.userName === 'Upstream_t-3').length, 1);
    assert.equal(lambda.events('preAuth').filter((e) => e.userName === 'Upstream_t-3').length, 1);
    assert.equal(lambda.events('postAuth').filter((e) => e.userName === 'Upstream_t-3').length, 1);
  });

  test('InboundFederation sees the provider\'s answer on every sign-in, and the attributes it returns replace the mapped ones', async () => {
    up.accounts.set('t-4', { email: 't4@example.com', email_verified: true });
    lambda.handlers.inbound = (e) => {
      if (e.userName !== 'Upstream_t-4') return e;
      // oidc-provider puts the e-mail in userinfo, not in the ID token (only sub there).
      const mail = (e.request.attributes.idToken.email ?? e.request.attributes.userInfo.email) as string;
      return { ...e, response: { userAttributesToMap: { email: mail.toUpperCase(), email_verified: 'true', name: `seen ${mail}` } } };
    };
    try {
      await signIn('t-4');
      const [ev] = lambda.events('inbound').filter((x) => x.userName === 'Upstream_t-4');
      assert.equal(ev.triggerSource, 'InboundFederation_ExternalProvider');
      assert.equal(ev.callerContext.clientId, clientId);
      assert.equal(ev.request.providerName, 'Upstream');
      assert.equal(ev.request.providerType, 'OIDC');
      const { tokenResponse, idToken } = ev.request.attributes;
      assert.equal(typeof tokenResponse.access_token, 'string');
      assert.equal(typeof tokenResponse.id_token, 'string');
      assert.equal(tokenResponse.token_type.toLowerCase(), 'bearer');
      assert.equal(idToken.sub, 't-4');
      assert.equal(idToken.email ?? ev.request.attributes.userInfo.email, 't4@example.com');
      assert.equal(idToken.iss, up.issuer);
      assert.equal(typeof idToken.exp, 'string', 'a map of strings: numbers as text');
      assert.equal(ev.request.attributes.samlResponse, undefined);
      // The function decided the attributes: its values, and only them, beside the identities.
      const user = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Upstream_t-4' }));
      const attrs = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
      assert.equal(attrs.email, 'T4@EXAMPLE.COM');
      assert.equal(attrs.name, 'seen t4@example.com');
      // The PreSignUp of this first sign-in saw those attributes too.
      const pre = lambda.events('preSignUp').find((x) => x.userName === 'Upstream_t-4');
      assert.equal(pre.request.userAttributes.email, 'T4@EXAMPLE.COM');

      // A returning sign-in: the answer is the whole set. What it leaves out goes (name), and the
      // new address is not verified because the old one was.
      lambda.handlers.inbound = (e) => (e.userName === 'Upstream_t-4' ? { ...e, response: { userAttributesToMap: { email: 'moved@example.com' } } } : e);
      await signIn('t-4');
      const after = await attrsOf('Upstream_t-4');
      assert.equal(after.email, 'moved@example.com');
      assert.equal(after.email_verified, undefined);
      assert.equal(after.name, undefined);
      assert.ok(after.identities, 'the identities stay');

      // {} keeps the mapping (the provider's e-mail).
      lambda.handlers.inbound = (e) => e;
      await signIn('t-4');
      assert.equal(lambda.events('inbound').filter((x) => x.userName === 'Upstream_t-4').length, 3);
      assert.equal(await emailOf('Upstream_t-4'), 't4@example.com');

      // A value an administrator could not write is the function's error too.
      lambda.handlers.inbound = (e) => (e.userName === 'Upstream_t-4' ? { ...e, response: { userAttributesToMap: { email: 'not-an-address' } } } : e);
      const badMail = (await signIn('t-4', { refused: true })) as URL;
      assert.equal(badMail.searchParams.get('error_description'), 'Invalid lambda function output : Invalid email address format.');
      assert.equal(await emailOf('Upstream_t-4'), 't4@example.com');

      // An attribute the pool does not have is the function's error: no sign-in.
      lambda.handlers.inbound = (e) => (e.userName === 'Upstream_t-4' ? { ...e, response: { userAttributesToMap: { shoe_size: '44' } } } : e);
      const back = (await signIn('t-4', { refused: true })) as URL;
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.match(back.searchParams.get('error_description') ?? '', /shoe_size is not an attribute of the user pool/);
    } finally {
      lambda.handlers.inbound = (e) => e;
    }
  });
});
