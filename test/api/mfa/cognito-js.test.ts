// MFA and remembered devices driven by amazon-cognito-identity-js: the totpRequired, mfaRequired,
// selectMFAType and mfaSetup callbacks, and a remembered device that skips MFA on the next
// sign-in (DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER), then is forgotten and recovered from.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AdminForgetDeviceCommand,
  AdminUpdateDeviceStatusCommand, AdminListDevicesCommand, AdminSetUserMFAPreferenceCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pkg from 'amazon-cognito-identity-js';
import { engines, publicClient } from '../../support/server.js';
import { cognitoUser } from '../auth/support.js';
import { PASSWORD, adminTokens, configureMfa, enrolTotp, lastCode, makeClient, makePool, makeUser, nextStep, startMfaServer, totp, type MfaServer } from './support.js';

const { AuthenticationDetails } = pkg;

type Outcome =
  | { kind: 'success'; session: pkg.CognitoUserSession; confirmationNecessary?: boolean }
  | { kind: 'failure'; code: string; message: string }
  | { kind: 'totpRequired' | 'mfaRequired' | 'selectMFAType' | 'mfaSetup'; parameters: Record<string, string> };

/** The callbacks of one step, as a value. */
function callbacks(resolve: (o: Outcome) => void): pkg.IAuthenticationCallback & Record<string, unknown> {
  return {
    onSuccess: (session: pkg.CognitoUserSession, confirmationNecessary?: boolean) => resolve({ kind: 'success', session, confirmationNecessary }),
    onFailure: (e: { code: string; message: string }) => resolve({ kind: 'failure', code: e.code, message: e.message }),
    totpRequired: (_name: string, parameters: Record<string, string>) => resolve({ kind: 'totpRequired', parameters }),
    mfaRequired: (_name: string, parameters: Record<string, string>) => resolve({ kind: 'mfaRequired', parameters }),
    selectMFAType: (_name: string, parameters: Record<string, string>) => resolve({ kind: 'selectMFAType', parameters }),
    mfaSetup: (_name: string, parameters: Record<string, string>) => resolve({ kind: 'mfaSetup', parameters }),
  };
}

const signIn = (user: pkg.CognitoUser, username: string) =>
  new Promise<Outcome>((resolve) => user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), callbacks(resolve)));
const sendCode = (user: pkg.CognitoUser, code: string, type?: string) => new Promise<Outcome>((resolve) => user.sendMFACode(code, callbacks(resolve), type));

