// Users imported with a password hash (`tessera:password_hash`): CONFIRMED at once; SRP is refused
// with a plain message until the first password sign-in, which verifies the hash and turns it into
// an SRP verifier, after which SRP works with the same password.
import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, AdminInitiateAuthCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import argon2 from 'argon2';
import bcrypt from 'bcrypt';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { errorOf, makeClient, makePool, srpSdkSignIn } from '../auth/support.js';
import { csv, importCsv } from './support.js';

const PASSWORD = 'Imp0rted-Secret!';
const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

/** One hash per accepted form, all of PASSWORD. */
async function hashes(): Promise<Record<string, string>> {
  const salt = randomBytes(16);
  return {
    bcrypt: await bcrypt.hash(PASSWORD, 4),
    argon2: await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 2 }),
    scrypt: `$scrypt$ln=12,r=8,p=1$${b64(salt)}$${b64(scryptSync(PASSWORD, salt, 32, { N: 4096, r: 8, p: 1 }))}`,
    pbkdf2: `$pbkdf2-sha256$1000$${b64(salt)}$${b64(pbkdf2Sync(PASSWORD, salt, 1000, 32, 'sha256'))}`,
  };
}

for (const engine of engines) {
  describe(`imported password hashes (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let h: Record<string, string>;
    const passwordAuth = (USERNAME: string, PASSWORD: string) =>
      pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));

    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId, { PreventUserExistenceErrors: 'LEGACY' })).id;
      h = await hashes();
      const header = ['cognito:username', 'email', 'cognito:mfa_enabled', 'tessera:password_hash'];
      const rows = Object.entries(h).map(([name, hash]) => ({ 'cognito:username': name, email: `${name}@example.com`, 'cognito:mfa_enabled': 'false', 'tessera:password_hash': hash }));
      rows.push({ 'cognito:username': 'garbage', email: 'g@example.com', 'cognito:mfa_enabled': 'false', 'tessera:password_hash': '$2b$10$short' });
      const { done } = await importCsv(s, poolId, csv(header, rows));
      assert.deepEqual([done.ImportedUsers, done.FailedUsers], [4, 1]);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('users with a hash arrive CONFIRMED, without an unverified contact being needed', async () => {
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bcrypt' }));
      assert.equal(u.UserStatus, 'CONFIRMED');
    });

    for (const name of ['bcrypt', 'argon2', 'scrypt', 'pbkdf2']) {
      test(`${name}: SRP refused until a password sign-in proves the hash; then SRP works`, async () => {
        const before = await errorOf(srpSdkSignIn(pub, poolId, clientId, name, PASSWORD));
        assert.equal(before.name, 'NotAuthorizedException');
        assert.match(before.message, /USER_PASSWORD_AUTH/);
        assert.equal((await errorOf(passwordAuth(name, 'Wr0ng-Secret!'))).message, 'Incorrect username or password.');
        const first = await passwordAuth(name, PASSWORD);
        assert.ok(first.AuthenticationResult?.AccessToken);
        const srp = await srpSdkSignIn(pub, poolId, clientId, name, PASSWORD);
        assert.ok(srp.AuthenticationResult?.IdToken);
        assert.ok((await passwordAuth(name, PASSWORD)).AuthenticationResult?.AccessToken);
      });
    }

    test('ADMIN_USER_PASSWORD_AUTH migrates an imported hash too', async () => {
      const more = { 'cognito:username': 'admin-flow', 'cognito:mfa_enabled': 'false', 'tessera:password_hash': await bcrypt.hash(PASSWORD, 4) };
      await importCsv(s, poolId, csv(['cognito:username', 'cognito:mfa_enabled', 'tessera:password_hash'], [more]));
      const r = await s.idp.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'admin-flow', PASSWORD } }),
      );
      assert.ok(r.AuthenticationResult?.AccessToken);
      assert.ok((await srpSdkSignIn(pub, poolId, clientId, 'admin-flow', PASSWORD)).AuthenticationResult);
    });

    test("with PreventUserExistenceErrors the SRP refusal is the usual 'Incorrect username or password.'", async () => {
      const hiding = (await makeClient(s, poolId, { PreventUserExistenceErrors: 'ENABLED' })).id;
      const more = { 'cognito:username': 'hidden', 'cognito:mfa_enabled': 'false', 'tessera:password_hash': await bcrypt.hash(PASSWORD, 4) };
      await importCsv(s, poolId, csv(['cognito:username', 'cognito:mfa_enabled', 'tessera:password_hash'], [more]));
      const e = await errorOf(srpSdkSignIn(pub, poolId, hiding, 'hidden', PASSWORD));
      assert.deepEqual([e.name, e.message], ['NotAuthorizedException', 'Incorrect username or password.']);
    });

    test("a job's PasswordHashingAlgorithm fails rows whose hash is of another algorithm", async () => {
      const header = ['cognito:username', 'cognito:mfa_enabled', 'tessera:password_hash'];
      const rows = [
        { 'cognito:username': 'declared-ok', 'cognito:mfa_enabled': 'false', 'tessera:password_hash': h.bcrypt },
        { 'cognito:username': 'declared-bad', 'cognito:mfa_enabled': 'false', 'tessera:password_hash': h.argon2 },
      ];
      const { created, done } = await importCsv(s, poolId, csv(header, rows), { PasswordHashingAlgorithm: 'BCRYPT' });
      assert.equal(created.PasswordHashingAlgorithm, 'BCRYPT');
      assert.deepEqual([done.ImportedUsers, done.FailedUsers], [1, 1]);
      const log = await (await fetch(created.PreSignedUrl!.replace('?token=', '/errors?token='))).text();
      assert.match(log, /declared-bad,"tessera:password_hash: the hash is argon2id, not BCRYPT/);
    });
  });
}
