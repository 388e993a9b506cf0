// Hosted-UI and OAuth sign-ins leave the same audit events as the API's: a person signs in from
// the hosted pages in chromium (a wrong password, then the right one), the application exchanges
// the code and refreshes with openid-client, revokes, and the person signs out. The SDK's
// AdminListUserAuthEvents lists the two SignIn events with the password result and the address;
// the trail also holds the code exchange, the refresh and the two sign-outs. On every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminListUserAuthEventsCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { engines, startServer, type TestServer } from '../support/server.js';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from './browser.js';
import { PASSWORD, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

const insecure = { execute: [client.allowInsecureRequests] };

for (const engine of engines) {
  describe(`hosted-UI audit events (${engine})`, { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let app: TestApp;
    let b: TestBrowser;
    let clientId: string;

    before(async () => {
      s = await startServer({ engine });
      app = await startApp();
      o = await seedOAuthPool(s, { AutoVerifiedAttributes: ['email'] });
      clientId = (await seedWebClient(s, o.poolId, { CallbackURLs: [app.callback], LogoutURLs: [app.signedOut] })).clientId;
      await seedUser(s, o.poolId, 'hedy', { email: 'hedy@example.com', email_verified: 'true' });
      b = await openBrowser();
    });
    after(async () => {
      await b?.close();
      await app?.close();
      await s?.close();
    });

    test('password sign-in, code exchange, refresh, revoke and logout are audited', async () => {
      const config = await client.discovery(new URL(`${s.url}/${o.poolId}`), clientId, undefined, client.None(), insecure);
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: app.callback,
        scope: 'openid email',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      await b.page.goto(url.toString());
      const type = async (pw: string) => {
        await b.page.getByLabel('Username, e-mail or phone number').fill('hedy');
        await b.page.getByLabel('Password', { exact: true }).fill(pw);
        await b.page.getByLabel('Password', { exact: true }).press('Enter');
      };
      await type('Not-the-passw0rd!');
      await b.page.getByRole('alert').waitFor();
      await type(PASSWORD);
      await b.page.waitForURL((u) => u.toString().startsWith(app.callback));
      const tokens = await client.authorizationCodeGrant(config, new URL(b.page.url()), { pkceCodeVerifier: verifier, expectedState: state });
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
      assert.ok(refreshed.access_token);
      await client.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
      await b.page.goto(`${o.base}/logout?client_id=${clientId}&logout_uri=${encodeURIComponent(app.signedOut)}`);
      await b.page.waitForURL((u) => u.toString().startsWith(app.signedOut));

      // What Cognito's API shows: the two SignIn events of the hosted form, newest first.
      const listed = await s.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: o.poolId, Username: 'hedy' }));
      const signIns = listed.AuthEvents!.filter((e) => e.EventType === 'SignIn');
      assert.equal(signIns.length, 2);
      const [pass, fail] = signIns;
      assert.equal(pass.EventResponse, 'Pass');
      assert.deepEqual(pass.ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]);
      assert.equal(fail.EventResponse, 'Fail');
      assert.deepEqual(fail.ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }]);
      assert.match(pass.EventContextData?.IpAddress ?? '', /127\.0\.0\.1|::1/);

      // The whole trail (as the console shows it): exchange, refresh, the two sign-outs, each naming the client.
      const trail = (await s.app.audit.list({ poolId: o.poolId, limit: 50 })).events.filter((e) => e.username === 'hedy' && !['AdminAction', 'PasswordChange'].includes(e.type)).reverse();
      assert.deepEqual(
        trail.map((e) => `${e.type}:${e.outcome}:${e.detail?.flow ?? e.detail?.op}`),
        [
          'SignIn:Fail:HOSTED_UI_PASSWORD',
          'SignIn:Pass:HOSTED_UI_PASSWORD',
          'TokenExchange:Pass:authorization_code',
          'Refresh:Pass:refresh_token',
          'SignOut:Pass:OAuthRevoke',
          'SignOut:Pass:HostedLogout',
        ],
      );
      assert.equal(trail[0]!.detail?.reason, 'NotAuthorizedException');
      assert.ok(trail.every((e) => e.clientId === clientId));
      // Nothing secret in the trail.
      const text = JSON.stringify(trail);
      assert.ok(!text.includes(PASSWORD) && !text.includes(tokens.refresh_token!) && !text.includes(tokens.access_token));
    });

    test('hosted sign-up, its confirmation and a forgotten password are SignUp and ForgotPassword events', async () => {
      const config = await client.discovery(new URL(`${s.url}/${o.poolId}`), clientId, undefined, client.None(), insecure);
      await b.page.goto(`${o.base}/logout`);
      await b.page.goto(client.buildAuthorizationUrl(config, { redirect_uri: app.callback, scope: 'openid', state: 'st-signup' }).toString());
      await b.page.getByRole('link', { name: 'Need an account? Sign up' }).click();
      await b.page.getByLabel('Username').fill('ivy');
      await b.page.getByLabel('E-mail').fill('ivy@example.com');
      await b.page.getByLabel('Password').fill(PASSWORD);
      await b.page.getByLabel('Password').press('Enter');
      await b.page.getByLabel('Verification code').waitFor();
      await b.page.getByLabel('Verification code').fill('000000');
      await b.page.getByLabel('Verification code').press('Enter');
      await b.page.getByRole('alert').waitFor();
      const code = (await s.app.store.outbox.list('ivy@example.com')).map((m) => /\b(\d{6})\b/.exec(m.body)![1])[0]!;
      await b.page.getByLabel('Verification code').fill(code);
      await b.page.getByLabel('Verification code').press('Enter');
      await b.page.waitForURL((u) => u.toString().startsWith(app.callback));

      await b.page.goto(`${o.base}/logout`);
      await b.page.goto(client.buildAuthorizationUrl(config, { redirect_uri: app.callback, scope: 'openid', state: 'st-forgot' }).toString());
      await b.page.getByRole('link', { name: 'Forgot your password?' }).click();
      await b.page.getByLabel('Username, e-mail or phone number').fill('ivy');
      await b.page.getByLabel('Username, e-mail or phone number').press('Enter');
      await b.page.getByLabel('Verification code').waitFor();
      const reset = (await s.app.store.outbox.list('ivy@example.com')).map((m) => /\b(\d{6})\b/.exec(m.body)![1])[0]!;
      await b.page.getByLabel('Verification code').fill(reset);
      await b.page.getByLabel('New password', { exact: true }).fill('Ivy-new-passw0rd!');
      await b.page.getByLabel('Repeat the new password').fill('Ivy-new-passw0rd!');
      await b.page.getByLabel('Repeat the new password').press('Enter');
      await b.page.getByRole('status').waitFor();

      const listed = await s.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: o.poolId, Username: 'ivy' }));
      assert.deepEqual(
        listed.AuthEvents!.map((e) => `${e.EventType}:${e.EventResponse}`).reverse(),
        ['SignUp:Pass', 'SignIn:Pass', 'ForgotPassword:Pass', 'ForgotPassword:Pass'],
      );
      const trail = (await s.app.audit.list({ poolId: o.poolId, limit: 50 })).events.filter((e) => e.username === 'ivy').reverse();
      assert.deepEqual(
        trail.map((e) => `${e.type}:${e.outcome}:${e.detail?.op}`),
        [
          'SignUp:Pass:HostedSignUp',
          'ConfirmSignUp:Fail:HostedConfirmSignUp',
          'ConfirmSignUp:Pass:HostedConfirmSignUp',
          'SignIn:Pass:HostedUI',
          'SignOut:Pass:HostedLogout',
          'ForgotPassword:Pass:HostedForgotPassword',
          'ForgotPassword:Pass:HostedConfirmForgotPassword',
        ],
      );
      assert.equal(trail[1]!.detail?.reason, 'CodeMismatchException');
    });

    test('a refused code exchange is a failed TokenExchange of the client', async () => {
      const r = await fetch(`${o.base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code: 'forged', redirect_uri: app.callback }),
      });
      assert.equal(r.status, 400);
      const events = (await s.app.audit.list({ poolId: o.poolId, limit: 5 })).events;
      assert.equal(events[0]!.type, 'TokenExchange');
      assert.equal(events[0]!.outcome, 'Fail');
      assert.equal(events[0]!.detail?.reason, 'invalid_grant');
      assert.equal(events[0]!.clientId, clientId);
    });
  });
}
