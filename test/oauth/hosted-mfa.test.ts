// The hosted UI's second-factor pages in Debian's chromium (playwright-core), with openid-client
// as the relying party: TOTP enrolment inside the sign-in (the QR code's key gives the code,
// computed here), the authenticator-app code, SMS and e-mail codes read back from the dev outbox,
// choosing among factors, e-mail set-up, the new-password page with required attributes, wrong
// codes, too many wrong codes, German, the customized (classic) and branded (managed login) looks.
// Screenshots go to test-artifacts/screenshots/ (mfa-*.png).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  CreateManagedLoginBrandingCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SetUICustomizationCommand,
  UpdateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines } from '../support/server.js';
import { configureMfa, lastCode, nextStep, startMfaServer, totp, type MfaServer } from '../api/mfa/support.js';
import { hasChromium, openBrowser, startApp, type TestApp, type TestBrowser } from './browser.js';
import { appVisit, authorizationRequest } from './hosted-ui-fixture.js';
import { PASSWORD, makePng, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

const insecure = { execute: [client.allowInsecureRequests] };

for (const engine of engines) {
  describe(`hosted UI MFA pages in chromium (${engine})`, { skip: !hasChromium && 'no /usr/bin/chromium' }, () => {
    let s: MfaServer;
    let app: TestApp;
    let b: TestBrowser;
    let required: OAuthSetup;
    let optional: OAuthSetup;
    let requiredClient: string;
    let requiredSecret: string;
    let optionalClient: string;
    let seen = 0;

    before(async () => {
      s = await startMfaServer(engine);
      app = await startApp();
      const urls = { CallbackURLs: [app.callback], LogoutURLs: [app.signedOut] };
      // MFA required, authenticator apps only: a user without a factor enrols inside the sign-in.
      required = await seedOAuthPool(s, { PoolName: 'mfa required' });
      await configureMfa(s, required.poolId, { MfaConfiguration: 'ON' });
      const secure = await seedWebClient(s, required.poolId, { ClientName: 'Secure app', GenerateSecret: true, ...urls });
      requiredClient = secure.clientId;
      requiredSecret = secure.secret!;
      await seedUser(s, required.poolId, 'tom');
      // MFA optional with text messages, e-mail and apps.
      optional = await seedOAuthPool(s, { PoolName: 'mfa optional' });
      await configureMfa(s, optional.poolId, { SmsMfaConfiguration: {}, EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' } });
      optionalClient = (await seedWebClient(s, optional.poolId, { ClientName: 'web', ...urls })).clientId;
      const users: [string, Record<string, string>, { sms?: boolean; email?: boolean }][] = [
        ['sid', { phone_number: '+15555550101', phone_number_verified: 'true' }, { sms: true }],
        ['emma', { email: 'emma@example.com', email_verified: 'true' }, { email: true }],
        ['sel', { phone_number: '+15555550102', phone_number_verified: 'true', email: 'sel@example.com', email_verified: 'true' }, { sms: true, email: true }],
      ];
      for (const [name, attrs, factors] of users) {
        await seedUser(s, optional.poolId, name, attrs);
        await s.idp.send(
          new AdminSetUserMFAPreferenceCommand({
            UserPoolId: optional.poolId,
            Username: name,
            ...(factors.sms ? { SMSMfaSettings: { Enabled: true } } : {}),
            ...(factors.email ? { EmailMfaSettings: { Enabled: true } } : {}),
          }),
        );
      }
      b = await openBrowser();
    });
    after(async () => {
      await b?.close();
      await app?.close();
      await s?.close();
    });

    /** openid-client by discovery, its clock set to the server's (the tests move it for TOTP steps). */
    function rp(o: OAuthSetup, clientId: string, secret?: string) {
      const skew = Math.round((s.clock.now() - Date.now()) / 1000);
      return client.discovery(new URL(`${s.url}/${o.poolId}`), clientId, { [client.clockSkew]: skew }, secret ? client.ClientSecretPost(secret) : client.None(), insecure);
    }
    async function startLogin(config: client.Configuration, page = b.page) {
      const { url, checks } = await authorizationRequest(config, app.callback, { prompt: 'login' });
      await page.goto(url.toString());
      return checks;
    }
    async function typeCredentials(username: string, page = b.page) {
      await page.getByLabel(/Username|Benutzername/).fill(username);
      await page.getByLabel(/^(Password|Passwort)$/).fill(PASSWORD);
      await page.getByLabel(/^(Password|Passwort)$/).press('Enter');
    }
    const callback = () => appVisit(app, b.page, seen++);
    async function enterCode(label: RegExp | string, code: string) {
      await b.page.getByLabel(label).fill(code);
      await b.page.getByLabel(label).press('Enter');
    }

    test('MFA required, no factor: the enrolment page with a QR code; the key shown gives the code; tokens; the next sign-in asks the app', async () => {
      const checks = await startLogin(await rp(required, requiredClient, requiredSecret));
      await typeCredentials('tom');
      await b.page.getByRole('heading', { name: 'Set up an authenticator app' }).waitFor();
      const qr = b.page.getByRole('img', { name: 'QR code to add this account to an authenticator app' });
      await qr.waitFor();
      assert.ok((await qr.boundingBox())!.width >= 150, 'the QR code is drawn at a scannable size');
      const secret = (await b.page.locator('code.secret').innerText()).trim();
      assert.match(secret, /^[A-Z2-7]{32,}$/);
      await b.shot('mfa-setup');

      // A wrong code: the same page, the same key, Cognito's message.
      await enterCode('Code from your authenticator app', '000000');
      await b.page.getByRole('alert').waitFor();
      assert.match(await b.page.getByRole('alert').innerText(), /Code mismatch and fail enable Software Token MFA/);
      assert.equal((await b.page.locator('code.secret').innerText()).trim(), secret);
      await b.shot('mfa-setup-wrong-code');

      nextStep(s);
      await enterCode('Code from your authenticator app', totp(secret, s.clock.now()));
      const back = await callback();
      const tokens = await client.authorizationCodeGrant(await rp(required, requiredClient, requiredSecret), back, checks);
      assert.equal(tokens.claims()!['cognito:username'], 'tom');
      const tom = await s.idp.send(new AdminGetUserCommand({ UserPoolId: required.poolId, Username: 'tom' }));
      assert.deepEqual(tom.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

      // Signing in again: the authenticator app's code.
      const again = await startLogin(await rp(required, requiredClient, requiredSecret));
      await typeCredentials('tom');
      await b.page.getByText('Enter the code your authenticator app shows.').waitFor();
      await b.shot('mfa-totp');
      nextStep(s);
      await enterCode('Code from your authenticator app', totp(secret, s.clock.now()));
      const second = await client.authorizationCodeGrant(await rp(required, requiredClient, requiredSecret), await callback(), again);
      assert.ok(second.access_token);
    });

    test('MFA required with apps and e-mail offered: choose e-mail, then the first code sets it up', async () => {
      const both = await seedOAuthPool(s, { PoolName: 'mfa required, app or mail' });
      await configureMfa(s, both.poolId, { MfaConfiguration: 'ON', EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' } });
      const { clientId } = await seedWebClient(s, both.poolId, { CallbackURLs: [app.callback], LogoutURLs: [app.signedOut] });
      await seedUser(s, both.poolId, 'erin', { email: 'erin@example.com', email_verified: 'true' });
      const checks = await startLogin(await rp(both, clientId));
      await typeCredentials('erin');
      await b.page.getByRole('heading', { name: 'Set up a second sign-in step' }).waitFor();
      assert.deepEqual(await b.page.getByRole('radio').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
      await b.shot('mfa-setup-choice');
      await b.page.getByRole('radio', { name: 'E-mail' }).check();
      await b.page.getByRole('button', { name: 'Continue' }).click();
      await b.page.getByText(/We have sent a code by e-mail to e\*\*\*@e\*\*\*/).waitFor();
      await enterCode('Verification code', await lastCode(s, 'erin@example.com'));
      const tokens = await client.authorizationCodeGrant(await rp(both, clientId), await callback(), checks);
      assert.equal(tokens.claims()!['cognito:username'], 'erin');
      const erin = await s.idp.send(new AdminGetUserCommand({ UserPoolId: both.poolId, Username: 'erin' }));
      assert.deepEqual(erin.UserMFASettingList, ['EMAIL_OTP']);
    });

    test('SMS and e-mail codes from the outbox; a wrong code shows the page again; too many lead back to sign-in', async () => {
      const checks = await startLogin(await rp(optional, optionalClient));
      await typeCredentials('sid');
      await b.page.getByText(/We have sent a code by text message to \+\*+0101/).waitFor();
      await b.shot('mfa-sms');
      await enterCode('Verification code', '111111');
      await b.page.getByRole('alert').waitFor();
      assert.match(await b.page.getByRole('alert').innerText(), /Invalid verification code/);
      await enterCode('Verification code', await lastCode(s, '+15555550101'));
      const tokens = await client.authorizationCodeGrant(await rp(optional, optionalClient), await callback(), checks);
      assert.equal(tokens.claims()!['cognito:username'], 'sid');

      const byMail = await startLogin(await rp(optional, optionalClient));
      await typeCredentials('emma');
      await b.page.getByText(/We have sent a code by e-mail to e\*\*\*@e\*\*\*/).waitFor();
      await b.shot('mfa-email');
      await enterCode('Verification code', await lastCode(s, 'emma@example.com'));
      const mailTokens = await client.authorizationCodeGrant(await rp(optional, optionalClient), await callback(), byMail);
      assert.equal(mailTokens.claims()!.email, 'emma@example.com');

      await startLogin(await rp(optional, optionalClient));
      await typeCredentials('emma');
      const right = await lastCode(s, 'emma@example.com').catch(() => '');
      const wrong = right === '222222' ? '333333' : '222222';
      let backAtSignIn = false;
      for (let i = 0; i < 7 && !backAtSignIn; i++) {
        await enterCode('Verification code', wrong);
        await b.page.getByRole('alert').waitFor();
        backAtSignIn = await b.page.getByLabel('Username, e-mail or phone number').isVisible();
      }
      assert.ok(backAtSignIn, 'too many wrong codes end the sign-in');
      assert.match(await b.page.getByRole('alert').innerText(), /Too many attempts|took too long/);
      await b.shot('mfa-too-many');
      assert.equal(app.visits.length, seen, 'no code was issued');
    });

    test('several factors and none preferred: choose one, then its code', async () => {
      const checks = await startLogin(await rp(optional, optionalClient));
      await typeCredentials('sel');
      await b.page.getByRole('heading', { name: 'Choose a sign-in method' }).waitFor();
      assert.equal(await b.page.getByRole('radio').count(), 2);
      await b.shot('mfa-select');
      await b.page.getByRole('radio', { name: 'E-mail' }).check();
      await b.page.getByRole('button', { name: 'Continue' }).click();
      await b.page.getByText(/We have sent a code by e-mail to s\*\*\*@e\*\*\*/).waitFor();
      await enterCode('Verification code', await lastCode(s, 'sel@example.com'));
      const tokens = await client.authorizationCodeGrant(await rp(optional, optionalClient), await callback(), checks);
      assert.equal(tokens.claims()!['cognito:username'], 'sel');
    });

    test('new password required: the page asks for the required attributes the user lacks, then MFA set-up follows', async () => {
      const poolId = (
        await s.idp.send(
          new CreateUserPoolCommand({
            PoolName: 'profile required',
            Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
          }),
        )
      ).UserPool!.Id!;
      const prefix = `p${Date.now().toString(36)}${engine[0]}`;
      await s.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
      await configureMfa(s, poolId, { MfaConfiguration: 'ON' });
      const o: OAuthSetup = { poolId, prefix, base: `${s.url}/_domain/${prefix}` };
      const { clientId } = await seedWebClient(s, poolId, { CallbackURLs: [app.callback], LogoutURLs: [app.signedOut], AllowedOAuthScopes: ['openid', 'email', 'profile'] });
      await seedUser(s, poolId, 'nina', { email: 'nina@example.com', email_verified: 'true' }, { temporary: true });

      const checks = await startLogin(await rp(o, clientId));
      await typeCredentials('nina');
      await b.page.getByText('Please choose a new password and complete your profile to continue.').waitFor();
      await b.page.getByLabel('New password', { exact: true }).fill('Nina-new-passw0rd!');
      await b.page.getByLabel('Repeat the new password').fill('Nina-new-passw0rd!');
      await b.shot('new-password-attributes');
      // Without the name: the challenge's own refusal, the page again.
      await b.page.getByLabel('Repeat the new password').press('Enter');
      await b.page.getByRole('alert').waitFor();
      assert.match(await b.page.getByRole('alert').innerText(), /name is missing/);
      await b.page.getByLabel('New password', { exact: true }).fill('Nina-new-passw0rd!');
      await b.page.getByLabel('Repeat the new password').fill('Nina-new-passw0rd!');
      await b.page.getByLabel('Full name').fill('Nina Neu');
      await b.page.getByLabel('Full name').press('Enter');

      // The pool requires MFA and Nina has none: enrolment, as after any password.
      await b.page.getByRole('heading', { name: 'Set up an authenticator app' }).waitFor();
      const secret = (await b.page.locator('code.secret').innerText()).trim();
      nextStep(s);
      await enterCode('Code from your authenticator app', totp(secret, s.clock.now()));
      const tokens = await client.authorizationCodeGrant(await rp(o, clientId), await callback(), checks);
      assert.equal(tokens.claims()!.name, 'Nina Neu');
      const nina = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nina' }));
      assert.equal(nina.UserStatus, 'CONFIRMED');
    });

    test('German, and the pool\'s customized look on the MFA pages', async () => {
      const german = await openBrowser({ locale: 'de-DE' });
      try {
        await startLogin(await rp(optional, optionalClient), german.page);
        await typeCredentials('emma', german.page);
        await german.page.getByText(/Wir haben einen Code per E-Mail an e\*\*\*@e\*\*\* gesendet/).waitFor();
        await german.page.getByLabel('Bestätigungscode').waitFor();
        await german.shot('mfa-email-de');
        await german.page.goto(`${optional.base}/logout`);
      } finally {
        await german.close();
      }

      await s.idp.send(
        new SetUICustomizationCommand({
          UserPoolId: optional.poolId,
          CSS: [
            '.background-customizable { background-color: #264653; }',
            '.submitButton-customizable { background-color: #e76f51; }',
            '.label-customizable { color: #264653; }',
          ].join('\n'),
          ImageFile: new Uint8Array(makePng(240, 80, [38, 70, 83])),
        }),
      );
      await startLogin(await rp(optional, optionalClient));
      await typeCredentials('sel');
      await b.page.getByRole('heading', { name: 'Choose a sign-in method' }).waitFor();
      await b.page.locator('img.logo-customizable').waitFor();
      assert.equal(await b.page.locator('.background-customizable').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(38, 70, 83)');
      await b.shot('mfa-select-customized');
      await b.page.getByRole('button', { name: 'Continue' }).click();
      await b.page.getByLabel('Verification code').waitFor();
      assert.equal(await b.page.getByRole('button', { name: 'Sign in' }).evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(231, 111, 81)');
      await b.shot('mfa-sms-customized');
      await enterCode('Verification code', await lastCode(s, '+15555550102'));
      assert.ok((await callback()).searchParams.get('code'));
    });

    test('managed-login branding (a version 2 domain) on the code page', async () => {
      await s.idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: optional.poolId, Domain: optional.prefix, ManagedLoginVersion: 2 }));
      await s.idp.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: optional.poolId,
          ClientId: optionalClient,
          Settings: {
            components: {
              pageBackground: { lightMode: { color: 'fff3e0ff' } },
              form: { lightMode: { backgroundColor: 'ffffffff', borderColor: 'e65100ff' } },
              primaryButton: { lightMode: { defaults: { backgroundColor: 'e65100ff', textColor: 'ffffffff' }, hover: { backgroundColor: 'bf360cff' } } },
            },
          },
          Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: new Uint8Array(makePng(200, 60, [230, 81, 0])) }],
        }),
      );
      await startLogin(await rp(optional, optionalClient));
      await typeCredentials('sid');
      await b.page.getByLabel('Verification code').waitFor();
      await b.page.locator('img.logo-customizable').waitFor();
      assert.equal(await b.page.getByRole('button', { name: 'Sign in' }).evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(230, 81, 0)');
      await b.shot('mfa-sms-branded');
      await enterCode('Verification code', await lastCode(s, '+15555550101'));
      assert.ok((await callback()).searchParams.get('code'));
    });
  });
}
