// The self-service calls of amazon-cognito-identity-js on a session it made itself with
// authenticateUser (USER_SRP_AUTH): getUserAttributes, updateAttributes, verifyAttribute,
// changePassword, forgotPassword + confirmPassword, globalSignOut and deleteUser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import pkg from 'amazon-cognito-identity-js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { NEW_PASSWORD, PASSWORD, email, lastCode, makeClient, makePool, makeUser, wrong } from './support.js';

const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = pkg;

type Failure = { code: string; name: string; message: string };

/** A library callback `(err, result)` as a promise. */
const nodeCallback = <T>(call: (cb: (err: Error | undefined | null, result?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => call((err, result) => (err ? reject(err) : resolve(result as T))));

/** A library callback map `{ onSuccess, onFailure }` as a promise. */
const callbacks = <T>(call: (cb: { onSuccess: (r: T) => void; onFailure: (e: Error) => void }) => void) =>
  new Promise<T>((resolve, reject) => call({ onSuccess: resolve, onFailure: reject }));

async function rejection(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (e) {
    return e as Failure;
  }
  assert.fail('expected the call to fail');
}

for (const engine of engines) {
  describe(`self-service with amazon-cognito-identity-js (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startServer({ engine });
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId, { PreventUserExistenceErrors: 'ENABLED' })).id;
    });
    after(() => s.close());

    const pool = () => new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${s.url}/` });
    const cognitoUser = (username: string) => new CognitoUser({ Username: username, Pool: pool() });

    /** A user signed in by the library's own SRP. */
    async function srpSession(username: string, password = PASSWORD) {
      const user = cognitoUser(username);
      const session = await new Promise<pkg.CognitoUserSession>((resolve, reject) =>
        user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), { onSuccess: resolve, onFailure: reject }),
      );
      return { user, session };
    }
    const attributesOf = async (user: pkg.CognitoUser) =>
      Object.fromEntries((await nodeCallback<pkg.CognitoUserAttribute[]>((cb) => user.getUserAttributes(cb))).map((a) => [a.getName(), a.getValue()]));

    let n = 0;
    async function newUser() {
      const address = email();
      const username = await makeUser(s, poolId, `js${++n}`, { email: address, email_verified: 'true', name: 'Lib' });
      return { username, address };
    }

    test('getUserAttributes, updateAttributes and verifyAttribute', async () => {
      const { username, address } = await newUser();
      const { user, session } = await srpSession(username);
      let a = await attributesOf(user);
      assert.equal(a.sub, session.getIdToken().payload.sub);
      assert.equal(a.email, address);
      assert.equal(a.email_verified, 'true');
      assert.equal(a.name, 'Lib');

      const fresh = email('lib');
      const details = await new Promise<unknown>((resolve, reject) =>
        user.updateAttributes(
          [new CognitoUserAttribute({ Name: 'email', Value: fresh }), new CognitoUserAttribute({ Name: 'name', Value: 'Library' })],
          (err, _result, details) => (err ? reject(err) : resolve(details)),
        ),
      );
      assert.deepEqual(details, { CodeDeliveryDetailsList: [{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'l***@e***' }] });
      a = await attributesOf(user);
      assert.equal(a.email, fresh);
      assert.equal(a.email_verified, 'false');
      assert.equal(a.name, 'Library');

      const code = await lastCode(s, fresh);
      assert.equal((await rejection(callbacks((cb) => user.verifyAttribute('email', wrong(code), cb)))).code, 'CodeMismatchException');
      assert.equal(await callbacks((cb) => user.verifyAttribute('email', code, cb)), 'SUCCESS');
      assert.equal((await attributesOf(user)).email_verified, 'true');
    });

    test('changePassword: the old password is checked, and SRP then takes only the new one', async () => {
      const { username } = await newUser();
      const { user } = await srpSession(username);
      const refused = await rejection(nodeCallback((cb) => user.changePassword('Not-the-passw0rd', NEW_PASSWORD, cb)));
      assert.deepEqual([refused.code, refused.message], ['NotAuthorizedException', 'Incorrect username or password.']);
      assert.equal(await nodeCallback((cb) => user.changePassword(PASSWORD, NEW_PASSWORD, cb)), 'SUCCESS');
      assert.equal((await rejection(srpSession(username, PASSWORD))).code, 'NotAuthorizedException');
      await srpSession(username, NEW_PASSWORD);
    });

    test('forgotPassword and confirmPassword reset the password and end the old session', async () => {
      const { username, address } = await newUser();
      const old = await srpSession(username);
      const sent = await callbacks<{ CodeDeliveryDetails: unknown }>((cb) => cognitoUser(username).forgotPassword(cb));
      assert.deepEqual(sent.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'u***@e***' });
      const code = await lastCode(s, address);
      const wrongCode = await rejection(callbacks((cb) => cognitoUser(username).confirmPassword(wrong(code), NEW_PASSWORD, cb)));
      assert.equal(wrongCode.code, 'CodeMismatchException');
      assert.equal(await callbacks((cb) => cognitoUser(username).confirmPassword(code, NEW_PASSWORD, cb)), 'SUCCESS');

      await srpSession(username, NEW_PASSWORD);
      const revoked = await rejection(attributesOf(old.user));
      assert.deepEqual([revoked.code, revoked.message], ['NotAuthorizedException', 'Access Token has been revoked']);
    });

    test('forgotPassword for an unknown name answers like a real one (PreventUserExistenceErrors)', async () => {
      const sent = await callbacks<{ CodeDeliveryDetails: { DeliveryMedium: string; AttributeName: string; Destination: string } }>((cb) =>
        cognitoUser('no-such-user').forgotPassword(cb),
      );
      assert.equal(sent.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
      assert.equal(sent.CodeDeliveryDetails.AttributeName, 'email');
      assert.match(sent.CodeDeliveryDetails.Destination, /^[a-z]\*\*\*@[a-z]\*\*\*$/);
    });

    test('globalSignOut ends the session on the server, not only in the library', async () => {
      const { username } = await newUser();
      const { user, session } = await srpSession(username);
      assert.equal(await callbacks((cb) => user.globalSignOut(cb)), 'SUCCESS');
      // The library forgot its session; another instance holding the same tokens is refused.
      const holder = cognitoUser(username);
      holder.setSignInUserSession(session);
      const refused = await rejection(attributesOf(holder));
      assert.deepEqual([refused.code, refused.message], ['NotAuthorizedException', 'Access Token has been revoked']);
      // (Asked through the SDK: the library retries a failed refresh with back-off for about 6 s.)
      const refresh = await rejection(
        s.idp.send(
          new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() } }),
        ),
      );
      assert.equal(refresh.name, 'NotAuthorizedException');
    });

    test('deleteUser deletes the signed-in user', async () => {
      const { username } = await newUser();
      const { user } = await srpSession(username);
      assert.equal(await nodeCallback((cb) => user.deleteUser(cb)), 'SUCCESS');
      const gone = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })).catch((e: Error) => e.name);
      assert.equal(gone, 'UserNotFoundException');
      const again = await rejection(srpSession(username));
      assert.deepEqual([again.code, again.message], ['NotAuthorizedException', 'Incorrect username or password.']);
    });
  });
}
