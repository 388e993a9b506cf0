// A user's life seen through sign-in (the real InitiateAuth): what SignUp, ConfirmSignUp,
// AdminCreateUser, AdminSetUserPassword, AdminResetUserPassword and AdminDisableUser leave
// behind is what sign-in accepts or refuses. Proves the stored verifier is bound to the
// canonical username (the sub in UsernameAttributes pools).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, email, lastCode, poolAndClient, rejectsWith } from './support.js';

const FLOWS = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as never };

for (const engine of engines) {
  describe(`user lifecycle through sign-in (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    const signIn = (ClientId: string, USERNAME: string, PASSWORD: string) =>
      pub.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
    const refresh = (ClientId: string, REFRESH_TOKEN: string) =>
      pub.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN } }));

    test('a signed-up user signs in only once confirmed', async () => {
      const { clientId } = await poolAndClient(s, {}, FLOWS);
      const to = email();
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'rita', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
      await rejectsWith(signIn(clientId, 'rita', PASSWORD), 'UserNotConfirmedException');
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'rita', ConfirmationCode: await lastCode(s, to) }));
      const r = await signIn(clientId, 'RITA', PASSWORD);
      assert.ok(r.AuthenticationResult?.AccessToken);
      await rejectsWith(signIn(clientId, 'rita', 'Wr0ng-password'), 'NotAuthorizedException');
    });

    test('with UsernameAttributes=[email] the user signs in with the e-mail (the verifier is bound to the sub)', async () => {
      const { clientId } = await poolAndClient(s, { UsernameAttributes: ['email'] }, FLOWS);
      const to = email('Sam');
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: to, Password: PASSWORD }));
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: to, ConfirmationCode: await lastCode(s, to) }));
      const r = await signIn(clientId, to.toUpperCase(), PASSWORD);
      assert.ok(r.AuthenticationResult?.IdToken);
    });

    test('an admin-created user must choose a new password; a permanent one signs in directly', async () => {
      const { poolId, clientId } = await poolAndClient(s, {}, FLOWS);
      await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'tom', TemporaryPassword: 'Temp0rary!', MessageAction: 'SUPPRESS' }));
      const r = await signIn(clientId, 'tom', 'Temp0rary!');
      assert.equal(r.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'tom', Password: 'Perm4nent!', Permanent: true }));
      assert.ok((await signIn(clientId, 'tom', 'Perm4nent!')).AuthenticationResult);
      await rejectsWith(signIn(clientId, 'tom', 'Temp0rary!'), 'NotAuthorizedException');
    });

    test('disabling a user refuses sign-in and revokes its refresh tokens; enabling lets it sign in again', async () => {
      const { poolId, clientId } = await poolAndClient(s, {}, FLOWS);
      await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'uma', MessageAction: 'SUPPRESS' }));
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'uma', Password: PASSWORD, Permanent: true }));
      const tokens = (await signIn(clientId, 'uma', PASSWORD)).AuthenticationResult!;
      assert.ok((await refresh(clientId, tokens.RefreshToken!)).AuthenticationResult?.AccessToken);
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'uma' }));
      await rejectsWith(signIn(clientId, 'uma', PASSWORD), 'NotAuthorizedException', 'User is disabled.');
      await rejectsWith(refresh(clientId, tokens.RefreshToken!), 'NotAuthorizedException');
      await s.idp.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'uma' }));
      assert.ok((await signIn(clientId, 'uma', PASSWORD)).AuthenticationResult);
      // The old refresh token stays revoked.
      await rejectsWith(refresh(clientId, tokens.RefreshToken!), 'NotAuthorizedException');
    });

    test('after AdminResetUserPassword sign-in demands a password reset', async () => {
      const { poolId, clientId } = await poolAndClient(s, {}, FLOWS);
      await s.idp.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'vic', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email() }, { Name: 'email_verified', Value: 'true' }] }),
      );
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'vic', Password: PASSWORD, Permanent: true }));
      await s.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'vic' }));
      await rejectsWith(signIn(clientId, 'vic', PASSWORD), 'PasswordResetRequiredException');
    });
  });
}
