// GetTokensFromRefreshToken through the SDK: what a refresh keeps and re-reads, rotation with its
// grace period, and every way a refresh token is refused. The server runs on a manual clock, set
// back to real time before each test (the admin calls of the set-up are SigV4-signed).
import assert from 'node:assert/strict';
import { describe, test, before, beforeEach, after } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  CreateGroupCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import type { UserPool } from '../../../src/userpools/pools.js';
import { claimsOf, seedClient, seedPool, seedUser, setAttributes, signIn, signedIn, verifyWithJose } from './support.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Asserts that `p` fails with the exception `name` (and message, when given). */
async function refused(p: Promise<unknown>, name: string, message?: string | RegExp) {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    if (message !== undefined) assert.match(e.message, typeof message === 'string' ? new RegExp(`^${message}$`) : message);
    return true;
  });
}

for (const engine of engines) {
  describe(`GetTokensFromRefreshToken (${engine})`, () => {
    let s: TestServer;
    let api: CognitoIdentityProviderClient;
    let pool: UserPool;
    const clock = new ManualClock();
    before(async () => {
      s = await startServer({ engine, clock });
      api = publicClient(s.url);
      pool = await seedPool(s);
    });
    beforeEach(() => clock.set(Date.now()));
    after(async () => {
      api.destroy();
      await s.close();
    });
    const refresh = (ClientId: string, RefreshToken: string, extra: { ClientSecret?: string; DeviceKey?: string } = {}) =>
      api.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken, ...extra }));

    test('keeps auth_time, origin_jti and event_id, renews jti/iat/exp and re-reads attributes', async () => {
      const { client, user, tokens } = await signedIn(s, { pool, attributes: { email: 'old@example.com', email_verified: 'true' } });
      const first = claimsOf(tokens.IdToken);
      await setAttributes(s, pool, user, { email: 'new@example.com', email_verified: 'false', 'custom:plan': 'gold' });
      clock.advance(10 * MINUTE);
      const r = await refresh(client.id, tokens.RefreshToken);
      const a = r.AuthenticationResult!;
      assert.equal(a.RefreshToken, undefined, 'no rotation: no new refresh token');
      assert.equal(a.TokenType, 'Bearer');
      assert.equal(a.ExpiresIn, 3600);
      const id = await verifyWithJose(s, pool.id, a.IdToken!);
      const access = await verifyWithJose(s, pool.id, a.AccessToken!);
      for (const c of [id, access]) {
        assert.equal(c.auth_time, first.auth_time);
        assert.equal(c.origin_jti, first.origin_jti);
        assert.equal(c.event_id, first.event_id);
        assert.equal(c.iat, first.iat! + 600);
      }
      assert.notEqual(id.jti, first.jti);
      assert.equal(id.email, 'new@example.com');
      assert.equal(id.email_verified, false);
      assert.equal(id['custom:plan'], 'gold');
      assert.equal(access.scope, 'aws.cognito.signin.user.admin');
      assert.equal(access.client_id, client.id);
    });

    test('without rotation the same refresh token keeps working', async () => {
      const { client, tokens } = await signedIn(s, { pool });
      for (let i = 0; i < 3; i++) {
        const r = await refresh(client.id, tokens.RefreshToken);
        assert.ok(r.AuthenticationResult?.AccessToken);
        assert.equal(r.AuthenticationResult?.RefreshToken, undefined);
      }
    });

    test('with rotation: a new refresh token; the old one works during the grace period, then is reuse', async () => {
      const { client, tokens } = await signedIn(s, { pool, client: { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } } });
      const r1 = (await refresh(client.id, tokens.RefreshToken)).AuthenticationResult!;
      assert.ok(r1.RefreshToken);
      assert.notEqual(r1.RefreshToken, tokens.RefreshToken);
      assert.equal(claimsOf(r1.AccessToken!).origin_jti, claimsOf(tokens.AccessToken).origin_jti);
      clock.advance(5_000);
      const retry = (await refresh(client.id, tokens.RefreshToken)).AuthenticationResult!;
      assert.ok(retry.RefreshToken, 'a retry within the grace period is answered');
      clock.advance(6_000);
      await refused(refresh(client.id, tokens.RefreshToken), 'RefreshTokenReuseException');
      // Reuse after the grace period means two holders: the whole sign-in is revoked.
      await refused(refresh(client.id, r1.RefreshToken!), 'NotAuthorizedException', 'Invalid Refresh Token');
      await refused(api.send(new GlobalSignOutCommand({ AccessToken: r1.AccessToken! })), 'NotAuthorizedException', 'Access Token has been revoked');
    });

    test("a rotating client refuses REFRESH_TOKEN_AUTH (it would renew without rotating), as Cognito does", async () => {
      const { client, tokens } = await signedIn(s, { pool, client: { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } } });
      await refused(
        api.send(new InitiateAuthCommand({ ClientId: client.id, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } })),
        'InvalidParameterException',
        /REFRESH_TOKEN_AUTH flow not enabled for this client/,
      );
      assert.ok((await refresh(client.id, tokens.RefreshToken)).AuthenticationResult!.RefreshToken);
    });

    test('with rotation and no grace period the old token is refused at once; the chain goes on', async () => {
      const { client, tokens } = await signedIn(s, { pool, client: { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } } });
      let current = tokens.RefreshToken;
      for (let i = 0; i < 3; i++) {
        const next = (await refresh(client.id, current)).AuthenticationResult!.RefreshToken!;
        assert.ok(next);
        current = next;
      }
      const again = (await refresh(client.id, current)).AuthenticationResult!;
      assert.ok(again.AccessToken);
      await refused(refresh(client.id, tokens.RefreshToken), 'RefreshTokenReuseException');
    });

    test('refused as Invalid Refresh Token: unknown, another client, disabled user, deleted user', async () => {
      const { client, user, tokens } = await signedIn(s, { pool });
      await refused(refresh(client.id, tokens.RefreshToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))), 'NotAuthorizedException', 'Invalid Refresh Token');
      const other = await seedClient(s, pool);
      await refused(refresh(other.id, tokens.RefreshToken), 'NotAuthorizedException', 'Invalid Refresh Token');
      const who = { UserPoolId: pool.id, Username: user.username };
      await s.idp.send(new AdminDisableUserCommand(who));
      await refused(refresh(client.id, tokens.RefreshToken), 'NotAuthorizedException', 'Invalid Refresh Token');
      // Disabling revoked the user's tokens: enabling again does not bring them back.
      await s.idp.send(new AdminEnableUserCommand(who));
      await refused(refresh(client.id, tokens.RefreshToken), 'NotAuthorizedException', 'Invalid Refresh Token');
      const again = await signIn(s, client, user.username);
      assert.ok((await refresh(client.id, again.RefreshToken)).AuthenticationResult?.IdToken);
      await s.idp.send(new AdminDeleteUserCommand(who));
      await refused(refresh(client.id, again.RefreshToken), 'NotAuthorizedException', 'Invalid Refresh Token');
    });

    test('expires after the client RefreshTokenValidity (30 days by default)', async () => {
      const dflt = await signedIn(s, { pool });
      const short = await signedIn(s, { pool, client: { RefreshTokenValidity: 2, TokenValidityUnits: { RefreshToken: 'hours' } } });
      clock.advance(2 * 60 * MINUTE - 1000);
      assert.ok((await refresh(short.client.id, short.tokens.RefreshToken)).AuthenticationResult?.AccessToken);
      clock.advance(2000);
      await refused(refresh(short.client.id, short.tokens.RefreshToken), 'NotAuthorizedException', 'Refresh Token has expired');
      clock.advance(30 * DAY - 2 * 60 * MINUTE - 2000);
      assert.ok((await refresh(dflt.client.id, dflt.tokens.RefreshToken)).AuthenticationResult?.AccessToken);
      clock.advance(2000);
      await refused(refresh(dflt.client.id, dflt.tokens.RefreshToken), 'NotAuthorizedException', 'Refresh Token has expired');
    });

    test('purging drops sign-ins whose refresh tokens all expired, and keeps rotated live ones', async () => {
      const plain = await signedIn(s, { pool });
      const rotating = await signedIn(s, { pool, client: { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } } });
      clock.advance(29 * DAY);
      const next = (await refresh(rotating.client.id, rotating.tokens.RefreshToken)).AuthenticationResult!.RefreshToken!;
      clock.advance(2 * DAY + 20 * MINUTE);
      assert.ok((await s.app.tokens.purgeExpired()) >= 1);
      await refused(refresh(plain.client.id, plain.tokens.RefreshToken), 'NotAuthorizedException', 'Invalid Refresh Token');
      assert.ok((await refresh(rotating.client.id, next)).AuthenticationResult?.RefreshToken, 'the rotated sign-in lives on');
    });

    test('a client with a secret must send it', async () => {
      const { client, tokens } = await signedIn(s, { pool, client: { GenerateSecret: true } });
      assert.ok(client.secret);
      await refused(refresh(client.id, tokens.RefreshToken), 'NotAuthorizedException');
      await refused(refresh(client.id, tokens.RefreshToken, { ClientSecret: 'b'.repeat(51) }), 'NotAuthorizedException');
      assert.ok((await refresh(client.id, tokens.RefreshToken, { ClientSecret: client.secret })).AuthenticationResult?.AccessToken);
    });

    test('an unknown client is ResourceNotFoundException', async () => {
      const { tokens } = await signedIn(s, { pool });
      await refused(refresh('nosuchclient0000000000000', tokens.RefreshToken), 'ResourceNotFoundException');
    });

    test('the sign-in device key stays in refreshed access tokens', async () => {
      const { client } = await signedIn(s, { pool });
      const user = await seedUser(s, pool, 'device-user');
      const deviceKey = 'us-east-1_00000000-1111-2222-3333-444444444444';
      const r = await s.app.tokens.issueForSignIn({ pool, client, user, deviceKey });
      const a = (await refresh(client.id, r.RefreshToken!, { DeviceKey: deviceKey })).AuthenticationResult!;
      assert.equal(claimsOf(a.AccessToken!).device_key, deviceKey);
      const b = (await refresh(client.id, r.RefreshToken!)).AuthenticationResult!;
      assert.equal(claimsOf(b.AccessToken!).device_key, deviceKey);
    });

    test('a DeviceKey given with a refresh does not put a device in the tokens of a sign-in without one', async () => {
      const { client, tokens } = await signedIn(s, { pool });
      const chosen = 'us-east-1_00000000-0000-4000-8000-0000deadbeef';
      const a = (await refresh(client.id, tokens.RefreshToken, { DeviceKey: chosen })).AuthenticationResult!;
      assert.equal(claimsOf(a.AccessToken!).device_key, undefined, "a key of the caller's choosing is not put in the token");
    });

    test('group claims are re-read on refresh', async () => {
      const { client, user, tokens } = await signedIn(s, { pool });
      assert.equal(claimsOf(tokens.IdToken)['cognito:groups'], undefined);
      await s.idp.send(new CreateGroupCommand({ UserPoolId: pool.id, GroupName: 'staff', Precedence: 1 }));
      await s.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, GroupName: 'staff', Username: user.username }));
      const a = (await refresh(client.id, tokens.RefreshToken)).AuthenticationResult!;
      assert.deepEqual(claimsOf(a.IdToken!)['cognito:groups'], ['staff']);
      assert.deepEqual(claimsOf(a.AccessToken!)['cognito:groups'], ['staff']);
    });

    test("refreshed group claims: precedence order, roles, preferred role, only the user's own", async () => {
      const { client, user, tokens } = await signedIn(s, { pool });
      const other = await seedUser(s, pool, `other-${Date.now()}`);
      const reader = 'arn:aws:iam::123456789012:role/reader';
      const writer = 'arn:aws:iam::123456789012:role/writer';
      const groups: [string, number | undefined, string | undefined][] = [
        ['m-low', 10, reader],
        ['m-high', 1, writer],
        ['m-none', undefined, undefined],
        ['m-alpha', undefined, undefined],
      ];
      for (const [GroupName, Precedence, RoleArn] of groups) {
        await s.idp.send(new CreateGroupCommand({ UserPoolId: pool.id, GroupName, Precedence, RoleArn }));
        await s.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, GroupName, Username: user.username }));
      }
      await s.idp.send(new CreateGroupCommand({ UserPoolId: pool.id, GroupName: 'm-others', Precedence: 0 }));
      await s.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, GroupName: 'm-others', Username: other.username }));
      const expected = ['m-high', 'm-low', 'm-alpha', 'm-none'];
      const viaGetTokens = (await refresh(client.id, tokens.RefreshToken)).AuthenticationResult!;
      const viaInitiate = (
        await api.send(new InitiateAuthCommand({ ClientId: client.id, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } }))
      ).AuthenticationResult!;
      for (const a of [viaGetTokens, viaInitiate]) {
        const id = claimsOf(a.IdToken!);
        assert.deepEqual(id['cognito:groups'], expected);
        assert.deepEqual([...(id['cognito:roles'] as string[])].sort(), [reader, writer].sort());
        assert.equal(id['cognito:preferred_role'], writer);
        assert.deepEqual(claimsOf(a.AccessToken!)['cognito:groups'], expected);
      }
    });
  });
}
