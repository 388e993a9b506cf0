// Remembered devices through the SDK: NewDeviceMetadata, ConfirmDevice, GetDevice, ListDevices
// (paged), UpdateDeviceStatus, ForgetDevice, their Admin forms, and the errors of each.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { deviceVerifier, makeClient, makePool, makeUser, passwordSignIn, rejection, startMfaServer, type MfaServer } from './support.js';

for (const engine of engines) {
  describe(`devices through the SDK (${engine})`, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      poolId = await makePool(s, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } });
      clientId = (await makeClient(s, poolId)).id;
    });
    after(() => {
      idp.destroy();
      return s.close();
    });

    /** A sign-in that confirms its new device; returns the access token and the device key. */
    async function signInWithDevice(username: string, name = 'laptop') {
      const r = await passwordSignIn(idp, clientId, username);
      const meta = r.AuthenticationResult!.NewDeviceMetadata!;
      assert.match(meta.DeviceKey!, /^us-east-1_[0-9a-f-]{36}$/);
      assert.ok(meta.DeviceGroupKey);
      const AccessToken = r.AuthenticationResult!.AccessToken!;
      const c = await idp.send(
        new ConfirmDeviceCommand({ AccessToken, DeviceKey: meta.DeviceKey, DeviceName: name, DeviceSecretVerifierConfig: deviceVerifier(meta.DeviceGroupKey!, meta.DeviceKey!) }),
      );
      assert.equal(c.UserConfirmationNecessary, false);
      return { AccessToken, DeviceKey: meta.DeviceKey! };
    }

    test('a tracked sign-in gets a device; ConfirmDevice stores it, remembered; Get and List show it', async () => {
      await makeUser(s, poolId, 'ann');
      const { AccessToken, DeviceKey } = await signInWithDevice('ann');
      const { Device } = await idp.send(new GetDeviceCommand({ AccessToken, DeviceKey }));
      const attrs = Object.fromEntries(Device!.DeviceAttributes!.map((a) => [a.Name, a.Value]));
      assert.equal(attrs.device_name, 'laptop');
      assert.equal(attrs['dev:device_remembered_status'], 'remembered');
      assert.ok(Device!.DeviceCreateDate instanceof Date);
      const again = await rejection(idp.send(new ConfirmDeviceCommand({ AccessToken, DeviceKey, DeviceSecretVerifierConfig: deviceVerifier('-g', DeviceKey) })));
      assert.equal(again.name, 'DeviceKeyExistsException');
      // Signing in again with the key: no new device, the key in the access token.
      const known = await passwordSignIn(idp, clientId, 'ann', { DEVICE_KEY: DeviceKey });
      assert.equal(known.AuthenticationResult!.NewDeviceMetadata, undefined);
    });

    test('ConfirmDevice refuses a key the token was not issued with, and a missing verifier', async () => {
      await makeUser(s, poolId, 'bob');
      const r = await passwordSignIn(idp, clientId, 'bob');
      const AccessToken = r.AuthenticationResult!.AccessToken!;
      const other = await rejection(idp.send(new ConfirmDeviceCommand({ AccessToken, DeviceKey: 'us-east-1_00000000-0000-4000-8000-000000000000', DeviceSecretVerifierConfig: deviceVerifier('-g', 'k') })));
      assert.deepEqual(other, { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
      const bare = await rejection(idp.send(new ConfirmDeviceCommand({ AccessToken, DeviceKey: r.AuthenticationResult!.NewDeviceMetadata!.DeviceKey })));
      assert.equal(bare.name, 'InvalidParameterException');
    });

    test('ListDevices pages with Limit; AdminListDevices lists the same', async () => {
      await makeUser(s, poolId, 'cat');
      const a = await signInWithDevice('cat', 'one');
      const b = await signInWithDevice('cat', 'two');
      const first = await idp.send(new ListDevicesCommand({ AccessToken: a.AccessToken, Limit: 1 }));
      assert.equal(first.Devices!.length, 1);
      assert.ok(first.PaginationToken);
      const second = await idp.send(new ListDevicesCommand({ AccessToken: a.AccessToken, Limit: 1, PaginationToken: first.PaginationToken }));
      assert.equal(second.Devices!.length, 1);
      assert.equal(second.PaginationToken, undefined);
      const keys = [...first.Devices!, ...second.Devices!].map((d) => d.DeviceKey).sort();
      assert.deepEqual(keys, [a.DeviceKey, b.DeviceKey].sort());
      const admin = await s.idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'cat' }));
      assert.deepEqual(admin.Devices!.map((d) => d.DeviceKey).sort(), keys);
      const badToken = await rejection(idp.send(new ListDevicesCommand({ AccessToken: a.AccessToken, PaginationToken: 'v1.garbage' })));
      assert.equal(badToken.name, 'InvalidParameterException');
    });

    test('UpdateDeviceStatus and AdminUpdateDeviceStatus set the remembered status', async () => {
      await makeUser(s, poolId, 'dan');
      const { AccessToken, DeviceKey } = await signInWithDevice('dan');
      await idp.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey, DeviceRememberedStatus: 'not_remembered' }));
      const status = async () => {
        const { Device } = await s.idp.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'dan', DeviceKey }));
        return Device!.DeviceAttributes!.find((a) => a.Name === 'dev:device_remembered_status')!.Value;
      };
      assert.equal(await status(), 'not_remembered');
      await s.idp.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'dan', DeviceKey, DeviceRememberedStatus: 'remembered' }));
      assert.equal(await status(), 'remembered');
    });

    test("ForgetDevice: the key is unknown afterwards, and a sign-in naming it is 'Device does not exist.'", async () => {
      await makeUser(s, poolId, 'eve');
      const { AccessToken, DeviceKey } = await signInWithDevice('eve');
      await idp.send(new ForgetDeviceCommand({ AccessToken, DeviceKey }));
      // The sign-in made on the device ended with it (forget-device-tokens.test.ts); another one asks.
      assert.equal((await rejection(idp.send(new GetDeviceCommand({ AccessToken, DeviceKey })))).name, 'NotAuthorizedException');
      const other = (await passwordSignIn(idp, clientId, 'eve')).AuthenticationResult!.AccessToken!;
      const gone = await rejection(idp.send(new GetDeviceCommand({ AccessToken: other, DeviceKey })));
      assert.deepEqual(gone, { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
      const signIn = await rejection(passwordSignIn(idp, clientId, 'eve', { DEVICE_KEY: DeviceKey }));
      assert.deepEqual(signIn, { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
      assert.equal((await rejection(idp.send(new ForgetDeviceCommand({ AccessToken: other, DeviceKey })))).name, 'ResourceNotFoundException');
    });

    test("another user's device is not yours; Admin forms name unknown users as their models allow", async () => {
      await makeUser(s, poolId, 'fay');
      await makeUser(s, poolId, 'gus');
      const fay = await signInWithDevice('fay');
      const gus = await signInWithDevice('gus');
      assert.equal((await rejection(idp.send(new GetDeviceCommand({ AccessToken: gus.AccessToken, DeviceKey: fay.DeviceKey })))).name, 'ResourceNotFoundException');
      const crossed = await rejection(passwordSignIn(idp, clientId, 'gus', { DEVICE_KEY: fay.DeviceKey }));
      assert.deepEqual(crossed, { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
      const unknownGet = await rejection(s.idp.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'nobody', DeviceKey: fay.DeviceKey })));
      assert.equal(unknownGet.name, 'ResourceNotFoundException');
      const unknownUpdate = await rejection(
        s.idp.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'nobody', DeviceKey: fay.DeviceKey, DeviceRememberedStatus: 'remembered' })),
      );
      assert.equal(unknownUpdate.name, 'UserNotFoundException');
    });
  });
}
