// The fixture of the browser tests: a server, a pool with a domain and two code-flow clients,
// users, a stand-in application, chromium, and the steps a relying party and a person take. The
// relying party's steps are also exported on their own (authorizationRequest, openLogin,
// appVisit) for the browser tests that set up their own server (MFA pages, federation).
import * as client from 'openid-client';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.js';
import { openBrowser, startApp, type TestApp, type TestBrowser } from './browser.js';
import { PASSWORD, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

const insecure = { execute: [client.allowInsecureRequests] };

/**
 * An app's authorization request as openid-client makes it: code flow with PKCE (S256), scope
 * `openid email profile`, a new state and nonce (unless `use` leaves them out), then `extra`
 * (which may replace any of them). Returns the URL, its values, and the checks that
 * authorizationCodeGrant takes for it (no state: the state check skipped).
 */
export async function authorizationRequest(
  config: client.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
  use: { state?: boolean; nonce?: boolean } = {},
): Promise<{ url: URL; verifier: string; state?: string; nonce?: string; checks: client.AuthorizationCodeGrantChecks }> {
  const verifier = client.randomPKCECodeVerifier();
  const state = use.state === false ? undefined : client.randomState();
  const nonce = use.nonce === false ? undefined : client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...(state === undefined ? {} : { state }),
    ...(nonce === undefined ? {} : { nonce }),
    ...extra,
  });
  const checks: client.AuthorizationCodeGrantChecks = { pkceCodeVerifier: verifier, expectedState: state ?? client.skipStateCheck };
  if (nonce !== undefined) checks.expectedNonce = nonce;
  return { url, verifier, state, nonce, checks };
}

/** Opens an authorization request (with state and nonce) in `page`; its PKCE verifier, state and nonce. */
export async function openLogin(page: Page, config: client.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const { url, verifier, state, nonce } = await authorizationRequest(config, redirectUri, extra);
  await page.goto(url.toString());
  return { verifier, state: state!, nonce: nonce! };
}

/** The app's visit number `index` (from 0), once the browser has brought it there (10 s at most). */
export async function appVisit(app: TestApp, page: Page, index: number): Promise<URL> {
  const deadline = Date.now() + 10_000;
  while (app.visits.length <= index) {
    if (Date.now() > deadline) throw new Error(`no new visit to the app; the browser is at ${page.url()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const visit = new URL(app.visits[index]!);
  // The app answered; wait until the browser has loaded that answer too, so that the test's next
  // page.goto is not cut short by this navigation still under way ("interrupted by another navigation").
  await page.waitForURL((u) => u.pathname === visit.pathname && u.search === visit.search, { timeout: Math.max(1000, deadline - Date.now()) });
  return visit;
}

export interface HostedUiFixture {
  s: TestServer;
  o: OAuthSetup;
  web: { clientId: string };
  other: { clientId: string };
  b: TestBrowser;
  app: TestApp;
  /** openid-client configured by discovery against the pool's issuer, as a public client. */
  rp(clientId: string): Promise<client.Configuration>;
  /** Opens the authorize URL (code + PKCE, state, nonce) in the browser. */
  startLogin(config: client.Configuration, extra?: Record<string, string>): Promise<{ verifier: string; state: string; nonce: string }>;
  /** Types into the sign-in form as a person does and presses Enter. */
  typeCredentials(username: string, password: string): Promise<void>;
  /** The next URL the browser brings to the application. */
  callback(): Promise<URL>;
  close(): Promise<void>;
}

export async function hostedUiFixture(): Promise<HostedUiFixture> {
  const s = await startServer({ engine: 'sqlite' });
  const app = await startApp();
  const urls = { CallbackURLs: [app.callback], LogoutURLs: [app.signedOut] };
  const o = await seedOAuthPool(s, { AutoVerifiedAttributes: ['email'] });
  const web = await seedWebClient(s, o.poolId, urls);
  const other = await seedWebClient(s, o.poolId, { ClientName: 'second app', ...urls });
  await seedUser(s, o.poolId, 'alice', { email: 'alice@example.com', email_verified: 'true', name: 'Alice' });
  await seedUser(s, o.poolId, 'newbie', { email: 'newbie@example.com', email_verified: 'true' }, { temporary: true });
  const b = await openBrowser();
  let seen = 0;
  return {
    s,
    o,
    web,
    other,
    b,
    app,
    rp: (clientId) => client.discovery(new URL(`${s.url}/${o.poolId}`), clientId, undefined, client.None(), insecure),
    startLogin: (config, extra = {}) => openLogin(b.page, config, app.callback, extra),
    async typeCredentials(username, password) {
      await b.page.getByLabel('Username, e-mail or phone number').fill(username);
      await b.page.getByLabel('Password', { exact: true }).fill(password);
      await b.page.getByLabel('Password', { exact: true }).press('Enter');
    },
    callback: () => appVisit(app, b.page, seen++),
    async close() {
      await b.close();
      await app.close();
      await s.close();
    },
  };
}

export { PASSWORD };
