// What the hosted UI and the other non-API routes do with hostile input, on both engines: a NUL
// anywhere in a URL or form is a 400 before any handler (PostgreSQL cannot hold one; it was a 500
// there), the sign-up page takes only what the API's SignUp takes, the forgotten-password page
// answers an unknown name as a known one, and the path form of a domain builds its absolute URLs
// from the request's Host only when that is loopback or the public host.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../support/server.js';
import { CALLBACK, PASSWORD, cookiesOf, get, getWithHost, hiddenField, postForm, seedOAuthPool, seedWebClient, type OAuthSetup } from './support.js';

for (const engine of engines) {
  describe(`hostile input to the hosted UI (${engine})`, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let q: URLSearchParams;
    before(async () => {
      s = await startServer({ engine });
      o = await seedOAuthPool(s);
      const web = await seedWebClient(s, o.poolId);
      q = new URLSearchParams({ response_type: 'code', client_id: web.clientId, redirect_uri: CALLBACK });
    });
    after(() => s.close());

    const isNulRefusal = async (res: Response) => {
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: 'The request contains a NUL character.' });
    };

    test('a NUL in a path, a query or a form is 400 invalid_request, before any look-up', async () => {
      await isNulRefusal(await get(`${s.url}/_domain/%00/login`));
      await isNulRefusal(await get(`${s.url}/us-east-1_%00/.well-known/jwks.json`));
      await isNulRefusal(await get(`${s.url}/us-east-1_%00/.well-known/openid-configuration`));
      await isNulRefusal(await get(`${o.base}/login?${q}&idp_identifier=%00`));
      await isNulRefusal(await get(`${o.base}/oauth2/authorize?${q}&idp_identifier=%00`));
      const page = await get(`${o.base}/login?${q}`);
      const csrf = hiddenField(await page.text(), '_csrf')!;
      for (const form of ['login', 'signup', 'forgotPassword']) {
        await isNulRefusal(await postForm(`${o.base}/${form}?${q}`, { _csrf: csrf, username: 'a\u0000b', password: PASSWORD, email: 'n@example.com' }, { cookie: cookiesOf(page) }));
      }
      // Headers of the API's requests do not turn the check off: the route decides.
      await isNulRefusal(await get(`${s.url}/_domain/%00/login`, { headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser', authorization: 'AWS4-HMAC-SHA256 junk' } }));
      // The same pages without the NUL still answer.
      assert.equal((await get(`${s.url}/${o.poolId}/.well-known/jwks.json`)).status, 200);
      assert.equal((await get(`${o.base}/login?${q}`)).status, 200);
    });

    test('the sign-up page refuses what SignUp refuses (blank, spaced, over-long usernames), and makes no user', async () => {
      const page = await get(`${o.base}/signup?${q}`);
      const csrf = hiddenField(await page.text(), '_csrf')!;
      for (const username of ['   ', 'a b', 'tab\tx', 'x'.repeat(129)]) {
        const res = await postForm(`${o.base}/signup?${q}`, { _csrf: csrf, username, password: PASSWORD, email: 'z@example.com' }, { cookie: cookiesOf(page) });
        const html = await res.text();
        assert.match(html, /failed to satisfy constraint/, JSON.stringify(username));
      }
      const users = await s.idp.send(new ListUsersCommand({ UserPoolId: o.poolId }));
      assert.deepEqual(users.Users, []);
      // A valid one still signs up.
      const ok = await postForm(`${o.base}/signup?${q}`, { _csrf: csrf, username: 'fine', password: PASSWORD, email: 'z@example.com' }, { cookie: cookiesOf(page) });
      assert.equal(ok.status, 200);
      assert.deepEqual((await s.idp.send(new ListUsersCommand({ UserPoolId: o.poolId }))).Users!.map((u) => u.Username), ['fine']);
    });

    test('the forgotten-password page shows an unknown name a code sent, as it does a known one', async () => {
      const hiding = await seedWebClient(s, o.poolId, { PreventUserExistenceErrors: 'ENABLED' });
      const hq = new URLSearchParams({ response_type: 'code', client_id: hiding.clientId, redirect_uri: CALLBACK });
      const page = await get(`${o.base}/forgotPassword?${hq}`);
      const csrf = hiddenField(await page.text(), '_csrf')!;
      const res = await postForm(`${o.base}/forgotPassword?${hq}`, { _csrf: csrf, username: 'nobody-here' }, { cookie: cookiesOf(page) });
      const html = await res.text();
      assert.match(html, /\*\*\*/);
      // The same name twice: the same look-alike destination.
      const again = await (await postForm(`${o.base}/forgotPassword?${hq}`, { _csrf: csrf, username: 'nobody-here' }, { cookie: cookiesOf(page) })).text();
      assert.equal(/[^\s>]*\*\*\*[^\s<]*/.exec(again)?.[0], /[^\s>]*\*\*\*[^\s<]*/.exec(html)?.[0]);
    });

    test("the path form names its SAML endpoints under the Host only when Tessera answers to it (localhost, an IP, the public host), else under the public URL", async () => {
      const res = await getWithHost(s.port, 'evil.example', `/_domain/${o.prefix}/saml2/metadata`);
      assert.equal(res.status, 200);
      assert.ok(res.body.includes(`${s.url}/_domain/${o.prefix}/saml2/idpresponse`), res.body.slice(0, 500));
      assert.ok(!res.body.includes('evil.example'));
      // Malformed or merely IP-shaped Hosts are no better.
      for (const host of ['[::1]@evil.example', `203.0.113.9:${s.port}`, 'evil.example:80:81']) {
        const forged = await getWithHost(s.port, host, `/_domain/${o.prefix}/saml2/metadata`);
        assert.ok(forged.body.includes(`${s.url}/_domain/${o.prefix}/saml2/idpresponse`), host);
        assert.ok(!forged.body.includes('evil.example') && !forged.body.includes('203.0.113.9'), host);
      }
      // The README's set-up: the browser at localhost or 127.0.0.1 keeps what it typed.
      for (const host of [`localhost:${s.port}`, `127.0.0.1:${s.port}`]) {
        const local = await getWithHost(s.port, host, `/_domain/${o.prefix}/saml2/metadata`);
        assert.ok(local.body.includes(`http://${host}/_domain/${o.prefix}/saml2/idpresponse`), host);
      }
    });
  });
}
