// Lazy migration without a Lambda: a pool tagged `tessera:migrate-from` checks a password sign-in
// of an unknown name against the upstream pool (here a second Tessera standing in for Cognito) and,
// when the upstream accepts it, creates the user with the upstream's username, sub and attributes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  InitiateAuthCommand,
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser, secretHash, srpSdkSignIn } from '../auth/support.js';

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

for (const engine of engines) {
  describe(`lazy migration from an upstream user pool (${engine})`, () => {
    let upstream: TestServer;
    let here: TestServer;
    let hereAdmin: TestServer;
    let pub: CognitoIdentityProviderClient;
    let upPool: string;
    let upPublicClient: string;
    let upSecretClient: { id: string; secret?: string };
    let poolId: string;
    let clientId: string;
    let doraSub: string;

    before(async () => {
      upstream = await startServer({ engine });
      upPool = await makePool(upstream, { AliasAttributes: ['email'] });
      upPublicClient = (await makeClient(upstream, upPool, { PreventUserExistenceErrors: 'LEGACY', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).id;
      upSecretClient = await makeClient(upstream, upPool, { GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      for (const name of ['dora', 'eve', 'finn']) {
        await makeUser(upstream, upPool, name, { attributes: { email: `${name}@example.com`, email_verified: 'true', name: name.toUpperCase() } });
      }
      doraSub = (await upstream.idp.send(new AdminGetUserCommand({ UserPoolId: upPool, Username: 'dora' }))).UserAttributes!.find((a) => a.Name === 'sub')!.Value!;

      here = await startServer({ engine });
      pub = publicClient(here.url);
      poolId = await makePool(here, { AliasAttributes: ['email'], UserPoolTags: { 'tessera:migrate-from': `${upPool}:${upPublicClient}:${upstream.url}` } });
      clientId = (await makeClient(here, poolId, { PreventUserExistenceErrors: 'LEGACY' })).id;
      hereAdmin = await startServer({ engine, env: { TESSERA_MIGRATE_ACCESS_KEY_ID: ADMIN.accessKeyId, TESSERA_MIGRATE_SECRET_ACCESS_KEY: ADMIN.secretAccessKey } });
    });
    after(async () => {
      pub.destroy();
      await Promise.all([upstream.close(), here.close(), hereAdmin.close()]);
    });

    const signIn = (USERNAME: string, password: string, client = clientId, idp = pub) =>
      idp.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: password } }));

    test('the first password sign-in of an upstream user creates it here, with its sub and attributes; SRP works afterwards', async () => {
      const r = await signIn('dora', PASSWORD);
      const id = claims(r.AuthenticationResult!.IdToken!);
      assert.equal(id.sub, doraSub);
      assert.equal(id.email, 'dora@example.com');
      const u = await here.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dora' }));
      assert.equal(u.UserStatus, 'CONFIRMED');
      assert.equal(u.UserAttributes!.find((a) => a.Name === 'name')!.Value, 'DORA');
      assert.ok((await srpSdkSignIn(pub, poolId, clientId, 'dora@example.com', PASSWORD)).AuthenticationResult);
    });

    test('a wrong password is refused as usual, and creates nobody', async () => {
      const e = await errorOf(signIn('eve', WRONG));
      assert.deepEqual([e.name, e.message], ['NotAuthorizedException', 'Incorrect username or password.']);
      assert.equal((await errorOf(here.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'eve' })))).name, 'UserNotFoundException');
    });

    test('a name the upstream does not know either is an unknown user (an upstream hiding user existence makes it a refused password)', async () => {
      assert.equal((await errorOf(signIn('nobody', PASSWORD))).name, 'UserNotFoundException');
    });

    test('with upstream admin credentials: AdminInitiateAuth with SECRET_HASH of a client that has a secret, then AdminGetUser', async () => {
      const adminPool = await makePool(hereAdmin, { UserPoolTags: { 'tessera:migrate-from': `${upPool}:${upSecretClient.id}:${upstream.url}` } });
      const adminClient = (await makeClient(hereAdmin, adminPool)).id;
      const r = await hereAdmin.idp.send(
        new AdminInitiateAuthCommand({ UserPoolId: adminPool, ClientId: adminClient, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'finn', PASSWORD } }),
      );
      assert.equal(claims(r.AuthenticationResult!.IdToken!).email, 'finn@example.com');
      // The upstream really needs the secret: without SECRET_HASH the same call is refused there.
      const bare = { UserPoolId: upPool, ClientId: upSecretClient.id, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' as const };
      assert.equal((await errorOf(upstream.idp.send(new AdminInitiateAuthCommand({ ...bare, AuthParameters: { USERNAME: 'eve', PASSWORD } })))).name, 'NotAuthorizedException');
      const withHash = { USERNAME: 'eve', PASSWORD, SECRET_HASH: secretHash(upSecretClient.secret!, 'eve', upSecretClient.id) };
      assert.ok((await upstream.idp.send(new AdminInitiateAuthCommand({ ...bare, AuthParameters: withHash }))).AuthenticationResult);
      const pubAdmin = publicClient(hereAdmin.url);
      assert.ok((await srpSdkSignIn(pubAdmin, adminPool, adminClient, 'finn', PASSWORD)).AuthenticationResult);
      pubAdmin.destroy();
    });
  });
}
