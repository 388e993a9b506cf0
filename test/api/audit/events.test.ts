// Audit events through the real SDK: sign-ins (failed, passed, refreshed), password change and
// sign-out become events; AdminListUserAuthEvents lists the user's in Cognito's shape, newest
// first and in pages; feedback by the administrator and by the user's token; admin actions name
// the operation and the access key id; nothing secret is kept.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  ChangePasswordCommand,
  AssociateSoftwareTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateAuthEventFeedbackCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser } from '../auth/support.js';

const NEW_PASSWORD = 'N3w-Battery-Staple!';

for (const engine of engines) {
  describe(`audit events (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    const signIn = (USERNAME: string, pw: string) =>
      pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: pw } }));
    const events = (Username: string, extra: { MaxResults?: number; NextToken?: string } = {}) =>
      s.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username, ...extra }));

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

    test('a failed and a passed sign-in are listed newest first with address and password result', async () => {
      await makeUser(s, poolId, 'ada');
      assert.equal((await errorOf(signIn('ada', WRONG))).name, 'NotAuthorizedException');
      await signIn('ada', PASSWORD);
      const signIns = (await events('ada')).AuthEvents!.filter((e) => e.EventType === 'SignIn');
      assert.equal(signIns.length, 2);
      const [pass, fail] = signIns;
      assert.equal(pass.EventType, 'SignIn');
      assert.equal(pass.EventResponse, 'Pass');
      assert.deepEqual(pass.ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]);
      assert.equal(pass.EventContextData?.IpAddress, '127.0.0.1');
      assert.equal(pass.EventRisk?.RiskDecision, 'NoRisk');
      assert.ok(pass.CreationDate instanceof Date && Math.abs(pass.CreationDate.getTime() - Date.now()) < 60_000);
      assert.equal(fail.EventResponse, 'Fail');
      assert.deepEqual(fail.ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }]);
      assert.notEqual(pass.EventId, fail.EventId);
    });

    test('pages of MaxResults follow NextToken to the end', async () => {
      await makeUser(s, poolId, 'paged');
      for (let i = 0; i < 3; i++) await signIn('paged', PASSWORD);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const r = await events('paged', { MaxResults: 2, NextToken: token });
        assert.ok(r.AuthEvents!.length <= 2);
        seen.push(...r.AuthEvents!.filter((e) => e.EventType === 'SignIn').map((e) => e.EventId!));
        token = r.NextToken;
      } while (token);
      assert.equal(new Set(seen).size, 3);
      assert.equal((await errorOf(events('paged', { NextToken: 'not-a-token' }))).name, 'InvalidParameterException');
    });

    test('a password change is an event; a sign-out and a refresh are kept in the trail', async () => {
      await makeUser(s, poolId, 'grace');
      const tokens = (await signIn('grace', PASSWORD)).AuthenticationResult!;
      await pub.send(new ChangePasswordCommand({ AccessToken: tokens.AccessToken!, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD }));
      await pub.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
      );
      await pub.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
      const listed = (await events('grace')).AuthEvents!;
      // Newest first: the change, the sign-in, and the administrator's AdminSetUserPassword before them.
      assert.deepEqual(listed.map((e) => [e.EventType, e.EventResponse]), [['PasswordChange', 'Pass'], ['SignIn', 'Pass'], ['PasswordChange', 'Pass']]);

      const pool = await s.app.pools.get(poolId);
      const user = await s.app.users.get(pool, 'grace');
      const trail = (await s.app.audit.list({ poolId, userId: user.id, limit: 50 })).events;
      const types = trail.map((e) => e.type);
      for (const t of ['SignOut', 'Refresh', 'PasswordChange', 'SignIn', 'AdminAction']) assert.ok(types.includes(t), t);
      const signOut = trail.find((e) => e.type === 'SignOut')!;
      assert.equal(signOut.detail?.op, 'GlobalSignOut');
      assert.ok(signOut.requestId);
      // No password, token or code anywhere in what was kept.
      const kept = JSON.stringify(trail);
      for (const secret of [PASSWORD, NEW_PASSWORD, tokens.AccessToken!, tokens.RefreshToken!, tokens.IdToken!]) {
        assert.ok(!kept.includes(secret));
      }
    });

    test('revoking a refresh token is a sign-out of its user; an MFA change is kept', async () => {
      await makeUser(s, poolId, 'rev');
      const tokens = (await signIn('rev', PASSWORD)).AuthenticationResult!;
      await pub.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken! })).catch(() => undefined);
      await pub.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.RefreshToken! }));
      const user = await s.app.users.get(await s.app.pools.get(poolId), 'rev');
      const trail = (await s.app.audit.list({ poolId, userId: user.id, limit: 50 })).events;
      const signOut = trail.find((e) => e.type === 'SignOut')!;
      assert.equal(signOut.detail?.op, 'RevokeToken');
      assert.equal(signOut.clientId, clientId);
      assert.equal(signOut.username, 'rev');
      assert.ok(trail.some((e) => e.type === 'MfaChange' && e.detail?.op === 'AssociateSoftwareToken'));
      assert.ok(!JSON.stringify(trail).includes(tokens.RefreshToken!));
    });

    test('admin actions name the operation and the access key id', async () => {
      await makeUser(s, poolId, 'admined');
      const pool = await s.app.pools.get(poolId);
      const user = await s.app.users.get(pool, 'admined');
      const trail = (await s.app.audit.list({ poolId, userId: user.id, limit: 50 })).events;
      const ops = trail.filter((e) => e.type === 'AdminAction').map((e) => e.detail?.op);
      assert.deepEqual(ops.sort(), ['AdminCreateUser', 'AdminSetUserPassword']);
      assert.ok(trail.every((e) => e.type !== 'AdminAction' || e.detail?.accessKeyId === ADMIN.accessKeyId));
      const poolTrail = (await s.app.audit.list({ poolId, limit: 500 })).events;
      assert.ok(poolTrail.some((e) => e.detail?.op === 'CreateUserPoolClient' && e.clientId === clientId));
    });

    test('feedback from the administrator and from the user with the handed-out token', async () => {
      await makeUser(s, poolId, 'fb');
      await signIn('fb', PASSWORD);
      await signIn('fb', PASSWORD);
      const [second, first] = (await events('fb')).AuthEvents!;
      await s.idp.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fb', EventId: first.EventId!, FeedbackValue: 'Invalid' }));
      const pool = await s.app.pools.get(poolId);
      const user = await s.app.users.get(pool, 'fb');
      const token = s.app.audit.feedbackToken(poolId, second.EventId!, user.id);
      const wrong = s.app.audit.feedbackToken(poolId, first.EventId!, user.id);
      const send = (FeedbackToken: string) =>
        pub.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fb', EventId: second.EventId!, FeedbackToken, FeedbackValue: 'Valid' }));
      assert.equal((await errorOf(send(wrong))).name, 'NotAuthorizedException');
      await send(token);
      const [a, b] = (await events('fb')).AuthEvents!;
      assert.equal(a.EventFeedback?.FeedbackValue, 'Valid');
      assert.equal(b.EventFeedback?.FeedbackValue, 'Invalid');
      assert.equal(b.EventFeedback?.Provider, 'Tessera');
      const missing = await errorOf(
        s.idp.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fb', EventId: 'nope', FeedbackValue: 'Valid' })),
      );
      assert.equal(missing.name, 'ResourceNotFoundException');
    });

    test('unknown users and pools are refused by name', async () => {
      assert.equal((await errorOf(events('nobody'))).name, 'UserNotFoundException');
      const r = await errorOf(s.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: 'us-east-1_nopenope1', Username: 'x' })));
      assert.equal(r.name, 'ResourceNotFoundException');
    });
  });
}
