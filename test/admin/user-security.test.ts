// The user page's security controls in chromium, on both engines, against what real clients see:
// a remembered device (signed in and confirmed with the SDK) is listed and forgotten, after which
// its refresh token no longer works; a TOTP factor enrolled by the user shows as preferred and is
// turned off from the console (the next sign-in meets no challenge); "Sign out everywhere" ends
// the other sessions' refresh tokens. Screenshot: test-artifacts/screenshots/admin/<engine>-security.png
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, AdminListDevicesCommand, AdminListUserSessionsCommand, ConfirmDeviceCommand, SetUserPoolSessionConfigurationCommand, GetLogDeliveryConfigurationCommand, GetUserPoolMfaConfigCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { chromium, type Browser, type Page } from 'playwright-core';
import { computeX, padHex, powG } from '../../src/crypto/srp.js';
import { ADMIN, engines, publicClient } from '../support/server.js';
import { configureMfa, enrolTotp, makeClient, makePool, makeUser, passwordSignIn, rejection, startMfaServer, type MfaServer } from '../api/mfa/support.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots', 'admin');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function deviceVerifier(groupKey: string, deviceKey: string) {
  const salt = padHex(BigInt('0x' + randomBytes(16).toString('hex')));
  const x = computeX(groupKey, deviceKey, randomBytes(40).toString('base64'), salt);
  return { Salt: Buffer.from(salt, 'hex').toString('base64'), PasswordVerifier: Buffer.from(padHex(powG(x)), 'hex').toString('base64') };
}

