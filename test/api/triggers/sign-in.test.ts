// PreAuthentication, PostAuthentication and UserMigration on the sign-in paths: their events
// (InitiateAuth's ClientMetadata as validationData), refusals stopping the sign-in, and users
// migrated from an old directory with the password just proven. The user store is read back
// after each failure.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  ConfirmDeviceCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { PASSWORD, attrs, errorOf, lambdaConfig, makeClient, makePool, startTriggerWorld, userOf, usernames, type TriggerWorld } from './support.js';
import { deviceVerifier } from '../mfa/support.js';

for (const engine of engines) {
  describe(`PreAuthentication, PostAuthentication, UserMigration (${engine})`, () => {
    let w: TriggerWorld;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let hiddenClientId: string;
    const refuse = { pre: false, post: false };
    /** The old directory UserMigration consults. */
    const legacy: Record<string, { password: string; attributes: Record<string, string>; status?: string }> = {
      'old@example.com': { password: 'Legacy-Passw0rd!', attributes: { email: 'old@example.com', email_verified: 'true', name: 'Old Timer' } },
      'reset@example.com': { password: 'Legacy-Passw0rd!', attributes: { email: 'reset@example.com', email_verified: 'true' }, status: 'RESET_REQUIRED' },
    };
    before(async () => {
      w = await startTriggerWorld(engine);
      pub = publicClient(w.s.url);
      w.lambda.handlers.pre = (e) => {
        if (refuse.pre) throw new Error('Sign-in is closed tonight');
        return e;
      };
      w.lambda.handlers.post = (e) => {
        if (refuse.post) throw new Error('Audit log unavailable');
        return e;
      };
      w.lambda.handlers.migrate = (e) => {
        if (e.userName === 'boom@example.com') throw new Error('Legacy database unreachable');
        const old = legacy[e.userName];
        if (!old || (e.triggerSource === 'UserMigration_Authentication' && old.password !== e.request.password)) return e;
        return { ...e, response: { ...e.response, userAttributes: old.attributes, finalUserStatus: old.status ?? 'CONFIRMED', messageAction: 'SUPPRESS' } };
      };
      poolId = await makePool(w.s, { AliasAttributes: ['email'], LambdaConfig: lambdaConfig({ PreAuthentication: 'pre', PostAuthentication: 'post', UserMigration: 'migrate' }) });
      clientId = (await makeClient(w.s, poolId, { PreventUserExistenceErrors: 'LEGACY' })).id;
      hiddenClientId = (await makeClient(w.s, poolId, { PreventUserExistenceErrors: 'ENABLED' })).id;
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS', UserAttributes: attrs({ name: 'Alice' }) }));
      await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: PASSWORD, Permanent: true }));
    });
    after(async () => {
      pub.destroy();
      await w.close();
    });

    const passwordSignIn = (USERNAME: string, PASSWORD_: string, ClientId = clientId, ClientMetadata?: Record<string, string>) =>
      pub.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: PASSWORD_ }, ClientMetadata }));

    test('a password sign-in: PreAuthentication with validationData, then PostAuthentication; ClientMetadata of InitiateAuth goes to the first only', async () => {
      refuse.pre = refuse.post = false;
      w.lambda.reset();
      const r = await passwordSignIn('alice', PASSWORD, clientId, { device: 'kiosk' });
      assert.ok(r.AuthenticationResult?.IdToken);
      const [pre] = w.lambda.events('pre');
      const sub = pre.request.userAttributes.sub;
      assert.deepEqual(pre, {
        version: '1',
        triggerSource: 'PreAuthentication_Authentication',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: { userAttributes: { sub, name: 'Alice', 'cognito:user_status': 'CONFIRMED' }, validationData: { device: 'kiosk' } },
        response: {},
      });
      assert.deepEqual(w.lambda.events('post'), [
        {
          ...pre,
          triggerSource: 'PostAuthentication_Authentication',
          request: { userAttributes: { sub, name: 'Alice', 'cognito:user_status': 'CONFIRMED' }, newDeviceUsed: false },
        },
      ]);
    });

    test('PreAuthentication runs on SRP InitiateAuth too, and a refusal stops the sign-in there', async () => {
      refuse.pre = true;
      w.lambda.reset();
      const e = await errorOf(pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice', SRP_A: 'abc123' } })));
      assert.deepEqual(e, { name: 'UserLambdaValidationException', message: 'PreAuthentication failed with error Sign-in is closed tonight.' });
      assert.equal(w.lambda.events('post').length, 0);
      refuse.pre = false;
    });

    test('an unknown name with PreventUserExistenceErrors: PreAuthentication says userNotFound, the answer stays "Incorrect username or password."', async () => {
      w.lambda.reset();
      const e = await errorOf(passwordSignIn('nobody', PASSWORD, hiddenClientId));
      assert.deepEqual(e, { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      const [pre] = w.lambda.events('pre');
      assert.equal(pre.userName, 'nobody');
      assert.deepEqual(pre.request, { userAttributes: {}, userNotFound: true });
    });

    test('PostAuthentication refusing: UserLambdaValidationException and no tokens', async () => {
      refuse.post = true;
      const e = await errorOf(w.s.idp.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } })));
      assert.deepEqual(e, { name: 'UserLambdaValidationException', message: 'PostAuthentication failed with error Audit log unavailable.' });
      refuse.post = false;
    });

    test('UserMigration_Authentication: an unknown name with the old password becomes a CONFIRMED user and signs in; next time no migration', async () => {
      w.lambda.reset();
      const r = await passwordSignIn('old@example.com', 'Legacy-Passw0rd!', clientId, { from: 'app' });
      assert.ok(r.AuthenticationResult?.AccessToken);
      const [m] = w.lambda.events('migrate');
      assert.equal(m.triggerSource, 'UserMigration_Authentication');
      assert.equal(m.userName, 'old@example.com');
      assert.deepEqual(m.request, { password: 'Legacy-Passw0rd!', validationData: { from: 'app' } });
      assert.deepEqual(m.response, { userAttributes: null, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null, forceAliasCreation: null, enableSMSMFA: null });
      // AliasAttributes pool: the e-mail is an alias, so the user is found by it from now on.
      const u = await userOf(w.s, poolId, 'old@example.com');
      assert.equal(u.status, 'CONFIRMED');
      assert.equal(u.attributes.name, 'Old Timer');
      assert.equal(u.attributes.email_verified, 'true');
      await passwordSignIn('old@example.com', 'Legacy-Passw0rd!');
      assert.equal(w.lambda.events('migrate').length, 1);
      assert.equal((await errorOf(passwordSignIn('old@example.com', 'wrong-Passw0rd!'))).name, 'NotAuthorizedException');
    });

    test('a wrong old password, or a name the old directory does not know: no user, the usual error', async () => {
      const before = await usernames(w.s, poolId);
      assert.deepEqual(await errorOf(passwordSignIn('reset@example.com', 'not-it')), { name: 'UserNotFoundException', message: 'User does not exist.' });
      assert.deepEqual(await errorOf(passwordSignIn('ghost@example.com', 'x', hiddenClientId)), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      assert.deepEqual(await usernames(w.s, poolId), before);
    });

    test('finalUserStatus RESET_REQUIRED: the user is created and the sign-in answers PasswordResetRequiredException', async () => {
      const e = await errorOf(passwordSignIn('reset@example.com', 'Legacy-Passw0rd!'));
      assert.equal(e.name, 'PasswordResetRequiredException');
      assert.equal((await userOf(w.s, poolId, 'reset@example.com')).status, 'RESET_REQUIRED');
    });

    test('a failing migration function: UserLambdaValidationException, no user; SRP never migrates', async () => {
      const before = await usernames(w.s, poolId);
      assert.deepEqual(await errorOf(passwordSignIn('boom@example.com', 'x')), {
        name: 'UserLambdaValidationException',
        message: 'UserMigration failed with error Legacy database unreachable.',
      });
      w.lambda.reset();
      await errorOf(pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'new@example.com', SRP_A: 'abc123' } })));
      assert.equal(w.lambda.events('migrate').length, 0);
      assert.deepEqual(await usernames(w.s, poolId), before);
    });

    test('newDeviceUsed: true when a pool that remembers devices gives the sign-in a new one, false with a known DEVICE_KEY', async () => {
      const devPool = await makePool(w.s, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false }, LambdaConfig: lambdaConfig({ PostAuthentication: 'post' }) });
      const devClient = (await makeClient(w.s, devPool)).id;
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: devPool, Username: 'dora', MessageAction: 'SUPPRESS' }));
      await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: devPool, Username: 'dora', Password: PASSWORD, Permanent: true }));
      refuse.post = false;
      w.lambda.reset();
      const signIn = (extra: Record<string, string> = {}) =>
        pub.send(new InitiateAuthCommand({ ClientId: devClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dora', PASSWORD, ...extra } }));
      const first = await signIn();
      const meta = first.AuthenticationResult!.NewDeviceMetadata!;
      assert.ok(meta.DeviceKey);
      await pub.send(
        new ConfirmDeviceCommand({ AccessToken: first.AuthenticationResult!.AccessToken!, DeviceKey: meta.DeviceKey, DeviceName: 'tablet', DeviceSecretVerifierConfig: deviceVerifier(meta.DeviceGroupKey!, meta.DeviceKey!) }),
      );
      const again = await signIn({ DEVICE_KEY: meta.DeviceKey! });
      assert.equal(again.AuthenticationResult!.NewDeviceMetadata, undefined);
      assert.deepEqual(w.lambda.events('post').map((e) => e.request.newDeviceUsed), [true, false]);
      // A pool that does not remember devices never says so (the first test: false).
    });
  });
}
