// The edges of the hosted UI over HTTP: the implicit flow, the token endpoint's media type and
// WWW-Authenticate, the host form for a custom domain
// (Host header), Secure cookies behind a TLS-terminating proxy, escaping of everything a request
// can put on a page, and the customization CSS grammar.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { parseCustomCss, serializeCss } from '../../src/oauth/ui/css.js';
import { startServer, type TestServer } from '../support/server.js';
import { CALLBACK, PASSWORD, cookiesOf, get, getWithHost, hiddenField, postForm, seedMachineClient, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

describe('hosted UI edges', () => {
  let s: TestServer;
  let o: OAuthSetup;
  let web: { clientId: string };
  before(async () => {
    s = await startServer({ engine: 'sqlite', env: { TESSERA_TRUST_PROXY: 'true' } });
    o = await seedOAuthPool(s);
    web = await seedWebClient(s, o.poolId);
  });
  after(() => s.close());

  test('implicit flow: tokens in the fragment, an ID token only with openid, never a refresh token', async () => {
    await seedUser(s, o.poolId, 'imp');
    const q = new URLSearchParams({ response_type: 'token', client_id: web.clientId, redirect_uri: CALLBACK, scope: 'openid email', state: 'imp-state', nonce: 'imp-nonce' });
    const page = await get(`${o.base}/login?${q}`);
    const html = await page.text();
    const res = await postForm(`${o.base}/login?${q}`, { _csrf: hiddenField(html, '_csrf')!, username: 'imp', password: PASSWORD }, { cookie: cookiesOf(page) });
    assert.equal(res.status, 302);
    const loc = new URL(res.headers.get('location')!);
    assert.equal(loc.search, '');
    const frag = new URLSearchParams(loc.hash.slice(1));
    assert.equal(frag.get('token_type'), 'Bearer');
    assert.equal(frag.get('state'), 'imp-state');
    assert.equal(frag.get('refresh_token'), null);
    assert.equal(decodeJwt(frag.get('id_token')!).nonce, 'imp-nonce');
    assert.equal(decodeJwt(frag.get('access_token')!).scope, 'openid email');
  });

  test('the token endpoint reads a form whatever the case of its media type, and a client that tried another Authorization scheme hears Basic', async () => {
    const m = await seedMachineClient(s, o.poolId);
    const basic = 'Basic ' + Buffer.from(`${m.clientId}:${m.secret}`).toString('base64');
    const ok = await fetch(`${o.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded; Charset=UTF-8', authorization: basic },
      body: 'grant_type=client_credentials',
    });
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.ok(((await ok.json()) as { access_token?: string }).access_token);
    const bearer = await fetch(`${o.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xyz' },
      body: `grant_type=client_credentials&client_id=${m.clientId}`,
    });
    assert.equal(bearer.status, 401);
    assert.equal(((await bearer.json()) as { error: string }).error, 'invalid_client');
    assert.match(bearer.headers.get('www-authenticate') ?? '', /^Basic /);
  });

  test('behind a trusted proxy the path form names its endpoints under the public URL, whatever Host the proxy passes', async () => {
    // nginx passes its upstream address as Host by default.
    const res = await getWithHost(s.port, `localhost:${s.port}`, `/_domain/${o.prefix}/saml2/metadata`, { 'x-forwarded-proto': 'https' });
    assert.ok(res.body.includes(`${s.url}/_domain/${o.prefix}/saml2/idpresponse`), res.body.slice(0, 400));
    assert.ok(!res.body.includes(`localhost:${s.port}`));
  });

  test('the host form serves a custom domain and a prefix domain by their Host; an unknown host is 404', async () => {
    const custom = `login-${o.prefix}.example.test`;
    await s.idp.send(
      new CreateUserPoolDomainCommand({ UserPoolId: o.poolId, Domain: custom, CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc' } }),
    );
    const q = new URLSearchParams({ response_type: 'code', client_id: web.clientId, redirect_uri: CALLBACK });
    const byCustom = await getWithHost(s.port, custom, `/oauth2/authorize?${q}`);
    assert.equal(byCustom.status, 302);
    assert.equal(byCustom.headers.location, `/login?${q}`);
    const page = await getWithHost(s.port, `${o.prefix}.auth.us-east-1.localhost:${s.port}`, `/login?${q}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /action="\/login\?/);
    assert.ok((page.headers['set-cookie'] as string[]).every((c) => /Path=\/;/.test(c)));
    const unknown = await getWithHost(s.port, 'nobody.example.test', `/login?${q}`);
    assert.equal(unknown.status, 404);
    const api = await getWithHost(s.port, `127.0.0.1:${s.port}`, '/health');
    assert.equal(api.status, 200);
  });

  test('behind a TLS proxy (X-Forwarded-Proto https with trustProxy) the cookies are Secure', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: web.clientId, redirect_uri: CALLBACK });
    const res = await get(`${o.base}/login?${q}`, { headers: { 'x-forwarded-proto': 'https' } });
    const cookies = res.headers.getSetCookie();
    assert.ok(cookies.length);
    for (const c of cookies) assert.match(c, /; Secure/);
    const plain = await get(`${o.base}/login?${q}`);
    for (const c of plain.headers.getSetCookie()) assert.doesNotMatch(c, /Secure/);
  });

  test('what a request carries onto a page is escaped', async () => {
    const evil = '"><script>alert(1)</script>';
    const q = new URLSearchParams({ response_type: 'code', client_id: web.clientId, redirect_uri: CALLBACK, state: evil, login_hint: evil });
    const html = await (await get(`${o.base}/login?${q}`)).text();
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
    const unknown = await (await get(`${o.base}/oauth2/authorize?client_id=${encodeURIComponent(evil)}`)).text();
    assert.doesNotMatch(unknown, /<script>/);
  });

  test('the customization CSS grammar keeps what it understands and refuses the rest', () => {
    const rules = parseCustomCss('/* brand */ .submitButton-customizable , .idpButton-customizable:hover { color : #fff ; background-color: rgba(0, 0, 0, .5) }');
    assert.equal(serializeCss(rules), '.submitButton-customizable, .idpButton-customizable:hover { color: #fff; background-color: rgba(0, 0, 0, .5); }');
    for (const bad of [
      '.label-customizable { color: red; } .x { color: red; }',
      '.label-customizable { background: url(javascript:alert(1)); }',
      '.label-customizable { background: URL( "x.png" ); }',
      '.label-customizable { width: expression(alert(1)); }',
      '.label-customizable { color: red; } @media print { .label-customizable { color: red; } }',
      '.label-customizable { color: \\72 ed; }',
      '.label-customizable { color: red',
      '.label-customizable { font-family: "a; }',
      '.label-customizable /* open',
      `.label-customizable { color: ${'a'.repeat(4000)}; }`,
    ]) {
      assert.throws(() => parseCustomCss(bad), Error, bad);
    }
  });
});