for (const engine of engines) {
  describe(`admin console: devices, MFA, sign-out (${engine})`, { skip: !existsSync(CHROMIUM) && 'no /usr/bin/chromium' }, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let browser: Browser;
    let page: Page;
    let poolId: string;
    let clientId: string;

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      poolId = await makePool(s, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } });
      await configureMfa(s, poolId);
      clientId = (await makeClient(s, poolId)).id;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
      await page.goto(`${s.url}/admin/login`);
      await page.getByLabel('Access key id').fill(ADMIN.accessKeyId);
      await page.getByLabel('Secret access key').fill(ADMIN.secretAccessKey);
      await Promise.all([page.waitForURL(`${s.url}/admin`), page.getByLabel('Secret access key').press('Enter')]);
    });
    after(async () => {
      await browser?.close();
      idp?.destroy();
      await s?.close();
    });

    const press = async (name: string | RegExp) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
      assert.equal(await page.getByRole('alert').count(), 0, await page.locator('main').innerText());
    };
    const refresh = (token: string, deviceKey?: string) =>
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) } }));

    test('forget a device, turn TOTP off, sign out everywhere', async () => {
      await makeUser(s, poolId, 'rita');
      // A sign-in on a device the user confirms ("laptop"), then TOTP enrolled and preferred.
      const first = await passwordSignIn(idp, clientId, 'rita');
      const meta = first.AuthenticationResult!.NewDeviceMetadata!;
      await idp.send(new ConfirmDeviceCommand({ AccessToken: first.AuthenticationResult!.AccessToken!, DeviceKey: meta.DeviceKey, DeviceName: 'laptop', DeviceSecretVerifierConfig: deviceVerifier(meta.DeviceGroupKey!, meta.DeviceKey!) }));
      const other = await passwordSignIn(idp, clientId, 'rita');
      await enrolTotp(s, idp, first.AuthenticationResult!.AccessToken!);
      assert.equal((await passwordSignIn(idp, clientId, 'rita')).ChallengeName, 'SOFTWARE_TOKEN_MFA');

      await page.goto(`${s.url}/admin/pools/${encodeURIComponent(poolId)}/users/rita`);
      const devices = page.getByRole('table', { name: 'Remembered devices' });
      assert.match(await devices.innerText(), /laptop/);
      assert.equal(await page.getByLabel('Authenticator app (TOTP)').inputValue(), 'preferred');
      await page.screenshot({ path: join(SHOTS, `${engine}-security.png`), fullPage: true });

      await press('Forget device laptop');
      assert.deepEqual((await s.idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'rita' }))).Devices, []);
      assert.deepEqual(await rejection(refresh(first.AuthenticationResult!.RefreshToken!)), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });

      await page.getByLabel('Authenticator app (TOTP)').selectOption('off');
      await press('Save MFA preference');
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'rita' }));
      assert.deepEqual(u.UserMFASettingList ?? [], []);
      const plain = await passwordSignIn(idp, clientId, 'rita');
      assert.ok(plain.AuthenticationResult?.AccessToken, 'no MFA challenge any more');

      assert.ok((await refresh(other.AuthenticationResult!.RefreshToken!)).AuthenticationResult?.AccessToken);
      await press('Sign out everywhere');
      assert.equal((await rejection(refresh(other.AuthenticationResult!.RefreshToken!))).name, 'NotAuthorizedException');
      assert.equal((await rejection(refresh(plain.AuthenticationResult!.RefreshToken!))).name, 'NotAuthorizedException');
      assert.match(await page.getByRole('table', { name: 'Audit events' }).innerText(), /MfaChange\tPass\trita\tAdminSetUserMFAPreference/);
    });

    test('sessions: listed when the pool tracks them, one revoked from the console', async () => {
      await makeUser(s, poolId, 'sven');
      await page.goto(`${s.url}/admin/pools/${encodeURIComponent(poolId)}/users/sven`);
      assert.match(await page.getByRole('region', { name: 'Sessions' }).innerText(), /Session tracking is not enabled/);
      await s.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 5 } }));
      const a = (await passwordSignIn(idp, clientId, 'sven')).AuthenticationResult!;
      const b = (await passwordSignIn(idp, clientId, 'sven')).AuthenticationResult!;
      const listed = (await s.idp.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'sven' }))).Sessions!;
      assert.equal(listed.length, 2);
      await page.goto(`${s.url}/admin/pools/${encodeURIComponent(poolId)}/users/sven`);
      const table = page.getByRole('table', { name: 'Sessions' });
      for (const x of listed) assert.match(await table.innerText(), new RegExp(x.SessionId!));
      // The least recent (a's) is the second row: revoke it.
      const aId = listed[1].SessionId!;
      await press(`Revoke session ${aId}`);
      assert.equal((await rejection(refresh(a.RefreshToken!))).name, 'NotAuthorizedException');
      assert.ok((await refresh(b.RefreshToken!)).AuthenticationResult?.AccessToken, 'the other session lives on');
      assert.doesNotMatch(await page.getByRole('table', { name: 'Sessions' }).innerText(), new RegExp(aId));
      await s.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 20 } }));
    });

    test("the pool's MFA: shown as configured, refused without a factor, turned off", async () => {
      await page.goto(`${s.url}/admin/pools/${encodeURIComponent(poolId)}`);
      assert.equal(await page.getByLabel('MFA', { exact: true }).inputValue(), 'OPTIONAL');
      assert.ok(await page.getByLabel('Authenticator apps (TOTP)').isChecked());
      await page.getByLabel('MFA', { exact: true }).selectOption('ON');
      await page.getByLabel('Authenticator apps (TOTP)').uncheck();
      const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save MFA' }).click()]);
      assert.equal(res?.status(), 400);
      assert.match(await page.getByRole('alert').innerText(), /^InvalidParameterException: /);
      await page.goBack();
      await page.getByLabel('MFA', { exact: true }).selectOption('OFF');
      await press('Save MFA');
      const cfg = await s.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(cfg.MfaConfiguration, 'OFF');
      assert.equal(cfg.SoftwareTokenMfaConfiguration?.Enabled, false);
    });

    test("the pool's log export: set from two ARNs, shown, refused when malformed, turned off", async () => {
      const stream = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/activity';
      const group = 'arn:aws:logs:us-east-1:123456789012:log-group:deliveries';
      await page.goto(`${s.url}/admin/pools/${encodeURIComponent(poolId)}`);
      await page.getByLabel(/^User activity to/).fill(stream);
      await page.getByLabel(/^Failed e-mail and SMS deliveries to/).fill(group);
      await press('Save log export');
      const saved = (await s.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration!.LogConfigurations;
      assert.deepEqual(saved, [
        { EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: stream } },
        { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: group } },
      ]);
      assert.equal(await page.getByLabel(/^User activity to/).inputValue(), stream, 'shown as saved');
      await page.getByLabel(/^User activity to/).fill('not-an-arn');
      const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save log export' }).click()]);
      assert.equal(res?.status(), 400);
      assert.match(await page.getByRole('alert').innerText(), /^InvalidParameterException: /);
      await page.goBack();
      await page.getByLabel(/^User activity to/).fill('');
      await page.getByLabel(/^Failed e-mail and SMS deliveries to/).fill('');
      await press('Save log export');
      assert.deepEqual((await s.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration!.LogConfigurations, []);
    });
  });
}