for (const engine of engines) {
  describe(`MFA with amazon-cognito-identity-js (${engine})`, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let poolId: string;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      poolId = await makePool(s);
      await configureMfa(s, poolId, { SmsMfaConfiguration: {} });
    });
    beforeEach(() => s.clock.reset());
    after(() => {
      idp.destroy();
      return s.close();
    });

    test('totpRequired, then sendMFACode with SOFTWARE_TOKEN_MFA signs in', async () => {
      const clientId = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'tess');
      const secret = await enrolTotp(s, idp, (await adminTokens(s, poolId, clientId, 'tess'))!.AccessToken!);
      const user = cognitoUser(s, poolId, clientId, 'tess');
      assert.equal((await signIn(user, 'tess')).kind, 'totpRequired');
      const wrong = await sendCode(user, '000000', 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(wrong.kind === 'failure' && wrong.code, 'CodeMismatchException');
      const done = await sendCode(user, totp(secret, s.clock.now()), 'SOFTWARE_TOKEN_MFA');
      assert.equal(done.kind, 'success', JSON.stringify(done));
      if (done.kind === 'success') assert.equal(done.session.getIdToken().payload['cognito:username'], 'tess');
    });

    test('mfaRequired (SMS): the code from the outbox signs in', async () => {
      const clientId = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'sam', { attributes: { phone_number: '+15555550142' } });
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'sam', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const user = cognitoUser(s, poolId, clientId, 'sam');
      const r = await signIn(user, 'sam');
      assert.equal(r.kind, 'mfaRequired');
      if (r.kind === 'mfaRequired') assert.equal(r.parameters.CODE_DELIVERY_DESTINATION, '+*******0142');
      assert.equal((await sendCode(user, await lastCode(s, '+15555550142'))).kind, 'success');
    });

    test('selectMFAType, sendMFASelectionAnswer and totpRequired', async () => {
      const clientId = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'sel', { attributes: { phone_number: '+15555550143' } });
      const secret = await enrolTotp(s, idp, (await adminTokens(s, poolId, clientId, 'sel'))!.AccessToken!);
      await s.idp.send(
        new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'sel', SMSMfaSettings: { Enabled: true }, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false } }),
      );
      const user = cognitoUser(s, poolId, clientId, 'sel');
      const r = await signIn(user, 'sel');
      assert.equal(r.kind, 'selectMFAType');
      const picked = await new Promise<Outcome>((resolve) => user.sendMFASelectionAnswer('SOFTWARE_TOKEN_MFA', callbacks(resolve)));
      assert.equal(picked.kind, 'totpRequired');
      assert.equal((await sendCode(user, totp(secret, s.clock.now()), 'SOFTWARE_TOKEN_MFA')).kind, 'success');
    });

    test('mfaSetup: associateSoftwareToken and verifySoftwareToken inside the sign-in', async () => {
      const onPool = await makePool(s);
      await configureMfa(s, onPool, { MfaConfiguration: 'ON' });
      const clientId = (await makeClient(s, onPool)).id;
      await makeUser(s, onPool, 'setup');
      const user = cognitoUser(s, onPool, clientId, 'setup');
      assert.equal((await signIn(user, 'setup')).kind, 'mfaSetup');
      const secret = await new Promise<string>((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
      const session = await new Promise<pkg.CognitoUserSession>((resolve, reject) =>
        user.verifySoftwareToken(totp(secret, s.clock.now()), 'My TOTP', { onSuccess: resolve, onFailure: reject }),
      );
      assert.ok(session.isValid());
      nextStep(s);
      const again = cognitoUser(s, onPool, clientId, 'setup');
      assert.equal((await signIn(again, 'setup')).kind, 'totpRequired');
    });

    test('a remembered device skips MFA on the next sign-in; forgotten, the client drops it and MFA is back', async () => {
      const devicePool = await makePool(s, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
      await configureMfa(s, devicePool);
      const clientId = (await makeClient(s, devicePool)).id;
      await makeUser(s, devicePool, 'dev');
      const secret = await enrolTotp(s, idp, (await adminTokens(s, devicePool, clientId, 'dev'))!.AccessToken!);
      const first = cognitoUser(s, devicePool, clientId, 'dev');
      assert.equal((await signIn(first, 'dev')).kind, 'totpRequired');
      const done = await sendCode(first, totp(secret, s.clock.now()), 'SOFTWARE_TOKEN_MFA');
      assert.equal(done.kind, 'success', JSON.stringify(done));
      if (done.kind !== 'success') return;
      assert.equal(done.confirmationNecessary, true);
      const deviceKey = done.session.getAccessToken().payload.device_key as string;
      assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
      await new Promise((resolve, reject) => first.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));

      // Same storage (the library keeps the device key and secret per client and user).
      const second = cognitoUser(s, devicePool, clientId, 'dev');
      const skipped = await signIn(second, 'dev');
      assert.equal(skipped.kind, 'success', JSON.stringify(skipped));
      if (skipped.kind === 'success') assert.equal(skipped.session.getAccessToken().payload.device_key, deviceKey);
      const listed = await s.idp.send(new AdminListDevicesCommand({ UserPoolId: devicePool, Username: 'dev' }));
      assert.deepEqual(listed.Devices!.map((d) => d.DeviceKey), [deviceKey]);

      // The device marked not remembered between the two device steps: no tokens; the next sign-in
      // asks for the second factor.
      const realFetch = globalThis.fetch;
      globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
        if (typeof init?.body === 'string' && init.body.includes('"ChallengeName":"DEVICE_PASSWORD_VERIFIER"')) {
          await s.idp.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: devicePool, Username: 'dev', DeviceKey: deviceKey, DeviceRememberedStatus: 'not_remembered' }));
        }
        return realFetch(input, init);
      }) as typeof fetch;
      try {
        nextStep(s);
        const midway = await signIn(cognitoUser(s, devicePool, clientId, 'dev'), 'dev');
        assert.deepEqual(midway, { kind: 'failure', code: 'NotAuthorizedException', message: 'The device is no longer remembered; sign in again.' });
      } finally {
        globalThis.fetch = realFetch;
      }
      nextStep(s);
      assert.equal((await signIn(cognitoUser(s, devicePool, clientId, 'dev'), 'dev')).kind, 'totpRequired');
      await s.idp.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: devicePool, Username: 'dev', DeviceKey: deviceKey, DeviceRememberedStatus: 'remembered' }));

      await s.idp.send(new AdminForgetDeviceCommand({ UserPoolId: devicePool, Username: 'dev', DeviceKey: deviceKey }));
      nextStep(s);
      const third = cognitoUser(s, devicePool, clientId, 'dev');
      assert.equal((await signIn(third, 'dev')).kind, 'totpRequired');
    });
  });
}
