// User session tracking through the real SDK (src/sessions/sessions.ts): the pool and client
// session configuration, token sessions listed and revoked by the user and by an administrator,
// MaxPerUser evicting the least recently active session, and nothing recorded while tracking is off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolClientSessionConfigurationCommand,
  GetUserPoolSessionConfigurationCommand,
  InitiateAuthCommand,
  ListUserSessionsCommand,
  RevokeUserSessionCommand,
  SetUserPoolClientSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
  UpdateUserPoolCommand,
  UpdateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, errorOf, makeClient, makePool, makeUser } from './support.js';

for (const engine of engines) {
  describe(`user session tracking (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'sam');
      await makeUser(s, poolId, 'una');
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    const signIn = async () =>
      (await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'sam', PASSWORD } }))).AuthenticationResult!;
    const refresh = (token: string) => pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
    const mine = async (accessToken: string) => (await pub.send(new ListUserSessionsCommand({ AccessToken: accessToken }))).Sessions!;
    const setTracking = (UserSessionTracking: 'ENABLED' | 'DISABLED', MaxPerUser = 20) =>
      s.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking, TokenSession: { MaxPerUser } }));

    test('configuration: defaults, validation, kept by UpdateUserPool / UpdateUserPoolClient, not in DescribeUserPool', async () => {
      const d = await s.idp.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
      assert.deepEqual({ t: d.UserSessionTracking, m: d.TokenSession?.MaxPerUser, id: d.UserPoolId }, { t: 'DISABLED', m: 20, id: poolId });
      const c = await s.idp.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(c.SSOSession?.MaxValidityMinutes, 60);

      const off = await s.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'sam', PASSWORD } }));
      assert.equal((await errorOf(mine(off.AuthenticationResult!.AccessToken!))).name, 'OperationNotEnabledException');
      assert.equal(
        (await errorOf(s.idp.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 5 } })))).name,
        'OperationNotEnabledException',
        'client settings need tracking on',
      );
      for (const bad of [0, 101, 2.5]) assert.equal((await errorOf(setTracking('ENABLED', bad))).name, 'InvalidParameterException');
      assert.equal(
        (await errorOf(s.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ON' as never, TokenSession: { MaxPerUser: 2 } })))).name,
        'InvalidParameterException',
      );

      const set = await setTracking('ENABLED', 5);
      assert.deepEqual({ t: set.UserSessionTracking, m: set.TokenSession?.MaxPerUser }, { t: 'ENABLED', m: 5 });
      await s.idp.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 15 } }));
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF' }));
      await s.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
      assert.equal((await s.idp.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }))).TokenSession?.MaxPerUser, 5, 'UpdateUserPool keeps it');
      assert.equal((await s.idp.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).SSOSession?.MaxValidityMinutes, 15, 'UpdateUserPoolClient keeps it');
      const described = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool as Record<string, unknown>;
      assert.equal(described.SessionConfiguration, undefined);
      // The session signed in while tracking was off is not a tracked session.
      assert.deepEqual(await mine(off.AuthenticationResult!.AccessToken!), []);
    });

    test('token sessions: listed with the current one marked, refreshed, the least recently active evicted past MaxPerUser, revoked', async () => {
      await setTracking('ENABLED', 2);
      const a = await signIn();
      const b = await signIn();
      const listed = await mine(a.AccessToken!);
      assert.equal(listed.length, 2);
      for (const x of listed) {
        assert.match(x.SessionId!, /^tkn[0-9a-z]{25}$/);
        assert.equal(x.SessionType, 'TOKEN');
        assert.equal(x.ClientId, clientId);
        assert.ok(x.CreateDate instanceof Date && x.LastActiveDate instanceof Date);
        assert.match(x.LastIPAddress ?? '', /127\.0\.0\.1/);
        assert.match(x.DeviceType ?? '', /AWS SDK for JavaScript/);
      }
      assert.equal(listed.filter((x) => x.IsCurrentSession).length, 1);
      const aId = listed.find((x) => x.IsCurrentSession)!.SessionId!;
      const bId = listed.find((x) => !x.IsCurrentSession)!.SessionId!;
      assert.equal((await mine(b.AccessToken!)).find((x) => x.IsCurrentSession)!.SessionId, bId);

      // b is refreshed: the more recently active. A third sign-in evicts a, the least recent.
      await new Promise((r) => setTimeout(r, 20));
      await refresh(b.RefreshToken!);
      const afterRefresh = await mine(b.AccessToken!);
      assert.equal(afterRefresh[0].SessionId, bId, 'most recently active first');
      assert.ok(afterRefresh[0].LastActiveDate!.getTime() > afterRefresh[0].CreateDate!.getTime());
      const c = await signIn();
      const three = await mine(c.AccessToken!);
      assert.deepEqual(three.map((x) => x.SessionId).sort(), [bId, three.find((x) => x.IsCurrentSession)!.SessionId].sort());
      assert.ok(!three.some((x) => x.SessionId === aId));
      assert.equal((await errorOf(refresh(a.RefreshToken!))).name, 'NotAuthorizedException', 'the evicted session\'s refresh token');
      assert.equal((await errorOf(pub.send(new GetUserCommand({ AccessToken: a.AccessToken! })))).message, 'Access Token has been revoked');

      // The user revokes b from c; c itself cannot be revoked with its own token.
      const cId = three.find((x) => x.IsCurrentSession)!.SessionId!;
      assert.equal((await errorOf(pub.send(new RevokeUserSessionCommand({ AccessToken: c.AccessToken!, SessionId: cId })))).name, 'InvalidParameterException');
      await pub.send(new RevokeUserSessionCommand({ AccessToken: c.AccessToken!, SessionId: bId }));
      assert.equal((await errorOf(refresh(b.RefreshToken!))).name, 'NotAuthorizedException');
      assert.deepEqual((await mine(c.AccessToken!)).map((x) => x.SessionId), [cId]);
      // Another user can neither see nor revoke sam's session.
      const una = (await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'una', PASSWORD } }))).AuthenticationResult!;
      assert.ok(!(await mine(una.AccessToken!)).some((x) => x.SessionId === cId));
      assert.equal((await errorOf(pub.send(new RevokeUserSessionCommand({ AccessToken: una.AccessToken!, SessionId: cId })))).name, 'ResourceNotFoundException');
      assert.equal((await errorOf(s.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'una', SessionId: cId })))).name, 'ResourceNotFoundException');
      assert.ok((await pub.send(new GetUserCommand({ AccessToken: c.AccessToken! }))).Username, "sam's session lives on");
      for (const unknown of [bId, `tkn${'0'.repeat(25)}`, 'garbage', `sso${'a'.repeat(25)}`]) {
        assert.equal((await errorOf(pub.send(new RevokeUserSessionCommand({ AccessToken: c.AccessToken!, SessionId: unknown })))).name, 'ResourceNotFoundException', unknown);
      }

      // The administrator sees the same (never current) and revokes c.
      const admin = (await s.idp.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'sam' }))).Sessions!;
      assert.deepEqual(admin.map((x) => [x.SessionId, x.IsCurrentSession]), [[cId, false]]);
      await s.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'sam', SessionId: cId }));
      assert.equal((await errorOf(pub.send(new GetUserCommand({ AccessToken: c.AccessToken! })))).message, 'Access Token has been revoked');
      assert.deepEqual((await s.idp.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'sam' }))).Sessions, []);
      assert.equal((await errorOf(s.idp.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'nobody' })))).name, 'UserNotFoundException');

      // Tracking off: sign-ins leave no record, the lists are refused; back on, still none of them.
      await setTracking('DISABLED', 2);
      const d = await signIn();
      assert.equal((await errorOf(mine(d.AccessToken!))).name, 'OperationNotEnabledException');
      assert.equal((await errorOf(s.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'sam', SessionId: cId })))).name, 'OperationNotEnabledException');
      await setTracking('ENABLED', 2);
      assert.deepEqual(await mine(d.AccessToken!), []);
      assert.ok((await refresh(d.RefreshToken!)).AuthenticationResult, 'an untracked sign-in is not affected');
    });

    test('MaxPerUser holds under concurrent sign-ins', async () => {
      await setTracking('ENABLED', 2);
      const before = (await s.idp.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'una' }))).Sessions!.length;
      assert.ok(before <= 2);
      await Promise.all(Array.from({ length: 8 }, () => pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'una', PASSWORD } }))));
      assert.equal((await s.idp.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: 'una' }))).Sessions!.length, 2);
    });
  });
}
