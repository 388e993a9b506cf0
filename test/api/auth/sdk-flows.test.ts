// Every AuthFlow and its error paths through the AWS SDK v3: USER_PASSWORD_AUTH,
// ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH, REFRESH_TOKEN_AUTH, client flow settings,
// SECRET_HASH, and what the user's status allows once the password is right.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser, secretHash, verifiedClaims } from './support.js';

for (const engine of engines) {
  describe(`auth flows through the SDK (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    const passwordAuth = (USERNAME: string, PASSWORD_: string, client = clientId) =>
      pub.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: PASSWORD_ } }));

    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('USER_PASSWORD_AUTH gives signed tokens of that user', async () => {
      await makeUser(s, poolId, 'upa', { attributes: { email: 'upa@example.com' } });
      const r = await passwordAuth('upa', PASSWORD);
      assert.equal(r.ChallengeName, undefined);
      const t = r.AuthenticationResult!;
      assert.equal(t.TokenType, 'Bearer');
      assert.equal(t.ExpiresIn, 3600);
      assert.ok(t.IdToken && t.RefreshToken);
      const access = await verifiedClaims(s, poolId, t.AccessToken!);
      assert.deepEqual([access.token_use, access.username, access.client_id], ['access', 'upa', clientId]);
      const id = await verifiedClaims(s, poolId, t.IdToken!);
      assert.deepEqual([id.token_use, id['cognito:username'], id.email, id.aud], ['id', 'upa', 'upa@example.com', clientId]);
    });

    test('ADMIN_USER_PASSWORD_AUTH and the legacy ADMIN_NO_SRP_AUTH sign in through AdminInitiateAuth', async () => {
      await makeUser(s, poolId, 'adm');
      for (const AuthFlow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const) {
        const r = await s.idp.send(
          new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow, AuthParameters: { USERNAME: 'adm', PASSWORD } }),
        );
        assert.ok(r.AuthenticationResult?.AccessToken, AuthFlow);
      }
      const wrong = await errorOf(
        s.idp.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'adm', PASSWORD: WRONG } })),
      );
      assert.deepEqual(wrong, { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    });

    test('admin flows are refused by InitiateAuth, and a client of another pool by AdminInitiateAuth', async () => {
      const e = await errorOf(
        pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'adm', PASSWORD } })),
      );
      assert.equal(e.name, 'InvalidParameterException');
      const otherPool = await makePool(s);
      const e2 = await errorOf(
        s.idp.send(new AdminInitiateAuthCommand({ UserPoolId: otherPool, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'adm', PASSWORD } })),
      );
      assert.equal(e2.name, 'ResourceNotFoundException');
    });

    test('REFRESH_TOKEN_AUTH (and REFRESH_TOKEN) give new ID and access tokens and no refresh token', async () => {
      await makeUser(s, poolId, 'ref');
      const first = (await passwordAuth('ref', PASSWORD)).AuthenticationResult!;
      for (const AuthFlow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
        const r = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow, AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }));
        const t = r.AuthenticationResult!;
        assert.equal(t.RefreshToken, undefined);
        assert.ok(t.AccessToken && t.IdToken);
        assert.notEqual(t.AccessToken, first.AccessToken);
        const claims = await verifiedClaims(s, poolId, t.AccessToken!);
        assert.equal(claims.username, 'ref');
        assert.equal(claims.origin_jti, (await verifiedClaims(s, poolId, first.AccessToken!)).origin_jti);
      }
      const bad = await errorOf(
        pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'not-a-token' } })),
      );
      assert.equal(bad.name, 'NotAuthorizedException');
    });

    test('a flow the client does not allow is InvalidParameterException in Cognito\'s words', async () => {
      const srpOnly = (await makeClient(s, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).id;
      await makeUser(s, poolId, 'flows');
      assert.deepEqual(await errorOf(passwordAuth('flows', PASSWORD, srpOnly)), {
        name: 'InvalidParameterException',
        message: 'USER_PASSWORD_AUTH flow not enabled for this client',
      });
      const e = await errorOf(
        s.idp.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: srpOnly, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'flows', PASSWORD } })),
      );
      assert.deepEqual(e, { name: 'InvalidParameterException', message: 'ADMIN_USER_PASSWORD_AUTH flow not enabled for this client' });
      // Legacy values: USER_PASSWORD_AUTH enables the flow of that name.
      const legacy = (await makeClient(s, poolId, { ExplicitAuthFlows: ['USER_PASSWORD_AUTH'] })).id;
      assert.ok((await passwordAuth('flows', PASSWORD, legacy)).AuthenticationResult);
    });

    test('CUSTOM_AUTH in a pool without a DefineAuthChallenge trigger is refused (the loop itself: test/api/triggers)', async () => {
      const custom = (await makeClient(s, poolId, { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH'] })).id;
      const e = await errorOf(pub.send(new InitiateAuthCommand({ ClientId: custom, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'x' } })));
      assert.equal(e.name, 'InvalidParameterException');
      assert.equal(e.message, 'Custom auth lambda trigger is not configured for the user pool.');
    });

    test('a client with a secret needs the right SECRET_HASH, over the typed or canonical name', async () => {
      const c = await makeClient(s, poolId, { GenerateSecret: true });
      await makeUser(s, poolId, 'sec');
      const init = (params: Record<string, string>) =>
        pub.send(new InitiateAuthCommand({ ClientId: c.id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'sec', PASSWORD, ...params } }));
      assert.deepEqual(await errorOf(init({})), {
        name: 'NotAuthorizedException',
        message: `Client ${c.id} is configured with secret but SECRET_HASH was not received`,
      });
      assert.deepEqual(await errorOf(init({ SECRET_HASH: secretHash(c.secret!, 'someone-else', c.id) })), {
        name: 'NotAuthorizedException',
        message: `Unable to verify secret hash for client ${c.id}`,
      });
      const ok = await init({ SECRET_HASH: secretHash(c.secret!, 'sec', c.id) });
      const refresh = (SECRET_HASH?: string) =>
        pub.send(
          new InitiateAuthCommand({
            ClientId: c.id,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: ok.AuthenticationResult!.RefreshToken!, ...(SECRET_HASH ? { SECRET_HASH } : {}) },
          }),
        );
      assert.equal((await errorOf(refresh())).name, 'NotAuthorizedException');
      assert.equal((await errorOf(refresh(secretHash(c.secret!, 'nobody', c.id)))).name, 'NotAuthorizedException');
      assert.ok((await refresh(secretHash(c.secret!, 'sec', c.id))).AuthenticationResult?.AccessToken);
      const sub = String((await verifiedClaims(s, poolId, ok.AuthenticationResult!.IdToken!)).sub);
      assert.ok((await refresh(secretHash(c.secret!, sub, c.id))).AuthenticationResult?.AccessToken, 'a hash over the sub');
    });

    test('an unconfirmed user with the right password is UserNotConfirmedException', async () => {
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'unconf', Password: PASSWORD }));
      assert.deepEqual(await errorOf(passwordAuth('unconf', PASSWORD)), { name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
      assert.equal((await errorOf(passwordAuth('unconf', WRONG))).name, 'NotAuthorizedException');
    });

    test('a user whose password was reset by an admin is PasswordResetRequiredException', async () => {
      await makeUser(s, poolId, 'reset', { attributes: { email: 'reset@example.com', email_verified: 'true' } });
      await s.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'reset' }));
      assert.deepEqual(await errorOf(passwordAuth('reset', PASSWORD)), {
        name: 'PasswordResetRequiredException',
        message: 'Password reset required for the user',
      });
    });

    test('a disabled user is NotAuthorizedException "User is disabled."', async () => {
      await makeUser(s, poolId, 'off');
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'off' }));
      assert.deepEqual(await errorOf(passwordAuth('off', PASSWORD)), { name: 'NotAuthorizedException', message: 'User is disabled.' });
    });

    test('missing parameters are InvalidParameterException naming them', async () => {
      const e = await errorOf(pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'x' } })));
      assert.deepEqual(e, { name: 'InvalidParameterException', message: 'Missing required parameter PASSWORD' });
    });

    test('an unknown DEVICE_KEY is ResourceNotFoundException "Device does not exist."', async () => {
      await makeUser(s, poolId, 'dev');
      const e = await errorOf(
        pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dev', PASSWORD, DEVICE_KEY: 'us-east-1_0000' } })),
      );
      assert.deepEqual(e, { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
    });
  });
}
