// The console's screens in Debian's chromium (playwright-core), on both engines: sign in; create a
// pool, an app client with a callback URL, a group and a user; put the user in the group, set the
// password, save the MFA preference; create the pool's domain and customize the hosted UI (CSS and
// a logo), seen in the live preview, and a custom domain; sign the user in on the real hosted page in another browser
// context and find that sign-in on the events screen; then identity providers, triggers, an
// import job from an uploaded CSV, an encrypted export loaded into a second Tessera, identity pools (roles, a Rules role mapping), sign-out everywhere and reset. Every change is
// checked through the API (the SDK), and every page passes the accessibility checks below.
// Screenshots: test-artifacts/screenshots/admin/<engine>-screens-NN-<screen>.png
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CreateUserPoolClientCommand,
  AdminListGroupsForUserCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetGroupCommand,
  ListGroupsCommand,
  GetCSVHeaderCommand,
  GetUICustomizationCommand,
  ListIdentityProvidersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeIdentityPoolCommand, GetIdentityPoolRolesCommand, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readArchive } from '../../src/cli/archive.js';
import { importPool } from '../../src/cli/pool-copy.js';
import { ADMIN, engines, startServer, type TestServer } from '../support/server.js';
import { identityClient } from '../api/identity/support.js';
import { startApp, type TestApp } from '../oauth/browser.js';
import { makePng } from '../oauth/support.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots', 'admin');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'Console-t3st-Pass!';

