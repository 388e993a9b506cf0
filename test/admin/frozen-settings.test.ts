// The console's frozen-settings screen in Debian's chromium: the admin signs in, asks for
// case-insensitive usernames and the deletion of a custom attribute, sees the colliding users in
// the preview (and no Apply button), resolves the collision, previews again and applies; then the
// user signs in by SRP (amazon-cognito-identity-js) in another case with the same password, and
// the attribute is gone. Every control is reached by its label. Screenshots go to
// test-artifacts/screenshots/admin/frozen-*.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdminDeleteUserCommand, AdminGetUserCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN, engines, startServer, type TestServer } from '../support/server.js';
import { PASSWORD, makeClient, makePool, makeUser, srpSignIn } from '../api/auth/support.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots', 'admin');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

for (const engine of engines) {
  describe(`console: frozen settings (${engine})`, { skip: !existsSync(CHROMIUM) && 'no /usr/bin/chromium' }, () => {
    let s: TestServer;
    let browser: Browser;
    let page: Page;
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `frozen-${engine}-${name}.png`), fullPage: true });

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      s = await startServer({ engine });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
      page.setDefaultTimeout(10_000);
    });
    after(async () => {
      await browser?.close();
      await s?.close();
    });

    test('preview shows the collision, apply after it is resolved; the same password signs in', async () => {
      const poolId = await makePool(s, {
        UsernameConfiguration: { CaseSensitive: true },
        Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }],
      });
      const client = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'Eve', { attributes: { 'custom:tier': 'gold' } });
      await makeUser(s, poolId, 'eve', { attributes: { 'custom:tier': 'silver' } });

      await page.goto(`${s.url}/admin/login`);
      await page.getByLabel('Access key id').fill(ADMIN.accessKeyId);
      await page.getByLabel('Secret access key').fill(ADMIN.secretAccessKey);
      await Promise.all([page.waitForURL(`${s.url}/admin`), page.getByLabel('Secret access key').press('Enter')]);

      const screen = `${s.url}/admin/pools/${poolId}/frozen-settings`;
      const ask = async () => {
        await page.goto(screen);
        await page.getByLabel('Usernames are compared').selectOption('false');
        await page.getByLabel('Delete custom:tier (its values leave every user)').check();
        await Promise.all([page.waitForURL(/\/preview$/), page.getByRole('button', { name: 'Preview the change' }).click()]);
      };
      // Reached from the pool's navigation.
      await page.goto(`${s.url}/admin/pools/${poolId}`);
      await Promise.all([page.waitForURL(screen), page.getByRole('navigation', { name: /^Pool / }).getByRole('link', { name: 'Frozen settings' }).click()]);
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Frozen settings of/);
      assert.equal(await page.getByRole('link', { name: 'Frozen settings' }).getAttribute('aria-current'), 'page');
      assert.equal(await page.getByLabel('custom:tier is mutable').isChecked(), true);
      await shot('1-form');

      await ask();
      const collisions = await page.getByRole('table', { name: 'Collisions' }).innerText();
      assert.match(collisions, /username/);
      assert.match(collisions, /Eve/);
      assert.match(collisions, /\beve\b/);
      assert.match(await page.getByRole('alert').innerText(), /cannot be applied/);
      assert.equal(await page.getByRole('button', { name: 'Apply the change' }).count(), 0);
      await shot('2-preview-collision');

      await s.idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'eve' }));
      await ask();
      assert.match(await page.locator('main').innerText(), /No usernames or aliases would collide/);
      assert.match(await page.locator('main').innerText(), /1 attribute values would be removed/);
      await shot('3-preview-clean');
      // Keyboard: focus the Apply button and press Enter.
      await page.getByRole('button', { name: 'Apply the change' }).focus();
      await Promise.all([page.waitForURL(/applied=1$/), page.keyboard.press('Enter')]);
      assert.match(await page.getByRole('status').innerText(), /applied/);
      assert.equal(await page.getByLabel('Usernames are compared').inputValue(), 'false');
      await shot('4-applied');

      const pool = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      assert.equal(pool.UsernameConfiguration?.CaseSensitive, false);
      assert.ok(!pool.SchemaAttributes!.some((a) => a.Name === 'custom:tier'));
      const eve = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'EVE' }));
      assert.equal(eve.Username, 'Eve');
      assert.ok(!eve.UserAttributes!.some((a) => a.Name === 'custom:tier'));
      assert.equal((await srpSignIn(s, poolId, client, 'eVe', PASSWORD)).kind, 'success');
    });

    test('without a session the screen sends to sign-in; a form without the CSRF token is refused', async () => {
      const poolId = await makePool(s);
      const anon = await fetch(`${s.url}/admin/pools/${poolId}/frozen-settings`, { redirect: 'manual' });
      assert.equal(anon.status, 303);
      assert.equal(anon.headers.get('location'), '/admin/login');
      const cookie = (await page.context().cookies()).find((c) => c.name === 'tessera_admin')!;
      const forged = await fetch(`${s.url}/admin/pools/${poolId}/frozen-settings/apply`, {
        method: 'POST',
        headers: { cookie: `tessera_admin=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ change: '{"CaseSensitive":true}', _csrf: 'forged' }),
        redirect: 'manual',
      });
      assert.equal(forged.status, 403);
      const d = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(d.UserPool!.UsernameConfiguration?.CaseSensitive, false);
    });
  });
}
