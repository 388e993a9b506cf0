// The hosted forgotten-password and reset pages follow the API's ForgotPassword and
// ConfirmForgotPassword rules, over plain HTTP on both engines: a disabled user and a user still
// waiting for a first password get no code; the reset applies the password history; and a reset
// revokes the user's earlier sign-ins, as ConfirmForgotPassword does.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminDisableUserCommand,
  InitiateAuthCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../support/server.js';
import { lastCode } from '../api/mfa/support.js';
import { CALLBACK, PASSWORD, cookiesOf, get, hiddenField, postForm, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

const NEW_PASSWORD = 'Brand-n3w-Passw0rd!';

for (const engine of engines) {
  describe(`hosted password reset follows the API's rules (${engine})`, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let clientId: string;
    let q: URLSearchParams;
    let pub: CognitoIdentityProviderClient;
    before(async () => {
      s = await startServer({ engine });
      o = await seedOAuthPool(s);
      clientId = (await seedWebClient(s, o.poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).clientId;
      q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    /** Posts the forgotten-password form for `username`: the response and its page. */
    async function forgot(username: string) {
      const page = await get(`${o.base}/forgotPassword?${q}`);
      const cookie = cookiesOf(page);
      const res = await postForm(`${o.base}/forgotPassword?${q}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username }, { cookie });
      return { res, html: await res.text(), cookie };
    }

    /** Asks for a code for `username` and posts the reset form with it and `password`. */
    async function reset(username: string, email: string, password: string) {
      const asked = await forgot(username);
      assert.equal(asked.res.status, 200, asked.html.slice(0, 300));
      const code = await lastCode(s, email);
      return postForm(
        `${o.base}/confirmForgotPassword?${q}`,
        { _csrf: hiddenField(asked.html, '_csrf')!, username, code, password, password2: password },
        { cookie: asked.cookie },
      );
    }

    const outboxCount = async (to: string) => (await s.app.store.outbox.list(to, 50)).length;

    test('a disabled user, and a user still waiting for a first password, get no code', async () => {
      await seedUser(s, o.poolId, 'off', { email: 'off@example.com', email_verified: 'true' });
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: o.poolId, Username: 'off' }));
      const disabled = await forgot('off');
      assert.equal(disabled.res.status, 400);
      assert.match(disabled.html, /disabled/i);
      assert.equal(await outboxCount('off@example.com'), 0);

      await seedUser(s, o.poolId, 'invited', { email: 'invited@example.com', email_verified: 'true' }, { temporary: true });
      const invited = await forgot('invited');
      assert.equal(invited.res.status, 400);
      assert.match(invited.html, /cannot be reset in the current state/);
      assert.equal(await outboxCount('invited@example.com'), 0);
    });

    test('the reset applies the password history', async () => {
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: o.poolId, Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 5 } } }));
      try {
        await seedUser(s, o.poolId, 'repeat', { email: 'repeat@example.com', email_verified: 'true' });
        const res = await reset('repeat', 'repeat@example.com', PASSWORD);
        assert.equal(res.status, 400);
        assert.match(await res.text(), /used recently/);
        // The old password still signs in: nothing was changed.
        const ok = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'repeat', PASSWORD } }));
        assert.ok(ok.AuthenticationResult?.AccessToken);
      } finally {
        await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: o.poolId }));
      }
    });

    test('a reset revokes the sign-ins made with the old password, and the new one signs in', async () => {
      await seedUser(s, o.poolId, 'robbed', { email: 'robbed@example.com', email_verified: 'true' });
      const before = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'robbed', PASSWORD } }));
      const refreshToken = before.AuthenticationResult!.RefreshToken!;
      const res = await reset('robbed', 'robbed@example.com', NEW_PASSWORD);
      assert.equal(res.status, 302);
      assert.match(res.headers.get('location') ?? '', /notice=reset/);
      await assert.rejects(
        pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } })),
        { name: 'NotAuthorizedException' },
      );
      const after = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'robbed', PASSWORD: NEW_PASSWORD } }));
      assert.ok(after.AuthenticationResult?.AccessToken);
    });
  });
}
