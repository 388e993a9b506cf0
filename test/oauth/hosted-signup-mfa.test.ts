// The sign-in that follows a hosted sign-up's confirmation is a sign-in like any other, over plain
// HTTP on both engines: in a pool that requires MFA it leads to the authenticator set-up page, not
// straight to a code on the redirect URI; in a pool without MFA it ends on the redirect URI. A pool
// where only administrators create users has no sign-up page at all.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ListUsersCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../support/server.js';
import { configureMfa, lastCode } from '../api/mfa/support.js';
import { CALLBACK, PASSWORD, cookiesOf, get, hiddenField, postForm, seedOAuthPool, seedWebClient, type OAuthSetup } from './support.js';

for (const engine of engines) {
  describe(`hosted sign-up, then the sign-in it leads to (${engine})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startServer({ engine });
    });
    after(() => s.close());

    /** Signs up `username` on the hosted pages and posts the confirmation code: the last response. */
    async function signUpAndConfirm(o: OAuthSetup, clientId: string, username: string) {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' });
      const page = await get(`${o.base}/signup?${q}`);
      const cookie = cookiesOf(page);
      const email = `${username}@example.com`;
      const signed = await postForm(`${o.base}/signup?${q}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username, email, password: PASSWORD }, { cookie });
      const html = await signed.text();
      assert.equal(signed.status, 200, html.slice(0, 400));
      const pending = hiddenField(html, 'pending')!;
      assert.ok(pending);
      return postForm(`${o.base}/confirm?${q}`, { _csrf: hiddenField(html, '_csrf')!, username, code: await lastCode(s, email), pending }, { cookie: cookiesOf(signed, cookie) });
    }

    test('a pool that requires MFA: the confirmation leads to the authenticator set-up, not to a code', async () => {
      const o = await seedOAuthPool(s, { AutoVerifiedAttributes: ['email'] });
      await configureMfa(s, o.poolId, { MfaConfiguration: 'ON' });
      const { clientId } = await seedWebClient(s, o.poolId);
      const res = await signUpAndConfirm(o, clientId, 'newcomer');
      const html = await res.text();
      assert.equal(res.status, 200, `expected a page, got ${res.status} ${res.headers.get('location') ?? ''}`);
      assert.match(html, /Set up an authenticator app/);
      assert.doesNotMatch(html, /callback\?code=/);
    });

    test('a pool without MFA: the confirmation ends with a code on the redirect URI', async () => {
      const o = await seedOAuthPool(s, { AutoVerifiedAttributes: ['email'] });
      const { clientId } = await seedWebClient(s, o.poolId);
      const res = await signUpAndConfirm(o, clientId, 'plain');
      assert.equal(res.status, 302);
      assert.match(res.headers.get('location') ?? '', /^http:\/\/localhost:5999\/callback\?code=/);
    });

    test('a pool where only administrators create users shows no sign-up form and takes no sign-up', async () => {
      const o = await seedOAuthPool(s, { AutoVerifiedAttributes: ['email'] });
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: o.poolId, AutoVerifiedAttributes: ['email'], AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } }));
      const { clientId } = await seedWebClient(s, o.poolId);
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' });
      const page = await get(`${o.base}/signup?${q}`);
      const html = await page.text();
      assert.equal(page.status, 403);
      assert.doesNotMatch(html, /name="password2?"[^>]*autocomplete="new-password"/);
      assert.equal(hiddenField(html, 'pending'), undefined);
      const login = await get(`${o.base}/login?${q}`);
      const res = await postForm(`${o.base}/signup?${q}`, { _csrf: hiddenField(await login.text(), '_csrf')!, username: 'gatecrasher', email: 'g@example.com', password: PASSWORD }, { cookie: cookiesOf(login) });
      assert.equal(res.status, 400);
      const users = await s.idp.send(new ListUsersCommand({ UserPoolId: o.poolId }));
      assert.deepEqual(users.Users, []);
    });
  });
}