/** What a screen reader and a keyboard need of every console page; the list of problems found. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const el of document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), select, textarea')) {
      if (!el.labels?.length && !el.getAttribute('aria-label')) problems.push(`no label: ${el.outerHTML.slice(0, 80)}`);
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    for (const id of new Set(ids)) if (ids.filter((i) => i === id).length > 1) problems.push(`duplicate id ${id}`);
    const levels = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => Number(h.tagName[1]));
    if (levels.filter((l) => l === 1).length !== 1 || levels[0] !== 1) problems.push(`headings ${levels.join(',')}: one h1, first`);
    for (let i = 1; i < levels.length; i++) if (levels[i]! > levels[i - 1]! + 1) problems.push(`heading level skips ${levels[i - 1]} -> ${levels[i]}`);
    if (document.querySelectorAll('main').length !== 1) problems.push('not exactly one main');
    if (!document.querySelector('header')) problems.push('no banner');
    for (const n of document.querySelectorAll('nav')) if (!n.getAttribute('aria-label')) problems.push('nav without a name');
    for (const b of document.querySelectorAll('button')) if (!b.textContent?.trim() && !b.getAttribute('aria-label')) problems.push('button without a name');
    for (const t of document.querySelectorAll('table')) if (!t.querySelector('caption') || !t.querySelector('th[scope]')) problems.push('table without caption or header cells');
    for (const i of document.querySelectorAll('img')) if (!i.hasAttribute('alt')) problems.push('img without alt');
    for (const f of document.querySelectorAll('iframe')) if (!f.title) problems.push('iframe without title');
    for (const a of document.querySelectorAll('a')) if (!a.textContent?.trim() && !a.getAttribute('aria-label')) problems.push('link without text');
    if (document.documentElement.lang !== 'en') problems.push('no lang');
    return problems;
  });
}

for (const engine of engines) {
  describe(`admin console screens (${engine})`, { skip: !existsSync(CHROMIUM) && 'no /usr/bin/chromium' }, () => {
    let s: TestServer;
    let browser: Browser;
    let page: Page;
    let webApp: TestApp;
    let n = 0;
    const shot = async (name: string) => {
      n++;
      await page.screenshot({ path: join(SHOTS, `${engine}-screens-${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
    };
    /** The page is a console page that passes the accessibility checks. */
    const accessible = async () => assert.deepEqual(await accessibilityProblems(page), [], `accessibility of ${page.url()}`);
    const submit = async (button: string | RegExp) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: typeof button === 'string' }).click()]);
      assert.equal(await page.getByRole('alert').count(), 0, `no error after "${button}": ${await page.locator('main').innerText()}`);
    };
    const screen = async (name: string) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: /^Pool / }).getByRole('link', { name, exact: true }).click()]);
      await accessible();
    };
    const notice = async () => page.getByRole('status').first().innerText();

    let poolId = '';
    let clientId = '';
    const prefix = `console-${engine}-${Date.now().toString(36)}`;

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      s = await startServer({ engine });
      webApp = await startApp();
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
    });
    after(async () => {
      await browser?.close();
      await webApp?.close();
      await s?.close();
    });

    test('sign in by keyboard; create a pool, an app client, a group and a user', async () => {
      await page.goto(`${s.url}/admin`);
      await accessible();
      // The first Tab stop is the skip link, which leads to the main content.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
      await page.getByLabel('Access key id').fill(ADMIN.accessKeyId);
      await page.getByLabel('Secret access key').fill(ADMIN.secretAccessKey);
      await Promise.all([page.waitForURL(`${s.url}/admin`), page.getByLabel('Secret access key').press('Enter')]);
      await accessible();

      // Keyboard only: Tab to the pool name (the focus ring shows), type, Enter.
      let tabs = 0;
      while ((await page.evaluate(() => document.activeElement?.id)) !== 'f-name' && tabs++ < 20) await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), 'solid');
      await page.keyboard.type('console-screens');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-adminOnly');
      await page.keyboard.press('Space');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      poolId = decodeURIComponent(new URL(page.url()).pathname.split('/admin/pools/')[1]!);
      assert.match(await notice(), /Pool created/);
      await accessible();

      await page.getByLabel('Client name').fill('web');
      await page.getByLabel(/^Callback URL/).fill(webApp.callback);
      await submit('Create client');
      clientId = decodeURIComponent(new URL(page.url()).pathname.split('/clients/')[1]!);
      await accessible();
      assert.equal(await page.getByLabel('Callback URLs (one a line)').inputValue(), webApp.callback);
      assert.ok(await page.getByRole('checkbox', { name: 'COGNITO' }).isChecked());
      await page.getByLabel('Sign-out URLs (one a line)').fill(webApp.signedOut);
      await page.getByLabel('OAuth scopes (comma-separated)').fill('openid, email');
      await submit('Save OAuth settings');
      const described = (await s.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
      assert.deepEqual(described.LogoutURLs, [webApp.signedOut]);
      assert.deepEqual(described.AllowedOAuthScopes?.sort(), ['email', 'openid']);
      assert.deepEqual(described.CallbackURLs, [webApp.callback]);
      assert.deepEqual(described.AllowedOAuthFlows, ['code']);
      await shot('client');

      await screen('Groups');
      await page.getByLabel('Group name').fill('admins');
      await page.getByLabel('Description').fill('People who run things');
      await page.getByLabel(/^Precedence/).fill('3');
      await submit('Create group');
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Group admins/);
      await accessible();

      await screen('Users');
      await page.getByLabel('Username').fill('dana');
      await page.getByLabel('E-mail (optional)').fill('dana@example.com');
      await page.getByLabel('The e-mail address is verified').check();
      await submit('Create user');
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /User dana/);
      await accessible();
      await page.getByLabel('New password').fill(PASSWORD);
      await page.getByLabel(/^Permanent/).check();
      await submit('Set password');
      await page.getByLabel('Group', { exact: true }).selectOption('admins');
      await submit('Add to group');
      assert.ok(await page.getByRole('table', { name: 'Groups of this user' }).getByRole('link', { name: 'admins' }).isVisible());
      await page.getByLabel('Authenticator app (TOTP)').selectOption('off');
      await submit('Save MFA preference');
      assert.match(await notice(), /MFA preference saved/);
      await accessible();
      await shot('user');

      const user = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dana' }));
      assert.equal(user.UserStatus, 'CONFIRMED');
      assert.equal(user.UserAttributes?.find((a) => a.Name === 'email')?.Value, 'dana@example.com');
      const groups = await s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'dana' }));
      assert.deepEqual(groups.Groups?.map((g) => g.GroupName), ['admins']);

      // Search by e-mail prefix finds her; by another prefix nobody.
      await screen('Users');
      await page.getByLabel('Attribute').selectOption('email');
      await page.getByLabel('Value').fill('dan');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/by=email/);
      assert.ok(await page.getByRole('link', { name: 'dana' }).isVisible());
      await page.getByLabel('Value').fill('zed');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/q=zed/);
      assert.equal(await page.getByRole('link', { name: 'dana' }).count(), 0);

      // The group's page lists her as a member.
      await screen('Groups');
      await page.getByRole('link', { name: 'admins' }).click();
      assert.ok(await page.getByRole('table', { name: 'Members' }).getByRole('link', { name: 'dana' }).isVisible());
      await shot('group');
      await screen('Overview');
      assert.ok(await page.getByRole('table', { name: 'App clients' }).getByRole('link', { name: 'web' }).isVisible());
      await shot('overview');
    });

    test('domain and hosted-UI customization, seen in the live preview', async () => {
      await screen('Domain & branding');
      await page.getByLabel('Domain prefix').fill(prefix);
      await submit('Create domain');
      assert.match(await notice(), /Domain created/);

      // A custom domain beside the prefix: a host name and its certificate ARN, by keyboard.
      const host = `${prefix}.example.com`;
      const cert = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
      await page.getByLabel('Custom domain host name').fill('not a host');
      await page.getByLabel('Certificate ARN').fill(cert);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create custom domain', exact: true }).click()]);
      assert.match(await page.getByRole('alert').innerText(), /InvalidParameterException/, 'a bad host name shows its error on the page');
      await page.goBack();
      await page.getByLabel('Custom domain host name').fill(host);
      await page.getByLabel('Certificate ARN').fill(cert);
      await page.getByLabel('Certificate ARN').press('Enter');
      await page.waitForURL(/\/branding$/);
      assert.match(await notice(), /Custom domain created/);
      await accessible();
      assert.match(await page.getByRole('table', { name: 'Custom domain' }).innerText(), new RegExp(`${host.replace(/\./g, '\\.')}[\\s\\S]*ACTIVE[\\s\\S]*${cert}`));
      const custom = await s.idp.send(new DescribeUserPoolDomainCommand({ Domain: host }));
      assert.equal(custom.DomainDescription?.UserPoolId, poolId);
      assert.equal(custom.DomainDescription?.CustomDomainConfig?.CertificateArn, cert);
      assert.equal(custom.DomainDescription?.Status, 'ACTIVE');
      assert.equal((await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.CustomDomain, host);
      await shot('custom-domain');
      await submit('Delete custom domain');
      assert.match(await notice(), /Custom domain deleted/);
      assert.equal((await s.idp.send(new DescribeUserPoolDomainCommand({ Domain: host }))).DomainDescription?.UserPoolId, undefined);
      await page.getByLabel(/^CSS/).fill('.submitButton-customizable { background-color: #8a2be2; }\n.background-customizable { background-color: #fdf2d0; }');
      await page.getByLabel(/^Logo/).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: makePng(160, 48, [138, 43, 226]) });
      await submit('Save customization');
      assert.match(await notice(), /Customization saved/);
      await accessible();

      const ui = await s.idp.send(new GetUICustomizationCommand({ UserPoolId: poolId }));
      assert.match(ui.UICustomization?.CSS ?? '', /#8a2be2/);
      assert.ok(ui.UICustomization?.ImageUrl);
      const pool = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(pool.UserPool?.Domain, prefix);

      // The preview is the real hosted page: its form, the custom button colour and the logo.
      const preview = page.frameLocator('iframe[title="Preview of the hosted sign-in page"]');
      await preview.getByRole('button', { name: 'Sign in' }).waitFor();
      const colour = await preview.getByRole('button', { name: 'Sign in' }).evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(colour, 'rgb(138, 43, 226)');
      const logoLoaded = await preview.locator('img').first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 160);
      assert.ok(logoLoaded, 'the logo shows in the preview');
      assert.ok((await preview.locator('.card').evaluate((c) => c.getBoundingClientRect().width)) > 300);
      // The preview is inert: a sandboxed frame without forms or scripts.
      const framed = await page.context().request.get(`${s.url}/admin/pools/${encodeURIComponent(poolId)}/preview?client=${clientId}`);
      assert.match(framed.headers()['content-security-policy'] ?? '', /frame-ancestors 'self'.*; sandbox$/);
      assert.doesNotMatch(framed.headers()['set-cookie'] ?? '', /./, 'no hosted-UI cookies through the preview');
      await shot('branding');

      // Managed login: the domain switches, the client gets colours, the preview follows.
      await submit('Use managed login');
      await page.getByLabel(/^Page background colour/).fill('e8f4ea');
      await page.getByLabel(/^Button colour/).fill('2d6a4f');
      await page.getByLabel(/^Button text colour/).fill('ffffff');
      await submit('Create branding');
      assert.match(await notice(), /Branding saved/);
      const managedPreview = page.frameLocator('iframe[title="Preview of the hosted sign-in page"]');
      await managedPreview.getByRole('button', { name: 'Sign in' }).waitFor();
      assert.equal(await managedPreview.getByRole('button', { name: 'Sign in' }).evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(45, 106, 79)');
      await accessible();
      // Laid out as the real page at the frame's width (the card at its 26rem), before the picture.
      assert.ok((await managedPreview.locator('.card').evaluate((c) => c.getBoundingClientRect().width)) > 300);
      await shot('managed-login');
      await submit('Use the classic hosted UI');
    });

    test('the user signs in on the hosted page; the events screen shows it', async () => {
      const other = await browser.newContext();
      const hosted = await other.newPage();
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: webApp.callback, scope: 'openid email' });
      await hosted.goto(`${s.url}/_domain/${prefix}/login?${q}`);
      await hosted.getByLabel('Username, e-mail or phone number').fill('dana');
      await hosted.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await Promise.all([hosted.waitForURL(`${webApp.callback}?**`), hosted.getByLabel('Password', { exact: true }).press('Enter')]);
      assert.ok(new URL(hosted.url()).searchParams.get('code'));
      await other.close();

      await screen('Events');
      await page.getByLabel('Username').fill('dana');
      await page.getByLabel('Type').selectOption('SignIn');
      await page.getByRole('button', { name: 'Show events' }).click();
      await page.waitForURL(/type=SignIn/);
      await accessible();
      const events = await page.getByRole('table', { name: 'Audit events' }).innerText();
      assert.match(events, /SignIn\tPass\tdana\t.*HOSTED_UI_PASSWORD/);
      await shot('events');
      // Feedback on the sign-in goes through AdminUpdateAuthEventFeedback.
      await submit(/^Mark the SignIn event .* valid$/);
      assert.match(await notice(), /Feedback saved/);
      assert.match(await page.getByRole('table', { name: 'Audit events' }).innerText(), /marked Valid/);
    });

    test('identity providers, triggers, an import job, an export and identity pools', async () => {
      await screen('Identity providers');
      await page.getByLabel('Provider name').fill('Corp');
      await page.getByLabel('Issuer URL').fill('https://idp.example.com');
      await page.getByLabel('Client id at the provider').fill('corp-client');
      await page.getByLabel('Client secret (optional)').fill('corp-secret-value');
      await page.getByRole('group', { name: 'Add an OpenID Connect provider' }).getByLabel(/^Attribute mapping/).fill('email=email\nusername=sub\nname=display_name');
      await submit('Add provider');
      await accessible();
      assert.doesNotMatch(await page.locator('main').innerText(), /corp-secret-value/, 'the secret is not shown');
      const idp = await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
      assert.equal(idp.IdentityProvider?.AttributeMapping?.name, 'display_name');
      assert.equal(idp.IdentityProvider?.ProviderDetails?.oidc_issuer, 'https://idp.example.com');
      await page.getByLabel('Scopes (space-separated)').fill('openid email');
      await submit('Save provider');
      const idp2 = await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
      assert.equal(idp2.IdentityProvider?.ProviderDetails?.authorize_scopes, 'openid email');
      assert.equal(idp2.IdentityProvider?.ProviderDetails?.client_secret, 'corp-secret-value', 'the secret is kept');
      await shot('idp');
      await submit('Delete provider');
      assert.deepEqual((await s.idp.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 10 }))).Providers, []);
      // A social provider from its details as key=value lines.
      await page.getByLabel('Provider type').selectOption('Google');
      await page.getByLabel('Provider details, one a line: key=value').fill('client_id=g-client\nclient_secret=g-secret-value\nauthorize_scopes=openid email profile');
      await submit('Add this provider');
      await accessible();
      assert.doesNotMatch(await page.locator('main').innerText(), /g-secret-value/);
      const google = await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google' }));
      assert.equal(google.IdentityProvider?.ProviderType, 'Google');
      assert.equal(google.IdentityProvider?.ProviderDetails?.authorize_scopes, 'openid email profile');
      assert.equal(google.IdentityProvider?.AttributeMapping?.email, 'email');
      await submit('Delete provider');

      await screen('Triggers');
      await page.getByLabel('Post authentication').fill('http://localhost:9/post-auth');
      await page.getByLabel('Pre token generation', { exact: true }).fill('arn:aws:lambda:us-east-1:123456789012:function:ptg');
      await page.getByLabel('Pre token generation event version').selectOption('V2_0');
      await page.getByLabel('Inbound federation').fill('arn:aws:lambda:us-east-1:123456789012:function:inbound');
      await submit('Save triggers');
      const lc = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      assert.equal(lc.LambdaConfig?.PostAuthentication, 'http://localhost:9/post-auth');
      assert.deepEqual(lc.LambdaConfig?.PreTokenGenerationConfig, { LambdaVersion: 'V2_0', LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:ptg' });
      assert.deepEqual(lc.LambdaConfig?.InboundFederation, { LambdaVersion: 'V1_0', LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:inbound' });
      assert.equal(lc.Domain, prefix);
      assert.equal(lc.AdminCreateUserConfig?.AllowAdminCreateUserOnly, true, 'UpdateUserPool carried the other settings over');
      await page.getByRole('button', { name: 'Show secret' }).click();
      assert.match(await page.getByRole('status').innerText(), /whsec_/);
      await accessible();
      await shot('triggers');
      // Clear them again (nothing answers there; later sign-ins must not call them).
      await page.getByLabel('Post authentication').fill('');
      await page.getByLabel('Pre token generation', { exact: true }).fill('');
      await page.getByLabel('Inbound federation').fill('');
      await submit('Save triggers');
      assert.deepEqual((await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.LambdaConfig ?? {}, {});

      await screen('Import & export');
      const header = (await s.idp.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
      const row = (u: string) =>
        header.map((h) => ({ 'cognito:username': u, email: `${u}@example.com`, email_verified: 'true', 'cognito:mfa_enabled': 'false', phone_number_verified: 'false' })[h] ?? '').join(',');
      const csv = [header.join(','), row('imported-1'), row('imported-2')].join('\n') + '\n';
      await page.getByLabel('Job name').fill('first-import');
      await page.getByLabel('CSV file').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await submit('Create job');
      assert.match(await notice(), /File uploaded/);
      await accessible();
      await submit('Start import');
      await page.getByText(/Status Succeeded/).waitFor({ timeout: 20_000 });
      assert.match(await page.getByRole('status').last().innerText(), /2 imported/);
      await shot('import');
      const imported = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'imported-2' }));
      assert.equal(imported.UserStatus, 'RESET_REQUIRED');

      // A file over the server's default body limit (1 MiB) still goes through the form.
      const long = 'x'.repeat(1700);
      const wide = (u: string) => header.map((h) => ({ 'cognito:username': u, email: `${u}@example.com`, name: long, address: long, 'cognito:mfa_enabled': 'false', email_verified: 'true', phone_number_verified: 'false' })[h] ?? '').join(',');
      const big = [header.join(','), ...Array.from({ length: 650 }, (_, i) => wide(`bulk-${i}`))].join('\n') + '\n';
      assert.ok(big.length > 2 * 1024 * 1024);
      await screen('Import & export');
      await page.getByLabel('Job name').fill('big-file');
      await page.getByLabel('CSV file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
      await submit('Create job');
      assert.match(await notice(), /File uploaded/);
      await submit('Start import');
      await page.getByText(/Status Succeeded/).waitFor({ timeout: 60_000 });
      assert.match(await page.getByRole('status').last().innerText(), /650 imported/, await page.locator('main').innerText());

      // Without a file: the job's page shows its upload URL, used as curl would.
      await screen('Import & export');
      await page.getByLabel('Job name').fill('by-url');
      await submit('Create job');
      const curl = await page.locator('pre').innerText();
      const url = /curl -T users\.csv '([^']+)'/.exec(curl)![1]!;
      const bad = header.map((h) => ({ 'cognito:username': 'by-url-bad', 'cognito:mfa_enabled': 'false', email_verified: 'false', phone_number_verified: 'false' })[h] ?? '').join(',');
      const put = await fetch(url, { method: 'PUT', body: [header.join(','), row('by-url-1'), bad].join('\n') + '\n' });
      assert.equal(put.status, 200);
      await submit('Start import');
      await page.getByText(/Status Succeeded/).waitFor({ timeout: 20_000 });
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'by-url-1' }))).UserStatus, 'RESET_REQUIRED');
      // The row without an e-mail address or phone number is reported with its line.
      assert.match(await page.getByRole('table', { name: 'Failed rows' }).innerText(), /^3\tby-url-bad\t./m);
      await accessible();

      // Export: a download encrypted under the key typed in; loaded into another Tessera, dana
      // signs in there with the same password and is in the same group.
      await screen('Import & export');
      assert.match(await page.getByRole('table', { name: 'Import jobs' }).innerText(), /big-file\tSucceeded\t650 imported/);
      await shot('imports');
      await page.getByLabel(/^Export key/).fill('short');
      await page.getByRole('button', { name: 'Download export' }).click();
      await page.waitForURL(/\/export$/);
      assert.match(await page.getByRole('alert').innerText(), /^InvalidParameterException: The export key must be 32 bytes/);
      await page.goBack();
      const key = randomBytes(32).toString('hex');
      await page.getByLabel(/^Export key/).fill(key);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download export' }).click()]);
      assert.equal(download.suggestedFilename(), `${poolId}.tessera`);
      const file = await download.path();
      const other = await startServer({ engine });
      try {
        const { counts } = await importPool(other.app, readArchive(createReadStream(file), Buffer.from(key, 'hex')), () => {});
        assert.equal(counts.users, 654);
        const c = await other.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'check', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
        const signIn = await other.idp.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: c.UserPoolClient!.ClientId!, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dana', PASSWORD } }));
        assert.ok(signIn.AuthenticationResult?.AccessToken);
        const theirGroups = await other.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'dana' }));
        assert.deepEqual(theirGroups.Groups?.map((g) => g.GroupName), ['admins']);
      } finally {
        await other.close();
      }
      const exportEvents = await s.app.audit.list({ poolId, types: ['AdminAction'], limit: 50 });
      assert.ok(exportEvents.events.some((e) => e.detail?.op === 'ExportPool'));

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Identity pools' }).click();
      await accessible();
      await page.getByLabel('Identity pool name').fill('console_ids');
      await page.getByLabel('User pool app client that signs users in').selectOption({ label: 'console-screens / web' });
      await page.getByLabel('Role ARN for authenticated identities (optional)').fill('arn:aws:iam::123456789012:role/signed-in');
      await submit('Create identity pool');
      await accessible();
      assert.match(await page.getByRole('table', { name: 'User pool providers' }).innerText(), new RegExp(poolId));
      await page.getByLabel('Role ARN for guests').fill('arn:aws:iam::123456789012:role/guest');
      await submit('Save roles');
      await page.getByRole('group', { name: 'Guest access' }).getByLabel('Allow unauthenticated (guest) identities').check();
      await submit('Save guest access');
      assert.match(await page.getByRole('table', { name: 'Identity pool' }).innerText(), /Guest identities\tallowed/);

      // A Rules role mapping for the user pool provider: an unknown match type shows its error,
      // then two rules in order, denied when none matches.
      const sales = 'arn:aws:iam::123456789012:role/sales';
      const admins = 'arn:aws:iam::123456789012:role/admins';
      await page.getByLabel('Mapping type').selectOption('Rules');
      await page.getByLabel(/^Rules, one a line/).fill('custom:dept, Resembles, sales, ' + sales);
      await page.getByLabel('When no role is found').selectOption('Deny');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save role mapping', exact: true }).click()]);
      assert.match(await page.getByRole('alert').innerText(), /InvalidParameterException/, 'a bad rule shows its error on the page');
      await page.goBack();
      await page.getByLabel('Mapping type').selectOption('Rules');
      await page.getByLabel(/^Rules, one a line/).fill(`custom:dept, Equals, sales, ${sales}\ncognito:groups, Contains, admins, ${admins}`);
      await page.getByLabel('When no role is found').selectOption('Deny');
      await submit('Save role mapping');
      assert.match(await notice(), /Role mapping saved/);
      await accessible();
      assert.match(await page.getByRole('table', { name: 'Role mappings' }).innerText(), /Rules\tDeny\tcustom:dept Equals sales -> /);
      await shot('identity-pool');
      const ci = identityClient(s);
      const listed = await ci.send(new ListIdentityPoolsCommand({ MaxResults: 10 }));
      const ip = listed.IdentityPools!.find((p) => p.IdentityPoolName === 'console_ids')!;
      const described = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: ip.IdentityPoolId }));
      assert.equal(described.AllowUnauthenticatedIdentities, true);
      assert.equal(described.CognitoIdentityProviders?.[0]?.ClientId, clientId, 'the provider stays');
      const roles = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: ip.IdentityPoolId }));
      assert.deepEqual(roles.Roles, { authenticated: 'arn:aws:iam::123456789012:role/signed-in', unauthenticated: 'arn:aws:iam::123456789012:role/guest' });
      const mappingKey = `${described.CognitoIdentityProviders![0]!.ProviderName}:${clientId}`;
      assert.deepEqual(roles.RoleMappings, {
        [mappingKey]: {
          Type: 'Rules',
          AmbiguousRoleResolution: 'Deny',
          RulesConfiguration: {
            Rules: [
              { Claim: 'custom:dept', MatchType: 'Equals', Value: 'sales', RoleARN: sales },
              { Claim: 'cognito:groups', MatchType: 'Contains', Value: 'admins', RoleARN: admins },
            ],
          },
        },
      });
      // Deleting the mapping keeps the roles.
      await submit(`Delete the role mapping of ${mappingKey}`);
      assert.match(await notice(), /Role mapping deleted/);
      const after = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: ip.IdentityPoolId }));
      assert.deepEqual(after.RoleMappings ?? {}, {});
      assert.equal(after.Roles?.authenticated, 'arn:aws:iam::123456789012:role/signed-in');

      // Social, OpenID Connect and SAML providers, and a role mapping for one of them.
      const oidcArn = 'arn:aws:iam::123456789012:oidc-provider/login.example.com/realm';
      const samlArn = 'arn:aws:iam::123456789012:saml-provider/Corp';
      await page.getByLabel(/^Social providers, one a line/).fill('accounts.google.com = 1234-app.apps.googleusercontent.com\ngraph.facebook.com = 998877');
      await page.getByLabel(/^OpenID Connect providers, one a line/).fill(`${oidcArn} = oidc-client-1`);
      await page.getByLabel('SAML provider ARNs, one a line').fill(samlArn);
      await submit('Save login providers');
      assert.match(await notice(), /Login providers saved/);
      await accessible();
      const listedOthers = await page.getByRole('table', { name: 'Other login providers' }).innerText();
      assert.match(listedOthers, /accounts\.google\.com\tsocial\t1234-app/);
      assert.match(listedOthers, /login\.example\.com\/realm\tOpenID Connect\t.*client id oidc-client-1/);
      assert.doesNotMatch(listedOthers, /login\.example\.com\/realm\tsocial/, 'the OIDC client id is not listed as a social provider');
      const withLogins = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: ip.IdentityPoolId }));
      assert.deepEqual(withLogins.SupportedLoginProviders, {
        'accounts.google.com': '1234-app.apps.googleusercontent.com',
        'graph.facebook.com': '998877',
        'login.example.com/realm': 'oidc-client-1',
      });
      assert.deepEqual(withLogins.OpenIdConnectProviderARNs, [oidcArn]);
      assert.deepEqual(withLogins.SamlProviderARNs, [samlArn]);
      assert.equal(withLogins.AllowUnauthenticatedIdentities, true, 'the other settings stay');
      assert.equal(withLogins.CognitoIdentityProviders?.[0]?.ClientId, clientId);
      await page.getByLabel('Provider', { exact: true }).selectOption('login.example.com/realm');
      await page.getByLabel('Mapping type').selectOption('Rules');
      await page.getByLabel(/^Rules, one a line/).fill(`groups, Contains, sales, ${sales}`);
      await page.getByLabel('When no role is found').selectOption('AuthenticatedRole');
      await submit('Save role mapping');
      assert.match(await notice(), /Role mapping saved/);
      const oidcRoles = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: ip.IdentityPoolId }));
      assert.deepEqual(oidcRoles.RoleMappings, {
        'login.example.com/realm': { Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole', RulesConfiguration: { Rules: [{ Claim: 'groups', MatchType: 'Contains', Value: 'sales', RoleARN: sales }] } },
      });
    });

    test('sign-out everywhere, reset, disable; refused operations show their error', async () => {
      await page.goto(`${s.url}/admin/pools/${encodeURIComponent(poolId)}/users/dana`);
      await submit('Sign out everywhere');
      assert.match(await notice(), /Signed out everywhere/);
      await submit('Disable user');
      await submit('Reset password');
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dana' }));
      assert.equal(u.Enabled, false);
      assert.equal(u.UserStatus, 'RESET_REQUIRED');
      const events = await page.getByRole('table', { name: 'Audit events' }).innerText();
      assert.match(events, /SignOut\tPass\tdana\tAdminUserGlobalSignOut/);
      await page.getByLabel('Attribute name').fill('name');
      await page.getByLabel('Attribute value').fill('Dana Doe');
      await submit('Save attribute');
      const named = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dana' }));
      assert.equal(named.UserAttributes?.find((a) => a.Name === 'name')?.Value, 'Dana Doe');
      await submit('Delete attribute name');
      const unnamed = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dana' }));
      assert.equal(unnamed.UserAttributes?.find((a) => a.Name === 'name'), undefined);

      // A group that exists already: the operation's exception, on the page, status 400.
      await screen('Groups');
      await page.getByLabel('Group name').fill('admins');
      const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create group' }).click()]);
      assert.equal(res?.status(), 400);
      assert.match(await page.getByRole('alert').innerText(), /^GroupExistsException: /);
      await shot('error');

      await page.goto(`${s.url}/admin/pools/${encodeURIComponent(poolId)}/groups`);
      await page.getByRole('link', { name: 'admins' }).click();
      await page.getByLabel('Description').fill('Changed here');
      await submit('Save group');
      assert.equal((await s.idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group?.Description, 'Changed here');
      await submit(/^Remove dana from the group/);
      assert.equal(await page.getByRole('table', { name: 'Members' }).count(), 0);
      await submit('Delete group');
      assert.deepEqual((await s.idp.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups, []);

      await page.goto(`${s.url}/admin/pools/${encodeURIComponent(poolId)}/users/dana`);
      await submit('Delete user');
      await assert.rejects(s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dana' })), (e: Error) => e.name === 'UserNotFoundException');
    });
  });
}
