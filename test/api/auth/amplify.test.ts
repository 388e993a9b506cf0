// Amplify v6 in Node: signIn with the default USER_SRP_AUTH and with USER_PASSWORD_AUTH, the
// session it then holds, and its error for a wrong password. Amplify is a process-wide singleton,
// so each test configures it afresh and signs out at the end.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { MemoryStorage } from '../../support/memory-storage.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, WRONG, makeClient, makePool, makeUser } from './support.js';

for (const engine of engines) {
  describe(`Amplify v6 signIn (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    let clientId: string;

    before(async () => {
      s = await startServer({ engine });
      poolId = await makePool(s, { UsernameAttributes: ['email'] });
      clientId = (await makeClient(s, poolId)).id;
      Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: `${s.url}/` } } });
      cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
    });
    after(() => s.close());

    test('default sign-in (USER_SRP_AUTH) with an e-mail: signed in as the UUID user', async () => {
      const canonical = await makeUser(s, poolId, 'amy@example.com', { attributes: { email: 'amy@example.com' } });
      const r = await signIn({ username: 'amy@example.com', password: PASSWORD });
      assert.equal(r.isSignedIn, true);
      assert.equal(r.nextStep.signInStep, 'DONE');
      const me = await getCurrentUser();
      assert.equal(me.username, canonical);
      const session = await fetchAuthSession();
      assert.equal(session.tokens?.idToken?.payload.email, 'amy@example.com');
      assert.equal(session.tokens?.accessToken.payload.client_id, clientId);
      await signOut();
    });

    test('fetchAuthSession after the tokens expired refreshes them (GetTokensFromRefreshToken); a global signOut revokes the session', async () => {
      await makeUser(s, poolId, 'refresh.cy@example.com', { attributes: { email: 'refresh.cy@example.com' } });
      await signIn({ username: 'refresh.cy@example.com', password: PASSWORD });
      const first = (await fetchAuthSession()).tokens!;
      const realNow = Date.now;
      // Two hours later for Amplify and for the server in this process alike: both tokens have expired.
      Date.now = () => realNow() + 2 * 3600 * 1000;
      try {
        const second = (await fetchAuthSession()).tokens!;
        assert.notEqual(second.accessToken.toString(), first.accessToken.toString());
        assert.ok(second.accessToken.payload.exp! * 1000 > Date.now(), 'the new access token is valid at the new time');
        // Same sign-in (origin_jti and auth_time kept): a refresh, not a new sign-in.
        assert.equal(second.accessToken.payload.origin_jti, first.accessToken.payload.origin_jti);
        assert.equal(second.idToken!.payload.auth_time, first.idToken!.payload.auth_time);
        await signOut({ global: true });
        const { GetUserCommand } = await import('@aws-sdk/client-cognito-identity-provider');
        await assert.rejects(s.idp.send(new GetUserCommand({ AccessToken: second.accessToken.toString() })), (e: Error) => {
          assert.equal(e.name, 'NotAuthorizedException');
          return true;
        });
      } finally {
        Date.now = realNow;
      }
    });

    test('USER_PASSWORD_AUTH sign-in', async () => {
      await makeUser(s, poolId, 'bo@example.com', { attributes: { email: 'bo@example.com' } });
      const r = await signIn({ username: 'bo@example.com', password: PASSWORD, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
      assert.equal(r.isSignedIn, true);
      const session = await fetchAuthSession();
      assert.equal(session.tokens?.idToken?.payload.email, 'bo@example.com');
      await signOut();
    });

    test('a wrong password rejects with NotAuthorizedException', async () => {
      await makeUser(s, poolId, 'cy@example.com', { attributes: { email: 'cy@example.com' } });
      await assert.rejects(signIn({ username: 'cy@example.com', password: WRONG }), (e: Error) => {
        assert.equal(e.name, 'NotAuthorizedException');
        assert.equal(e.message, 'Incorrect username or password.');
        return true;
      });
    });

    test('a temporary password asks for a new one, and confirmSignIn with it signs in', async () => {
      await makeUser(s, poolId, 'di@example.com', { permanent: false, attributes: { email: 'di@example.com' } });
      const r = await signIn({ username: 'di@example.com', password: PASSWORD });
      assert.equal(r.isSignedIn, false);
      assert.equal(r.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
      const done = await confirmSignIn({ challengeResponse: 'Br4nd-New-Pass!' });
      assert.equal(done.isSignedIn, true);
      assert.equal((await fetchAuthSession()).tokens?.idToken?.payload.email, 'di@example.com');
      await signOut();
      assert.equal((await signIn({ username: 'di@example.com', password: 'Br4nd-New-Pass!' })).isSignedIn, true);
      await signOut();
    });
  });
}
