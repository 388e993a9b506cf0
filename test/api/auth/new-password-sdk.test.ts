// NEW_PASSWORD_REQUIRED through the SDK: the challenge's parameters, AdminRespondToAuthChallenge,
// single use of the Session, its expiry, and an expired temporary password.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, errorOf, makeClient, makePool, makeUser, verifiedClaims } from './support.js';

const NEW = 'Fresh-Passw0rd!';

for (const engine of engines) {
  describe(`NEW_PASSWORD_REQUIRED through the SDK (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    const clock = new ManualClock();
    let poolId: string;
    let clientId: string;
    const start = (USERNAME: string) =>
      pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
    const complete = (Session: string | undefined, responses: Record<string, string>) =>
      pub.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeResponses: responses, Session }));

    before(async () => {
      s = await startServer({ engine, clock });
      pub = publicClient(s.url);
      poolId = await makePool(s, { Schema: [{ Name: 'family_name', AttributeDataType: 'String', Mutable: true, Required: true }] });
      clientId = (await makeClient(s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('the challenge lists the user\'s attributes (no sub) and the missing required ones', async () => {
      await makeUser(s, poolId, 'tmp1', { permanent: false, attributes: { email: 'tmp1@example.com' } });
      const r = await start('tmp1');
      assert.equal(r.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const p = r.ChallengeParameters!;
      assert.equal(p.USER_ID_FOR_SRP, 'tmp1');
      assert.deepEqual(JSON.parse(p.requiredAttributes), ['userAttributes.family_name']);
      const attrs = JSON.parse(p.userAttributes);
      assert.equal(attrs.email, 'tmp1@example.com');
      assert.equal(attrs.sub, undefined);
      const done = await complete(r.Session, { USERNAME: 'tmp1', NEW_PASSWORD: NEW, 'userAttributes.family_name': 'Tmp' });
      const id = await verifiedClaims(s, poolId, done.AuthenticationResult!.IdToken!);
      assert.equal(id.family_name, 'Tmp');
      // The completed Session cannot be used again.
      const again = await errorOf(complete(r.Session, { USERNAME: 'tmp1', NEW_PASSWORD: 'An0ther-Passw0rd!', 'userAttributes.family_name': 'X' }));
      assert.equal(again.name, 'NotAuthorizedException');
      assert.equal((await start('tmp1').catch((e) => e)).name, 'NotAuthorizedException', 'the temporary password is gone');
    });

    test('a user disabled, or given another temporary password, after the challenge began cannot complete it, and keeps the old state', async () => {
      await makeUser(s, poolId, 'tmp-off', { permanent: false, attributes: { family_name: 'Off' } });
      const r = await start('tmp-off');
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'tmp-off' }));
      const e = await errorOf(complete(r.Session, { USERNAME: 'tmp-off', NEW_PASSWORD: NEW }));
      assert.deepEqual([e.name, e.message], ['NotAuthorizedException', 'User is disabled.']);
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'tmp-off' }))).UserStatus, 'FORCE_CHANGE_PASSWORD');

      await makeUser(s, poolId, 'tmp-reset', { permanent: false, attributes: { family_name: 'Reset' } });
      const r2 = await start('tmp-reset');
      // In the same millisecond as far as the server's clock goes: the password itself tells.
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'tmp-reset', Password: 'Another-Temp-9!', Permanent: false }));
      assert.equal((await errorOf(complete(r2.Session, { USERNAME: 'tmp-reset', NEW_PASSWORD: NEW }))).name, 'NotAuthorizedException');
      // The new temporary password still leads to a challenge that completes.
      const r3 = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'tmp-reset', PASSWORD: 'Another-Temp-9!' } }));
      assert.ok((await complete(r3.Session, { USERNAME: 'tmp-reset', NEW_PASSWORD: NEW })).AuthenticationResult?.IdToken);
    });

    test('AdminRespondToAuthChallenge completes it for an admin-initiated sign-in', async () => {
      await makeUser(s, poolId, 'tmp2', { permanent: false, attributes: { family_name: 'Two' } });
      const r = await s.idp.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'tmp2', PASSWORD } }),
      );
      assert.equal(r.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const done = await s.idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          ChallengeResponses: { USERNAME: 'tmp2', NEW_PASSWORD: NEW },
          Session: r.Session,
        }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'tmp2' }));
      assert.equal(u.UserStatus, 'CONFIRMED');
    });

    test('a Session past AuthSessionValidity is refused as expired', async () => {
      await makeUser(s, poolId, 'tmp3', { permanent: false, attributes: { family_name: 'Three' } });
      const r = await start('tmp3');
      clock.advance(3 * 60_000 + 1);
      assert.deepEqual(await errorOf(complete(r.Session, { USERNAME: 'tmp3', NEW_PASSWORD: NEW })), {
        name: 'NotAuthorizedException',
        message: 'Invalid session for the user, session is expired.',
      });
      assert.equal((await errorOf(complete('not-a-session-at-all-0000', { USERNAME: 'tmp3', NEW_PASSWORD: NEW }))).name, 'NotAuthorizedException');
    });

    test('a temporary password past its validity must be reset by an administrator', async () => {
      await makeUser(s, poolId, 'tmp4', { permanent: false, attributes: { family_name: 'Four' } });
      clock.advance(8 * 24 * 3600_000);
      assert.deepEqual(await errorOf(start('tmp4')), {
        name: 'NotAuthorizedException',
        message: 'Temporary password has expired and must be reset by an administrator.',
      });
    });
  });
}
