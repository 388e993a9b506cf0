// ForgetDevice and AdminForgetDevice end the sign-ins made on the device: the refresh tokens of
// those sign-ins stop refreshing and their access tokens stop calling the API, while sign-ins on
// other devices (and without one) go on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminForgetDeviceCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { deviceVerifier, makeClient, makePool, makeUser, passwordSignIn, rejection, startMfaServer, type MfaServer } from './support.js';

for (const engine of engines) {
  describe(`forgetting a device revokes its sign-ins' tokens (${engine})`, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      poolId = await makePool(s, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } });
      clientId = (await makeClient(s, poolId)).id;
    });
    after(() => {
      idp.destroy();
      return s.close();
    });

    /** A sign-in whose new device is confirmed: its tokens and the device key. */
    async function deviceSignIn(username: string) {
      const r = await passwordSignIn(idp, clientId, username);
      const meta = r.AuthenticationResult!.NewDeviceMetadata!;
      const AccessToken = r.AuthenticationResult!.AccessToken!;
      await idp.send(new ConfirmDeviceCommand({ AccessToken, DeviceKey: meta.DeviceKey, DeviceName: 'laptop', DeviceSecretVerifierConfig: deviceVerifier(meta.DeviceGroupKey!, meta.DeviceKey!) }));
      return { AccessToken, RefreshToken: r.AuthenticationResult!.RefreshToken!, DeviceKey: meta.DeviceKey! };
    }
    const refresh = (RefreshToken: string, DeviceKey?: string) =>
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: RefreshToken, ...(DeviceKey ? { DEVICE_KEY: DeviceKey } : {}) } }));

    test('ForgetDevice: the device\'s refresh tokens no longer work; another device\'s do', async () => {
      await makeUser(s, poolId, 'rita');
      const laptop = await deviceSignIn('rita');
      const again = await passwordSignIn(idp, clientId, 'rita', { DEVICE_KEY: laptop.DeviceKey });
      const phone = await deviceSignIn('rita');
      // Before: all refresh.
      assert.ok((await refresh(laptop.RefreshToken, laptop.DeviceKey)).AuthenticationResult?.AccessToken);
      assert.ok((await refresh(again.AuthenticationResult!.RefreshToken!, laptop.DeviceKey)).AuthenticationResult?.AccessToken);

      await idp.send(new ForgetDeviceCommand({ AccessToken: phone.AccessToken, DeviceKey: laptop.DeviceKey }));

      for (const token of [laptop.RefreshToken, again.AuthenticationResult!.RefreshToken!]) {
        assert.deepEqual(await rejection(refresh(token)), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
      }
      assert.equal((await rejection(idp.send(new GetUserCommand({ AccessToken: laptop.AccessToken })))).name, 'NotAuthorizedException');
      assert.ok((await refresh(phone.RefreshToken, phone.DeviceKey)).AuthenticationResult?.AccessToken);
      assert.equal((await idp.send(new GetUserCommand({ AccessToken: phone.AccessToken }))).Username, 'rita');
    });

    test('AdminForgetDevice does the same for the admin', async () => {
      await makeUser(s, poolId, 'sam');
      const laptop = await deviceSignIn('sam');
      const phone = await deviceSignIn('sam');
      await s.idp.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'sam', DeviceKey: laptop.DeviceKey }));
      assert.deepEqual(await rejection(refresh(laptop.RefreshToken)), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
      assert.ok((await refresh(phone.RefreshToken, phone.DeviceKey)).AuthenticationResult?.AccessToken);
    });
  });
}
