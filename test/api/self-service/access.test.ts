// GetUser and DeleteUser through the SDK, and the access-token gate every self-service operation
// goes through: forged, unsigned, tampered, expired, ID and wrong-scope tokens, sessions ended by
// GlobalSignOut, disabled and deleted users, a pending password reset.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ChangePasswordCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { NEW_PASSWORD, PASSWORD, asRecord, email, failure, makeClient, makePool, makeUser, signIn } from './support.js';

const HOUR = 60 * 60 * 1000;

for (const engine of engines) {
  describe(`GetUser, DeleteUser and the access-token gate (${engine})`, () => {
    let s: TestServer;
    let api: CognitoIdentityProviderClient;
    let clock: ManualClock;
    let poolId: string;
    let clientId: string;
    before(async () => {
      clock = new ManualClock();
      s = await startServer({ engine, clock });
      api = publicClient(s.url);
      poolId = await makePool(s, { Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }] });
      clientId = (await makeClient(s, poolId)).id;
    });
    after(async () => {
      api.destroy();
      await s.close();
    });

    let n = 0;
    /** A new signed-in user of the shared pool. */
    async function signedIn(attributes: Record<string, string> = {}) {
      const address = email();
      const username = await makeUser(s, poolId, `user${++n}`, { email: address, email_verified: 'true', name: 'Ada', ...attributes });
      return { username, address, tokens: await signIn(s, poolId, clientId, username) };
    }
    const getUser = (AccessToken: string) => api.send(new GetUserCommand({ AccessToken }));

    /** Every access-token operation, called with `token` one after the other (arguments that would otherwise pass). */
    const everyOperation = (AccessToken: string): (() => Promise<unknown>)[] => [
      () => getUser(AccessToken),
      () => api.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'name', Value: 'X' }] })),
      () => api.send(new DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ['name'] })),
      () => api.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' })),
      () => api.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: '123456' })),
      () => api.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD })),
      () => api.send(new DeleteUserCommand({ AccessToken })),
    ];
    async function allRefused(token: string, message: string, name = 'NotAuthorizedException') {
      for (const call of everyOperation(token)) assert.deepEqual(await failure(call()), { name, message });
    }

    test('GetUser returns the username, every attribute with sub, and verification flags as strings', async () => {
      const { username, address, tokens } = await signedIn({ 'custom:tier': 'gold' });
      const me = await getUser(tokens.AccessToken);
      assert.equal(me.Username, username);
      const a = asRecord(me.UserAttributes);
      assert.equal(a.sub, decodeJwt(tokens.AccessToken).sub);
      assert.equal(a.email, address);
      assert.equal(a.email_verified, 'true');
      assert.equal(a.name, 'Ada');
      assert.equal(a['custom:tier'], 'gold');
      assert.equal(me.UserAttributes![0].Name, 'sub');
      assert.equal(me.MFAOptions, undefined);
      assert.equal(me.PreferredMfaSetting, undefined);
      assert.equal(me.UserMFASettingList, undefined);
    });

    test("GetUser shows only what the token's app client may read", async () => {
      const narrow = await makeClient(s, poolId, { ReadAttributes: ['email', 'email_verified'] });
      const username = await makeUser(s, poolId, `narrow${++n}`, { email: email(), email_verified: 'true', name: 'Hidden', 'custom:tier': 'x' });
      const tokens = await signIn(s, poolId, narrow.id, username);
      const a = asRecord((await getUser(tokens.AccessToken)).UserAttributes);
      assert.deepEqual(Object.keys(a).sort(), ['email', 'email_verified', 'sub']);
    });

    test('garbage, unsigned, foreign-key and tampered tokens are refused by every operation', async () => {
      const { tokens, username } = await signedIn();
      await allRefused('not-a-token', 'Invalid Access Token');

      const claims = decodeJwt(tokens.AccessToken);
      const header = decodeProtectedHeader(tokens.AccessToken);
      await allRefused(new UnsecuredJWT(claims).encode(), 'Invalid Access Token');

      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid! }).sign(privateKey);
      await allRefused(forged, 'Invalid Access Token');

      // The real signature over a payload that now names someone else.
      const [h, , sig] = tokens.AccessToken.split('.');
      const body = Buffer.from(JSON.stringify({ ...claims, username: 'someone-else' })).toString('base64url');
      await allRefused(`${h}.${body}.${sig}`, 'Invalid Access Token');

      // None of it touched the account.
      assert.equal((await getUser(tokens.AccessToken)).Username, username);
    });

    test('an ID token is not an access token', async () => {
      const { tokens } = await signedIn();
      await allRefused(tokens.IdToken, 'Invalid Access Token');
    });

    test('a token without the aws.cognito.signin.user.admin scope is refused', async () => {
      const { username } = await signedIn();
      const pool = await s.app.pools.get(poolId);
      const client = await s.app.pools.getClient(poolId, clientId);
      const user = await s.app.users.get(pool, username);
      // OAuth sign-ins may grant only e.g. `openid email`; mint such a sign-in directly.
      const oauth = await s.app.tokens.issueForSignIn({ pool, client, user, scopes: ['openid', 'email'] });
      await allRefused(oauth.AccessToken!, 'Access Token does not have required scopes');
    });

    test('an expired access token is refused', async () => {
      const { tokens } = await signedIn();
      clock.advance(HOUR + 1000);
      try {
        await allRefused(tokens.AccessToken, 'Access Token has expired');
      } finally {
        clock.advance(-(HOUR + 1000));
      }
    });

    test('after GlobalSignOut the access token is refused by every operation', async () => {
      const { tokens, username } = await signedIn();
      await api.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
      await allRefused(tokens.AccessToken, 'Access Token has been revoked');
      // The user is untouched and may sign in again.
      const again = await signIn(s, poolId, clientId, username);
      assert.equal((await getUser(again.AccessToken)).Username, username);
    });

    test('a disabled user is refused; a user with a pending password reset gets PasswordResetRequiredException', async () => {
      const a = await signedIn();
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: a.username }));
      assert.equal((await failure(getUser(a.tokens.AccessToken))).name, 'NotAuthorizedException');

      const b = await signedIn();
      await s.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: b.username }));
      await allRefused(b.tokens.AccessToken, 'Password reset required for the user', 'PasswordResetRequiredException');
    });

    test('DeleteUser deletes the caller: the user is gone, its tokens and its e-mail alias with it', async () => {
      const aliasPool = await makePool(s, { AliasAttributes: ['email'] });
      const aliasClient = (await makeClient(s, aliasPool)).id;
      const address = email();
      const username = await makeUser(s, aliasPool, 'leaving', { email: address, email_verified: 'true' });
      const tokens = await signIn(s, aliasPool, aliasClient, address);
      const bystander = await makeUser(s, aliasPool, 'staying', { email: email(), email_verified: 'true' });

      assert.deepEqual(await api.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken })).then((r) => Object.keys(r).filter((k) => k !== '$metadata')), []);
      assert.equal((await failure(s.idp.send(new AdminGetUserCommand({ UserPoolId: aliasPool, Username: username })))).name, 'UserNotFoundException');
      assert.deepEqual(await failure(getUser(tokens.AccessToken)), { name: 'UserNotFoundException', message: 'User does not exist.' });
      const refresh = api.send(
        new InitiateAuthCommand({ ClientId: aliasClient, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } }),
      );
      assert.equal((await failure(refresh)).name, 'NotAuthorizedException');
      // The address is free again: another user may verify it as their alias.
      await makeUser(s, aliasPool, 'newcomer', { email: address, email_verified: 'true' });
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: aliasPool, Username: address }))).Username, 'newcomer');
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: aliasPool, Username: bystander }))).Username, 'staying');
    });

    test('an admin deleting the user makes its token UserNotFoundException', async () => {
      const { tokens, username } = await signedIn();
      await s.idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: username }));
      await allRefused(tokens.AccessToken, 'User does not exist.', 'UserNotFoundException');
    });
  });
}
