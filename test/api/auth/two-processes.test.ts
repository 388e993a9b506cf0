// Two Tessera processes over one PostgreSQL: a sign-in begun on one is finished on the other (the
// Session and SECRET_BLOCK are sealed, self-contained), a replay is refused across them, and wrong
// passwords counted on either lock the user on both; one TOTP code is good once across them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { publicClient, startServer, type TestServer } from '../../support/server.js';
import { adminTokens, totp } from '../mfa/support.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser, srpClient, srpSignIn } from './support.js';

describe('sign-in across two processes over one PostgreSQL', { skip: !process.env.TESSERA_TEST_PG }, () => {
  const schema = `t2_${randomBytes(6).toString('hex')}`;
  let a: TestServer;
  let b: TestServer;
  let pubA: CognitoIdentityProviderClient;
  let pubB: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    a = await startServer({ engine: 'postgres', schema });
    b = await startServer({ engine: 'postgres', schema });
    pubA = publicClient(a.url);
    pubB = publicClient(b.url);
    poolId = await makePool(a);
    clientId = (await makeClient(a, poolId)).id;
    // TOTP offered from the start (users without a factor are not asked for one): a process that
    // cached the pool before a change would see it only after its cache lifetime.
    await a.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  });
  after(async () => {
    pubA.destroy();
    pubB.destroy();
    await a.close();
    await b.close();
    const c = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  test('a PASSWORD_VERIFIER challenge from one process is answered on the other, once', async () => {
    await makeUser(a, poolId, 'roamer');
    const srp = srpClient(poolId);
    const r = await pubA.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'roamer', SRP_A: srp.SRP_A } }));
    const responses = srp.answer(r.ChallengeParameters!, PASSWORD);
    const answer = (pub: CognitoIdentityProviderClient) =>
      pub.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: r.Session }));
    assert.ok((await answer(pubB)).AuthenticationResult?.AccessToken);
    assert.equal((await errorOf(answer(pubA))).name, 'NotAuthorizedException');
  });

  test('a user made through one process signs in with the real client through the other', async () => {
    await makeUser(a, poolId, 'hopper');
    assert.equal((await srpSignIn(b, poolId, clientId, 'hopper', PASSWORD)).kind, 'success');
  });

  test('one TOTP code answered on both processes at once signs in once; the other is CodeMismatchException', async () => {
    await makeUser(a, poolId, 'twofactor');
    const { AccessToken } = (await adminTokens(a, poolId, clientId, 'twofactor'))!;
    const { SecretCode } = await pubA.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    // Enrolled with the previous step's code (still within the window), so the current one is unused.
    const enrolled = await pubA.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, Date.now() - 30_000) }));
    assert.equal(enrolled.Status, 'SUCCESS');
    const signIn = (pub: CognitoIdentityProviderClient) =>
      pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'twofactor', PASSWORD } }));
    const [onA, onB] = await Promise.all([signIn(pubA), signIn(pubB)]);
    assert.equal(onA.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(onB.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const code = totp(SecretCode!, Date.now());
    const answer = (pub: CognitoIdentityProviderClient, Session: string | undefined) =>
      pub.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeResponses: { USERNAME: 'twofactor', SOFTWARE_TOKEN_MFA_CODE: code }, Session }));
    const results = await Promise.allSettled([answer(pubA, onA.Session), answer(pubB, onB.Session)]);
    const won = results.filter((r) => r.status === 'fulfilled' && r.value.AuthenticationResult?.AccessToken);
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).name] : []));
    assert.equal(won.length, 1, 'exactly one of the two answers signs in');
    assert.deepEqual(lost, ['CodeMismatchException']);
    // The winner's Session with the same code on the other process: the step is spent there too.
    const winner = results[0]!.status === 'fulfilled' ? onA : onB;
    assert.equal((await errorOf(answer(winner === onA ? pubB : pubA, winner.Session))).name, 'CodeMismatchException');
  });

  test('wrong passwords counted on both processes lock the user on both', async () => {
    await makeUser(a, poolId, 'target');
    const tryIt = (pub: CognitoIdentityProviderClient, pw: string) =>
      pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'target', PASSWORD: pw } }));
    for (let i = 0; i < 5; i++) assert.equal((await errorOf(tryIt(i % 2 ? pubA : pubB, WRONG))).message, 'Incorrect username or password.');
    for (const pub of [pubA, pubB]) {
      assert.deepEqual(await errorOf(tryIt(pub, PASSWORD)), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    }
  });
});
