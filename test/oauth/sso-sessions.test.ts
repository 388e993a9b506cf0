// Managed-login (SSO) sessions under session tracking, over plain HTTP: a hosted sign-in is an SSO
// session, the tokens of its code a token session that names it as origin; each client reuses it
// for its SSOSession.MaxValidityMinutes; revoking it (LINKED: with its token sessions) or signing
// out ends it, and its cookie no longer signs anyone in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  SetUserPoolClientSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../support/server.js';
import { CALLBACK, PASSWORD, cookiesOf, get, hiddenField, postForm, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

for (const engine of engines) {
  describe(`SSO sessions of the hosted UI under session tracking (${engine})`, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let clientId: string;
    before(async () => {
      s = await startServer({ engine });
      o = await seedOAuthPool(s);
      clientId = (await seedWebClient(s, o.poolId)).clientId;
      await seedUser(s, o.poolId, 'tess');
      await s.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: o.poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 20 } }));
    });
    after(() => s.close());

    const query = () => new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' });
    const codeOf = (res: Response) => {
      assert.equal(res.status, 302);
      const loc = new URL(res.headers.get('location')!);
      assert.equal(`${loc.origin}${loc.pathname}`, CALLBACK, `redirected to ${loc}`);
      return loc.searchParams.get('code')!;
    };
    /** Password sign-in on /login: the code and the browser's cookies. */
    async function signIn() {
      const page = await get(`${o.base}/login?${query()}`);
      const cookies = cookiesOf(page);
      const res = await postForm(`${o.base}/login?${query()}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username: 'tess', password: PASSWORD }, { cookie: cookies });
      return { code: codeOf(res), cookies: cookiesOf(res, cookies) };
    }
    const exchange = async (code: string) =>
      (await (await postForm(`${o.base}/oauth2/token`, { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: CALLBACK })).json()) as { refresh_token: string };
    const refreshStatus = async (refresh_token: string) => (await postForm(`${o.base}/oauth2/token`, { grant_type: 'refresh_token', refresh_token, client_id: clientId })).status;
    const authorizeWith = (cookie: string) => get(`${o.base}/oauth2/authorize?${query()}`, { headers: { cookie } });
    const sessions = async () => (await s.idp.send(new AdminListUserSessionsCommand({ UserPoolId: o.poolId, Username: 'tess' }))).Sessions!;
    const setReuse = (MaxValidityMinutes: number) =>
      s.idp.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: o.poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes } }));

    test('a hosted sign-in is an SSO session, its tokens a token session from it; reuse follows MaxValidityMinutes; LINKED revocation ends both', async () => {
      const first = await signIn();
      const tokens = await exchange(first.code);
      const listed = await sessions();
      const sso = listed.find((x) => x.SessionType === 'SSO')!;
      const token = listed.find((x) => x.SessionType === 'TOKEN')!;
      assert.match(sso.SessionId!, /^sso[0-9a-z]{25}$/);
      assert.equal(sso.ClientId, clientId);
      assert.equal(token.OriginSessionId, sso.SessionId, 'the code came through the SSO session');
      assert.equal(listed.length, 2);

      // The cookie answers a new authorization at once (within 60 minutes by default).
      const again = codeOf(await authorizeWith(first.cookies));
      await exchange(again);
      assert.equal((await sessions()).filter((x) => x.SessionType === 'TOKEN' && x.OriginSessionId === sso.SessionId).length, 2);

      // A client set to 0 minutes never reuses it; back to 60, it does again.
      await setReuse(0);
      const fresh = await authorizeWith(first.cookies);
      assert.equal(fresh.status, 302);
      assert.match(fresh.headers.get('location')!, /\/login\?/);
      await setReuse(60);
      codeOf(await authorizeWith(first.cookies));

      // Revoked with LINKED: the cookie signs no one in, the token sessions that came through it end.
      await s.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: o.poolId, Username: 'tess', SessionId: sso.SessionId!, RevokeAssociatedSessions: 'LINKED' }));
      assert.match((await authorizeWith(first.cookies)).headers.get('location')!, /\/login\?/);
      assert.equal(await refreshStatus(tokens.refresh_token), 400, 'invalid_grant: the token session went with it');
      assert.deepEqual(await sessions(), []);
    });

    test('signing out ends the SSO session; revoking a token session with LINKED ends its SSO session too', async () => {
      const a = await signIn();
      await exchange(a.code);
      assert.equal((await sessions()).filter((x) => x.SessionType === 'SSO').length, 1);
      await get(`${o.base}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: 'http://localhost:5999/signed-out' })}`, { headers: { cookie: a.cookies } });
      assert.deepEqual((await sessions()).map((x) => x.SessionType), ['TOKEN'], 'the SSO session ended, its token session lives on');

      const b = await signIn();
      await exchange(b.code);
      const token = (await sessions()).find((x) => x.SessionType === 'TOKEN' && x.OriginSessionId)!;
      const origin = token.OriginSessionId!;
      assert.ok((await sessions()).some((x) => x.SessionId === origin));
      await s.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: o.poolId, Username: 'tess', SessionId: token.SessionId!, RevokeAssociatedSessions: 'LINKED' }));
      assert.ok(!(await sessions()).some((x) => x.SessionId === origin || x.SessionId === token.SessionId));
      assert.match((await authorizeWith(b.cookies)).headers.get('location')!, /\/login\?/);
    });

    test('a client that reuses SSO sessions longer than an hour makes new sessions last as long', async () => {
      await setReuse(120);
      const page = await get(`${o.base}/login?${query()}`);
      const longer = await postForm(`${o.base}/login?${query()}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username: 'tess', password: PASSWORD }, { cookie: cookiesOf(page) });
      assert.ok(longer.headers.getSetCookie().some((c) => /^cognito=/.test(c) && /Max-Age=7200/i.test(c)), longer.headers.getSetCookie().join(' | '));
      codeOf(longer);
      await setReuse(60);
    });
  });
}
