// The other hosted pages in chromium: sign-up with the e-mailed code, forgotten password, new
// password required, the error page, German, and the customized (classic CSS and logo) and
// branded (managed login) looks. A screenshot of each page goes to test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateManagedLoginBrandingCommand, SetUICustomizationCommand, UpdateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { openBrowser } from './browser.js';
import { makePng, seedOAuthPool, seedWebClient } from './support.js';
import { hasChromium } from './browser.js';
import { PASSWORD, hostedUiFixture, type HostedUiFixture } from './hosted-ui-fixture.js';

describe('hosted UI pages in chromium', { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
  let f: HostedUiFixture;
  before(async () => {
    f = await hostedUiFixture();
  });
  after(() => f?.close());

  test('a new user: sign-up, the code from the e-mail, and straight back to the app', async () => {
    await f.b.page.goto(`${f.o.base}/logout`);
    const config = await f.rp(f.web.clientId);
    await f.startLogin(config);
    await f.b.page.getByRole('link', { name: 'Need an account? Sign up' }).click();
    await f.b.page.getByLabel('Username').fill('carol');
    await f.b.page.getByLabel('E-mail').fill('carol@example.com');
    await f.b.shot('signup');
    await f.b.page.getByLabel('Password').fill('short');
    await f.b.page.getByLabel('Password').press('Enter');
    await f.b.page.getByRole('alert').waitFor();
    await f.b.page.getByLabel('Password').fill(PASSWORD);
    await f.b.page.getByLabel('Password').press('Enter');
    await f.b.page.getByLabel('Verification code').waitFor();
    await f.b.shot('confirm');
    const [mail] = await f.s.app.store.outbox.list('carol@example.com');
    const code = /\b(\d{6})\b/.exec(mail.body)![1];
    await f.b.page.getByLabel('Verification code').fill(code);
    await f.b.page.getByLabel('Verification code').press('Enter');
    const back = await f.callback();
    assert.ok(back.searchParams.get('code'));
  });

  test('forgotten password: a code by e-mail, a new password, then sign in with it', async () => {
    await f.b.page.goto(`${f.o.base}/logout`);
    const config = await f.rp(f.web.clientId);
    await f.startLogin(config);
    await f.b.page.getByRole('link', { name: 'Forgot your password?' }).click();
    await f.b.page.getByLabel('Username, e-mail or phone number').fill('alice');
    await f.b.shot('forgot-password');
    await f.b.page.getByLabel('Username, e-mail or phone number').press('Enter');
    await f.b.page.getByLabel('Verification code').waitFor();
    await f.b.shot('reset-password');
    const [mail] = await f.s.app.store.outbox.list('alice@example.com');
    await f.b.page.getByLabel('Verification code').fill(/\b(\d{6})\b/.exec(mail.body)![1]);
    await f.b.page.getByLabel('New password', { exact: true }).fill('Alice-new-passw0rd!');
    await f.b.page.getByLabel('Repeat the new password').fill('Alice-new-passw0rd!');
    await f.b.page.getByLabel('Repeat the new password').press('Enter');
    await f.b.page.getByRole('status').waitFor();
    await f.typeCredentials('alice', 'Alice-new-passw0rd!');
    assert.ok((await f.callback()).searchParams.get('code'));
  });

  test('new password required, the error page, German, customized and branded looks', async () => {
    await f.b.page.goto(`${f.o.base}/logout`);
    const config = await f.rp(f.web.clientId);
    await f.startLogin(config);
    await f.typeCredentials('newbie', PASSWORD);
    await f.b.page.getByLabel('New password', { exact: true }).waitFor();
    await f.b.shot('new-password');
    await f.b.page.getByLabel('New password', { exact: true }).fill('Newbie-passw0rd!');
    await f.b.page.getByLabel('Repeat the new password').fill('Newbie-passw0rd!');
    await f.b.page.getByLabel('Repeat the new password').press('Enter');
    assert.ok((await f.callback()).searchParams.get('code'));

    await f.b.page.goto(`${f.o.base}/oauth2/authorize?response_type=code&client_id=${f.web.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`);
    await f.b.page.getByRole('alert').waitFor();
    assert.match(await f.b.page.getByRole('alert').innerText(), /redirect_uri/);
    await f.b.shot('error-redirect-mismatch');

    const german = await openBrowser({ locale: 'de-DE' });
    try {
      await german.page.goto(`${f.o.base}/login?${new URLSearchParams({ response_type: 'code', client_id: f.web.clientId, redirect_uri: f.app.callback })}`);
      await german.page.getByRole('button', { name: 'Anmelden' }).waitFor();
      await german.shot('signin-de');
    } finally {
      await german.close();
    }

    await f.s.idp.send(
      new SetUICustomizationCommand({
        UserPoolId: f.o.poolId,
        CSS: [
          '.background-customizable { background-color: #1d3557; }',
          '.banner-customizable { padding: 8px; background-color: #f1faee; border-radius: 6px; }',
          '.submitButton-customizable { background-color: #e63946; font-size: 18px; }',
          '.submitButton-customizable:hover { background-color: #b92f3a; }',
          '.label-customizable { color: #1d3557; }',
          '.inputField-customizable { border: 2px solid #457b9d; }',
        ].join('\n'),
        ImageFile: new Uint8Array(makePng(240, 80, [29, 53, 87])),
      }),
    );
    await f.startLogin(config, { prompt: 'login' });
    await f.b.page.locator('img.logo-customizable').waitFor();
    const bg = await f.b.page.locator('.background-customizable').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, 'rgb(29, 53, 87)');
    assert.equal(await f.b.page.locator('img.logo-customizable').evaluate((el) => (el as HTMLImageElement).naturalWidth), 240);
    await f.b.shot('signin-customized');

    const brandedPool = await seedOAuthPool(f.s, { PoolName: 'branded' });
    const branded = await seedWebClient(f.s, brandedPool.poolId, { ClientName: 'Branded app', CallbackURLs: [f.app.callback] });
    await f.s.idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: brandedPool.poolId, Domain: brandedPool.prefix, ManagedLoginVersion: 2 }));
    await f.s.idp.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: brandedPool.poolId,
        ClientId: branded.clientId,
        Settings: {
          components: {
            pageBackground: { lightMode: { color: 'f3e8ffff' } },
            form: { lightMode: { backgroundColor: 'ffffffff', borderColor: '7b2cbfff' } },
            pageText: { lightMode: { headingColor: '3c096cff', bodyColor: '240046ff' } },
            primaryButton: { lightMode: { defaults: { backgroundColor: '7b2cbfff', textColor: 'ffffffff' }, hover: { backgroundColor: '5a189aff' } } },
          },
        },
        Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: new Uint8Array(makePng(200, 60, [123, 44, 191])) }],
      }),
    );
    await f.b.page.goto(`${brandedPool.base}/login?${new URLSearchParams({ response_type: 'code', client_id: branded.clientId, redirect_uri: f.app.callback })}`);
    await f.b.page.locator('img.logo-customizable').waitFor();
    const button = await f.b.page.getByRole('button', { name: 'Sign in' }).evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(button, 'rgb(123, 44, 191)');
    await f.b.shot('signin-branded');
  });
});
