// The admin console in Debian's chromium: sign in with the admin keys, create a pool, an app client
// and a user, disable the user and read the user's audit events; all by keyboard-reachable,
// labelled controls. Also: no session -> the sign-in page; a form without the CSRF token -> 403;
// wrong keys -> 401. Screenshots go to test-artifacts/screenshots/admin/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN, engines, startServer, type TestServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots', 'admin');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

for (const engine of engines) {
  describe(`admin console (${engine})`, { skip: !existsSync(CHROMIUM) && 'no /usr/bin/chromium' }, () => {
    let s: TestServer;
    let browser: Browser;
    let page: Page;
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${engine}-${name}.png`), fullPage: true });

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      s = await startServer({ engine });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      page = await (await browser.newContext()).newPage();
    });
    after(async () => {
      await browser?.close();
      await s.close();
    });

    test('refuses wrong keys and forms without the CSRF token', async () => {
      const anon = await fetch(`${s.url}/admin`, { redirect: 'manual' });
      assert.equal(anon.status, 303);
      assert.equal(anon.headers.get('location'), '/admin/login');
      await page.goto(`${s.url}/admin`);
      await page.getByLabel('Access key id').fill(ADMIN.accessKeyId);
      await page.getByLabel('Secret access key').fill('wrong');
      const r = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
      assert.equal(r[0]?.status(), 401);
      assert.match(await page.getByRole('alert').innerText(), /not right/);
      const forged = await fetch(`${s.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ accessKeyId: ADMIN.accessKeyId, secretAccessKey: ADMIN.secretAccessKey, _csrf: 'x' }),
        redirect: 'manual',
      });
      assert.equal(forged.status, 403);
    });

    test('create pool -> client -> user, disable the user, see the events', async () => {
      await page.goto(`${s.url}/admin/login`);
      await page.getByLabel('Access key id').fill(ADMIN.accessKeyId);
      await page.getByLabel('Secret access key').fill(ADMIN.secretAccessKey);
      await shot('01-sign-in');
      // Keyboard: Enter in the last field submits.
      await Promise.all([page.waitForURL(`${s.url}/admin`), page.getByLabel('Secret access key').press('Enter')]);
      const cookies = await page.context().cookies();
      const session = cookies.find((c) => c.name === 'tessera_admin')!;
      assert.ok(session.httpOnly);
      assert.equal(session.sameSite, 'Strict');

      await page.getByLabel('Pool name').fill('console-pool');
      await Promise.all([page.waitForURL(/\/admin\/pools\/[^/]+(\?|$)/), page.getByRole('button', { name: 'Create pool' }).click()]);
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /console-pool/);
      const poolId = decodeURIComponent(new URL(page.url()).pathname.split("/admin/pools/")[1]);

      await page.getByLabel('Client name').fill('console-app');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create client' }).click()]);
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /App client console-app/);
      await page.getByRole('link', { name: 'Back to the pool' }).click();
      assert.ok(await page.getByRole('link', { name: 'console-app' }).isVisible());

      await page.getByRole('navigation', { name: /^Pool / }).getByRole('link', { name: 'Users' }).click();
      await page.getByLabel('Username').fill('carol');
      await page.getByLabel('E-mail (optional)').fill('carol@example.com');
      await Promise.all([page.waitForURL(/\/users\/carol(\?|$)/), page.getByRole('button', { name: 'Create user' }).click()]);
      await shot('02-user');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Disable user' }).click()]);
      assert.match(await page.locator('main').innerText(), /disabled/);
      const events = await page.getByRole('table', { name: 'Audit events' }).innerText();
      assert.match(events, /AdminAction\tPass\tcarol\tAdminCreateUser/);
      assert.match(events, /AdminDisableUser/);
      await shot('03-events');

      // The pool page lists and searches users.
      await page.getByRole('link', { name: 'Back to the users' }).click();
      await page.getByLabel('Value').fill('car');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Search' }).click()]);
      assert.ok(await page.getByRole('link', { name: 'carol' }).isVisible());
      await shot('04-pool');

      // What the console did, the API sees.
      const api = await s.app.users.get(await s.app.pools.get(poolId), 'carol');
      assert.equal(api.enabled, false);

      // A form posted without the session's CSRF token is refused.
      const cookie = `tessera_admin=${session.value}`;
      const forged = await fetch(`${s.url}/admin/pools`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=evil',
        redirect: 'manual',
      });
      assert.equal(forged.status, 403);
    });

    test('the pools list pages with ListUserPools NextToken', async () => {
      for (let i = 0; i < 60; i++) await s.idp.send(new CreateUserPoolCommand({ PoolName: `paged-${String(i).padStart(2, '0')}` }));
      await page.goto(`${s.url}/admin`);
      const first = await page.getByRole('table', { name: 'User pools' }).getByRole('link').count();
      assert.equal(first, 60);
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Next page of pools' }).click()]);
      const second = await page.getByRole('table', { name: 'User pools' }).getByRole('link').allInnerTexts();
      assert.equal(first + second.length, 61);
      assert.equal(await page.getByRole('link', { name: 'Next page of pools' }).count(), 0);
    });
  });
}
