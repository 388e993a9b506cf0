// RFC 6749 §4.1.2: an authorization code presented a second time is refused, and the tokens
// issued from its first redemption are revoked (the refresh token no longer refreshes, on the
// token endpoint nor through the SDK, and the access token no longer calls the API), also when
// the presentations arrive at once and the first is still issuing its tokens.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../support/server.js';
import { CALLBACK, PASSWORD, cookiesOf, get, hiddenField, postForm, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

for (const engine of engines) {
  describe(`a reused authorization code (${engine})`, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let web: { clientId: string };
    before(async () => {
      s = await startServer({ engine });
      o = await seedOAuthPool(s);
      web = await seedWebClient(s, o.poolId, { ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'] });
      await seedUser(s, o.poolId, 'reuser', { email: 'reuser@example.com' });
    });
    after(() => s.close());

    async function code(clientId = web.clientId): Promise<string> {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid aws.cognito.signin.user.admin' });
      const page = await get(`${o.base}/login?${q}`);
      const res = await postForm(`${o.base}/login?${q}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username: 'reuser', password: PASSWORD }, { cookie: cookiesOf(page) });
      assert.equal(res.status, 302);
      return new URL(res.headers.get('location')!).searchParams.get('code')!;
    }
    const token = (fields: Record<string, string>) => postForm(`${o.base}/oauth2/token`, { client_id: web.clientId, ...fields });

    test('revokes the tokens of the first exchange; tokens of other codes live on', async () => {
      const first = await code();
      const other = await code();
      const r1 = await token({ grant_type: 'authorization_code', code: first, redirect_uri: CALLBACK });
      assert.equal(r1.status, 200);
      const t1 = (await r1.json()) as { access_token: string; refresh_token: string };
      const r2 = await token({ grant_type: 'authorization_code', code: other, redirect_uri: CALLBACK });
      const t2 = (await r2.json()) as { access_token: string; refresh_token: string };
      // Before the reuse the first refresh token works.
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: t1.refresh_token })).status, 200);

      const again = await token({ grant_type: 'authorization_code', code: first, redirect_uri: CALLBACK });
      assert.equal(again.status, 400);
      assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');

      const refused = await token({ grant_type: 'refresh_token', refresh_token: t1.refresh_token });
      assert.equal(refused.status, 400);
      assert.equal(((await refused.json()) as { error: string }).error, 'invalid_grant');
      const idp = publicClient(s.url);
      try {
        await assert.rejects(
          idp.send(new InitiateAuthCommand({ ClientId: web.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: t1.refresh_token } })),
          (e: Error) => e.name === 'NotAuthorizedException',
        );
        await assert.rejects(idp.send(new GetUserCommand({ AccessToken: t1.access_token })), (e: Error) => e.name === 'NotAuthorizedException');
        // The other sign-in is untouched.
        const ok = await idp.send(new InitiateAuthCommand({ ClientId: web.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: t2.refresh_token } }));
        assert.ok(ok.AuthenticationResult?.AccessToken);
        assert.equal((await idp.send(new GetUserCommand({ AccessToken: t2.access_token }))).Username, 'reuser');
      } finally {
        idp.destroy();
      }
    });

    test('a rotating client without ALLOW_REFRESH_TOKEN_AUTH (as Cognito asks) refreshes at the token endpoint, with rotation', async () => {
      const rotating = await seedWebClient(s, o.poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'], RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } });
      const grant = (fields: Record<string, string>) => postForm(`${o.base}/oauth2/token`, { client_id: rotating.clientId, ...fields });
      const first = (await (await grant({ grant_type: 'authorization_code', code: await code(rotating.clientId), redirect_uri: CALLBACK })).json()) as { refresh_token: string };
      const r = await grant({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      assert.equal(r.status, 200);
      const next = (await r.json()) as { refresh_token?: string };
      assert.ok(next.refresh_token && next.refresh_token !== first.refresh_token);
      assert.equal((await grant({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).status, 400, 'rotated out');
    });

    test('the same code presented several times at once: however the exchanges interleave, no tokens of it survive', async () => {
      for (let round = 0; round < 8; round++) {
        const c = await code();
        const answers = await Promise.all(Array.from({ length: 5 }, () => token({ grant_type: 'authorization_code', code: c, redirect_uri: CALLBACK })));
        const won = answers.filter((r) => r.status === 200);
        assert.ok(won.length <= 1, `round ${round}: one exchange at most`);
        for (const r of won) {
          const t = (await r.json()) as { access_token: string; refresh_token: string };
          const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
          assert.equal(refreshed.status, 400, `round ${round}: the winner's refresh token is revoked`);
          const info = await get(`${o.base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
          assert.equal(info.status, 401, `round ${round}: the winner's access token is revoked`);
        }
      }
    });
  });
}
