// PASSWORD_VERIFIER at the wire level (SDK v3 and an SRP client of our own): SECRET_BLOCK carries
// the state so no Session is needed, an answer works once, sessions expire with the client's
// AuthSessionValidity, and unknown users look like known ones when PreventUserExistenceErrors
// is ENABLED.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser, secretHash, srpClient, verifiedClaims } from './support.js';

for (const engine of engines) {
  describe(`PASSWORD_VERIFIER through the SDK (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    const clock = new ManualClock();
    let poolId: string;
    let clientId: string;

    before(async () => {
      s = await startServer({ engine, clock });
      pub = publicClient(s.url);
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    const begin = async (username: string, client = clientId) => {
      const srp = srpClient(poolId);
      const r = await pub.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.SRP_A } }));
      assert.equal(r.ChallengeName, 'PASSWORD_VERIFIER');
      return { srp, params: r.ChallengeParameters!, session: r.Session };
    };
    const answer = (responses: Record<string, string>, session?: string, client = clientId) =>
      pub.send(new RespondToAuthChallengeCommand({ ClientId: client, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: session }));

    test('the challenge names the canonical user and gives SALT, SRP_B and a base64 SECRET_BLOCK', async () => {
      await makeUser(s, poolId, 'Params');
      const { params, session } = await begin('params');
      assert.equal(params.USER_ID_FOR_SRP, 'Params');
      assert.equal(params.USERNAME, 'Params');
      assert.match(params.SALT, /^[0-9a-f]+$/);
      assert.match(params.SRP_B, /^[0-9a-f]+$/);
      assert.match(params.SECRET_BLOCK, /^[A-Za-z0-9+/]+=*$/);
      assert.ok(session && session.length >= 20 && session.length <= 2048);
    });

    test('an answer without Session signs in (the SECRET_BLOCK carries the state)', async () => {
      await makeUser(s, poolId, 'nosession');
      const { srp, params } = await begin('nosession');
      const r = await answer(srp.answer(params, PASSWORD, clock.now()));
      const claims = await verifiedClaims(s, poolId, r.AuthenticationResult!.AccessToken!);
      assert.equal(claims.username, 'nosession');
    });

    test('an answer replayed is refused, even a correct one', async () => {
      await makeUser(s, poolId, 'replay');
      const { srp, params, session } = await begin('replay');
      const responses = srp.answer(params, PASSWORD, clock.now());
      assert.ok((await answer(responses, session)).AuthenticationResult);
      assert.deepEqual(await errorOf(answer(responses, session)), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
      assert.equal((await errorOf(answer(responses))).name, 'NotAuthorizedException');
    });

    test('a Session of another challenge, or a SECRET_BLOCK of another client, is refused', async () => {
      await makeUser(s, poolId, 'mixed');
      const one = await begin('mixed');
      const two = await begin('mixed');
      const e = await errorOf(answer(one.srp.answer(one.params, PASSWORD, clock.now()), two.session));
      assert.deepEqual(e, { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
      const other = (await makeClient(s, poolId)).id;
      const e2 = await errorOf(answer(two.srp.answer(two.params, PASSWORD, clock.now()), undefined, other));
      assert.equal(e2.name, 'NotAuthorizedException');
    });

    test('after AuthSessionValidity minutes the answer is refused as an expired session', async () => {
      const shortClient = (await makeClient(s, poolId, { AuthSessionValidity: 3 })).id;
      await makeUser(s, poolId, 'slow');
      const { srp, params, session } = await begin('slow', shortClient);
      clock.advance(3 * 60_000 + 1000);
      const e = await errorOf(answer(srp.answer(params, PASSWORD, clock.now()), session, shortClient));
      assert.deepEqual(e, { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
    });

    test('a TIMESTAMP far from the server time is refused', async () => {
      await makeUser(s, poolId, 'skew');
      const { srp, params, session } = await begin('skew');
      const e = await errorOf(answer(srp.answer(params, PASSWORD, clock.now() - 10 * 60_000), session));
      assert.equal(e.name, 'InvalidParameterException');
    });

    test('on a day 1-9 of the month the unpadded TIMESTAMP is accepted', async () => {
      await makeUser(s, poolId, 'early');
      const saved = clock.now();
      clock.set(Date.UTC(2025, 10, 7, 9, 5, 3));
      try {
        const { srp, params, session } = await begin('early');
        const responses = srp.answer(params, PASSWORD, clock.now());
        assert.equal(responses.TIMESTAMP, 'Fri Nov 7 09:05:03 UTC 2025');
        assert.ok((await answer(responses, session)).AuthenticationResult);
      } finally {
        clock.set(saved);
      }
    });

    test('AdminInitiateAuth / AdminRespondToAuthChallenge run the same exchange, SECRET_HASH over the canonical name', async () => {
      const c = await makeClient(s, poolId, { GenerateSecret: true });
      await makeUser(s, poolId, 'AdminSrp');
      const srp = srpClient(poolId);
      const r = await s.idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: c.id,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: 'adminsrp', SRP_A: srp.SRP_A, SECRET_HASH: secretHash(c.secret!, 'adminsrp', c.id) },
        }),
      );
      const responses = { ...srp.answer(r.ChallengeParameters!, PASSWORD, clock.now()), SECRET_HASH: secretHash(c.secret!, 'AdminSrp', c.id) };
      const done = await s.idp.send(
        new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: c.id, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: r.Session }),
      );
      assert.ok(done.AuthenticationResult?.IdToken);
    });

    test('PreventUserExistenceErrors ENABLED: an unknown user gets a stable-looking challenge, then "Incorrect username or password."', async () => {
      const emailPool = await makePool(s, { UsernameAttributes: ['email'] });
      const c = (await makeClient(s, emailPool, { PreventUserExistenceErrors: 'ENABLED' })).id;
      const known = await makeUser(s, emailPool, 'real@example.com', { attributes: { email: 'real@example.com' } });
      const start = async (name: string) => {
        const srp = srpClient(emailPool);
        const r = await pub.send(new InitiateAuthCommand({ ClientId: c, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: name, SRP_A: srp.SRP_A } }));
        return { srp, r };
      };
      const ghost1 = await start('ghost@example.com');
      const ghost2 = await start('ghost@example.com');
      const real = await start('real@example.com');
      assert.equal(ghost1.r.ChallengeName, 'PASSWORD_VERIFIER');
      assert.deepEqual(Object.keys(ghost1.r.ChallengeParameters!).sort(), Object.keys(real.r.ChallengeParameters!).sort());
      // Like a real user: same salt and id on every try, a fresh B each time, a UUID-shaped id.
      assert.equal(ghost1.r.ChallengeParameters!.SALT, ghost2.r.ChallengeParameters!.SALT);
      assert.equal(ghost1.r.ChallengeParameters!.USER_ID_FOR_SRP, ghost2.r.ChallengeParameters!.USER_ID_FOR_SRP);
      assert.notEqual(ghost1.r.ChallengeParameters!.SRP_B, ghost2.r.ChallengeParameters!.SRP_B);
      assert.match(ghost1.r.ChallengeParameters!.USER_ID_FOR_SRP, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(real.r.ChallengeParameters!.USER_ID_FOR_SRP, known);
      const respond = (x: typeof ghost1, pw: string) =>
        pub.send(new RespondToAuthChallengeCommand({ ClientId: c, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: x.srp.answer(x.r.ChallengeParameters!, pw, clock.now()), Session: x.r.Session }));
      const wrongReal = await errorOf(respond(real, WRONG));
      const ghostAnswer = await errorOf(respond(ghost1, PASSWORD));
      assert.deepEqual(ghostAnswer, { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      assert.deepEqual(ghostAnswer, wrongReal);
    });

    test('PreventUserExistenceErrors LEGACY: an unknown user is UserNotFoundException "User does not exist."', async () => {
      const c = (await makeClient(s, poolId, { PreventUserExistenceErrors: 'LEGACY' })).id;
      const srp = srpClient(poolId);
      const e = await errorOf(pub.send(new InitiateAuthCommand({ ClientId: c, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'nobody', SRP_A: srp.SRP_A } })));
      assert.deepEqual(e, { name: 'UserNotFoundException', message: 'User does not exist.' });
      const e2 = await errorOf(pub.send(new InitiateAuthCommand({ ClientId: c, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD } })));
      assert.deepEqual(e2, { name: 'UserNotFoundException', message: 'User does not exist.' });
    });

    test('PreventUserExistenceErrors ENABLED with USER_PASSWORD_AUTH: unknown user and wrong password answer alike', async () => {
      await makeUser(s, poolId, 'someone');
      const tryIt = (USERNAME: string, pw: string) =>
        errorOf(pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: pw } })));
      const unknown = await tryIt('no-such-user', PASSWORD);
      const wrong = await tryIt('someone', WRONG);
      assert.deepEqual(unknown, { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      assert.deepEqual(unknown, wrong);
    });
  });
}
