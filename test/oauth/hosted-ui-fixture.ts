// The fixture of the browser tests: a server, a pool with a domain and two code-flow clients,
// users, a stand-in application, chromium, and the steps a relying party and a person take.
import * as client from 'openid-client';
import { startServer, type TestServer } from '../support/server.js';
import { openBrowser, startApp, type TestApp, type TestBrowser } from './browser.js';
import { PASSWORD, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

const insecure = { execute: [client.allowInsecureRequests] };

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
    async startLogin(config, extra = {}) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: app.callback,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
      });
      await b.page.goto(url.toString());
      return { verifier, state, nonce };
    },
    async typeCredentials(username, password) {
      await b.page.getByLabel('Username, e-mail or phone number').fill(username);
      await b.page.getByLabel('Password', { exact: true }).fill(password);
      await b.page.getByLabel('Password', { exact: true }).press('Enter');
    },
    async callback() {
      const deadline = Date.now() + 10_000;
      while (app.visits.length <= seen) {
        if (Date.now() > deadline) throw new Error(`no new visit to the app; the browser is at ${b.page.url()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return new URL(app.visits[seen++]);
    },
    async close() {
      await b.close();
      await app.close();
      await s.close();
    },
  };
}

export { PASSWORD };
