// `npm run tessera -- export` on one Tessera and `-- import` into another (its own data folder or
// schema, another master key): afterwards every user signs in with the same password (SRP and
// password flows), TOTP and groups, and the app clients keep their ids and secrets.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  AdminAddUserToGroupCommand,
  CreateGroupCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
  AddUserPoolClientSecretCommand,
  DescribeUserPoolCommand,
  GetLogDeliveryConfigurationCommand,
  SetLogDeliveryConfigurationCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import bcrypt from 'bcrypt';
import { ADMIN, engines, publicClient, type Engine } from '../../support/server.js';
import { srpSdkSignIn } from '../auth/support.js';
import { PASSWORD, adminTokens, configureMfa, enrolTotp, makeClient, makePool, makeUser, startMfaServer, totp, type MfaServer } from '../mfa/support.js';
import { csv, importCsv } from './support.js';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const KEY = randomBytes(32).toString('hex');

/** `npm run tessera -- <args>` against a store named by `env`. */
function tessera(args: string[], env: Record<string, string>) {
  return run(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TESSERA_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId, TESSERA_ADMIN_SECRET_ACCESS_KEY: ADMIN.secretAccessKey, ...env },
  });
}

function storeEnv(engine: Engine, dataDir: string, schema: string | undefined, masterKey: string): Record<string, string> {
  return {
    TESSERA_DATA_DIR: dataDir,
    TESSERA_MASTER_KEY: masterKey,
    ...(engine === 'postgres' ? { TESSERA_DATABASE_URL: process.env.TESSERA_TEST_PG!, TESSERA_DATABASE_SCHEMA: schema! } : {}),
  };
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

for (const engine of engines) {
  describe(`pool export and import between two Tesseras (${engine})`, () => {
    const keyA = randomBytes(32).toString('base64');
    const keyB = randomBytes(32).toString('base64');
    const work = mkdtempSync(join(tmpdir(), 'tessera-copy-'));
    const dirB = join(work, 'b');
    const schemaB = engine === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
    const file = join(work, 'pool.tessera');
    let a: MfaServer;
    let b: MfaServer;
    let pubB: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let secretClient: { id: string; secret?: string };
    let rotated: string;
    let totpSecret: string;

    before(async () => {
      a = await startMfaServer(engine, { env: { TESSERA_MASTER_KEY: keyA } });
      poolId = await makePool(a, { AliasAttributes: ['email'], Schema: [{ Name: 'plan', AttributeDataType: 'String' }] });
      await configureMfa(a, poolId);
      clientId = (await makeClient(a, poolId)).id;
      secretClient = await makeClient(a, poolId, { ClientName: 'server', GenerateSecret: true });
      rotated = (await a.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: secretClient.id }))).ClientSecretDescriptor!.ClientSecretValue!;
      await makeUser(a, poolId, 'alice', { attributes: { email: 'alice@example.com', email_verified: 'true', 'custom:plan': 'gold' } });
      await makeUser(a, poolId, 'bob');
      await a.idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 1 }));
      await a.idp.send(
        new SetLogDeliveryConfigurationCommand({
          UserPoolId: poolId,
          LogConfigurations: [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:production' } }],
        }),
      );
      await a.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'admins' }));
      const pubA = publicClient(a.url);
      totpSecret = await enrolTotp(a, pubA, (await adminTokens(a, poolId, clientId, 'alice'))!.AccessToken!);
      pubA.destroy();
      const carol = { 'cognito:username': 'carol', 'cognito:mfa_enabled': 'false', 'tessera:password_hash': await bcrypt.hash(PASSWORD, 4) };
      await importCsv(a, poolId, csv(['cognito:username', 'cognito:mfa_enabled', 'tessera:password_hash'], [carol]));

      const exported = await tessera(['export', '--pool', poolId, '--out', file, '--key', KEY], storeEnv(engine, a.config.dataDir, a.config.databaseSchema, keyA));
      assert.match(exported.stdout, /exported .*: 3 users, 1 groups, 1 memberships, 2 app clients/);
      const imported = await tessera(['import', '--in', file], { ...storeEnv(engine, dirB, schemaB, keyB), TESSERA_EXPORT_KEY: KEY });
      assert.match(imported.stdout, /imported .*: 3 users/);
      b = await startMfaServer(engine, { dataDir: dirB, schema: schemaB, env: { TESSERA_MASTER_KEY: keyB } });
      pubB = publicClient(b.url);
    });
    after(async () => {
      pubB?.destroy();
      await a?.close();
      await b?.close();
      if (schemaB) {
        const c = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schemaB} CASCADE`);
        await c.end();
      }
      rmSync(work, { recursive: true, force: true });
    });

    test('the pool keeps its id, settings and app clients (ids and secrets)', async () => {
      const pool = (await b.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      assert.equal(pool.MfaConfiguration, 'OPTIONAL');
      assert.ok(pool.SchemaAttributes!.some((s) => s.Name === 'custom:plan'));
      const c = (await b.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: secretClient.id }))).UserPoolClient!;
      assert.equal(c.ClientSecret, secretClient.secret);
      // A secret added for rotation came along too, sealed again under the second server's key.
      const listed = (await b.idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: secretClient.id }))).ClientSecrets!;
      assert.equal(listed.length, 2);
      assert.deepEqual((await b.app.pools.getClient(poolId, secretClient.id)).secrets.map((x) => x.value), [secretClient.secret, rotated]);
      // The copy does not write to the original's log destinations.
      assert.deepEqual((await b.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration?.LogConfigurations, []);
      assert.equal((await a.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration?.LogConfigurations?.length, 1);
    });

    test('a user with TOTP signs in with the same password and the same authenticator, and keeps the group', async () => {
      const first = await pubB.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }));
      assert.equal(first.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      const done = await pubB.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: first.Session,
          ChallengeResponses: { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: totp(totpSecret, b.clock.now()) },
        }),
      );
      const id = claims(done.AuthenticationResult!.IdToken!);
      assert.deepEqual(id['cognito:groups'], ['admins']);
      assert.equal(id['custom:plan'], 'gold');
      assert.equal(id.iss, `${b.url}/${poolId}`);
    });

    test('SRP verifiers made on the first server work on the second; so does an imported hash', async () => {
      assert.ok((await srpSdkSignIn(pubB, poolId, clientId, 'bob', PASSWORD)).AuthenticationResult?.AccessToken);
      const carol = await pubB.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'carol', PASSWORD } }));
      assert.ok(carol.AuthenticationResult?.AccessToken);
      assert.ok((await srpSdkSignIn(pubB, poolId, clientId, 'alice@example.com', PASSWORD)).ChallengeName === 'SOFTWARE_TOKEN_MFA');
    });

    test('the file is refused with another key, and a second import of the same pool is refused', async () => {
      const other = join(work, 'other');
      const wrongKey = await tessera(['import', '--in', file, '--key', randomBytes(32).toString('hex')], storeEnv(engine, other, schemaB, keyB)).catch((e) => e);
      assert.equal(wrongKey.code, 1);
      assert.match(wrongKey.stderr, /wrong key/);
      const again = await tessera(['import', '--in', file, '--key', KEY], storeEnv(engine, dirB, schemaB, keyB)).catch((e) => e);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already exists/);
    });

    test('a user whose alias is over 2,048 bytes (stored before the limit) fails the import with its reason, and the import leaves nothing behind', async () => {
      const longPool = await makePool(a, { AliasAttributes: ['email'] });
      await makeUser(a, longPool, 'long', { attributes: { email: 'long@example.com', email_verified: 'true' } });
      const { id: userId } = await a.app.store.db.selectFrom('users').select('id').where('pool_id', '=', longPool).where('username_norm', '=', 'long').executeTakeFirstOrThrow();
      // As an older Tessera could have stored it: 2,300 bytes, which PostgreSQL can still index.
      const email = `${'é'.repeat(1140)}@example.com`;
      await a.app.store.db.updateTable('user_aliases').set({ value_norm: email }).where('user_id', '=', userId).execute();
      const row = await a.app.store.db.selectFrom('users').select('attributes').where('id', '=', userId).executeTakeFirstOrThrow();
      await a.app.store.db.updateTable('users').set({ attributes: JSON.stringify({ ...JSON.parse(row.attributes), email }) }).where('id', '=', userId).execute();
      const longFile = join(work, 'long.tessera');
      await tessera(['export', '--pool', longPool, '--out', longFile, '--key', KEY], storeEnv(engine, a.config.dataDir, a.config.databaseSchema, keyA));
      const failed = await tessera(['import', '--in', longFile, '--key', KEY], storeEnv(engine, dirB, schemaB, keyB)).catch((e) => e);
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, new RegExp(`user ${userId}: its email is longer than 2048 bytes`));
      // Nothing of the pool stayed on the second server: not the pool, not its users.
      await assert.rejects(b.idp.send(new DescribeUserPoolCommand({ UserPoolId: longPool })), { name: 'ResourceNotFoundException' });
      assert.equal((await b.app.store.db.selectFrom('users').select('id').where('pool_id', '=', longPool).execute()).length, 0);
    });
  });
}
