// Client secret rotation through the real SDK: AddUserPoolClientSecret, ListUserPoolClientSecrets,
// DeleteUserPoolClientSecret. While a client has two secrets either one works, for SECRET_HASH
// (InitiateAuth), for the token endpoint (client_credentials, Basic) and for GetClientToken; once
// one is deleted only the other does. Limits and refusals as Cognito answers them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHmac } from 'node:crypto';
import {
  AddUserPoolClientSecretCommand,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  GetClientTokenCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, postForm, seedOAuthPool, seedUser, type OAuthSetup } from '../../oauth/support.js';
import { rejectsWith } from './expect.js';

const secretHash = (secret: string, username: string, clientId: string) => createHmac('sha256', secret).update(username + clientId).digest('base64');

for (const engine of engines) {
  describe(`app client secret rotation (${engine})`, () => {
    let s: TestServer;
    let o: OAuthSetup;
    before(async () => {
      s = await startServer({ engine });
      o = await seedOAuthPool(s);
      await seedUser(s, o.poolId, 'rita');
    });
    after(() => s.close());

    const confidential = async () =>
      (
        await s.idp.send(
          new CreateUserPoolClientCommand({
            UserPoolId: o.poolId,
            ClientName: 'rotating',
            GenerateSecret: true,
            ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: ['client_credentials'],
            AllowedOAuthScopes: ['https://api.example.test/read'],
          }),
        )
      ).UserPoolClient!;
    const ids = { UserPoolId: '', ClientId: '' };
    const signIn = (clientId: string, secret: string) => {
      const pub = publicClient(s.url);
      return pub
        .send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rita', PASSWORD, SECRET_HASH: secretHash(secret, 'rita', clientId) } }))
        .finally(() => pub.destroy());
    };
    const tokenStatus = async (clientId: string, secret: string) =>
      (
        await postForm(`${o.base}/oauth2/token`, { grant_type: 'client_credentials', scope: 'https://api.example.test/read' }, {
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        })
      ).status;

    test('two secrets work side by side; after deleting the first only the second does', async () => {
      const c = await confidential();
      Object.assign(ids, { UserPoolId: o.poolId, ClientId: c.ClientId! });
      const first = c.ClientSecret!;
      const listed = (await s.idp.send(new ListUserPoolClientSecretsCommand(ids))).ClientSecrets!;
      assert.equal(listed.length, 1);
      assert.equal(listed[0].ClientSecretValue, undefined, 'values are never listed');
      assert.match(listed[0].ClientSecretId!, new RegExp(`^${c.ClientId}--\\d+$`));
      assert.equal(listed[0].ClientSecretCreateDate!.getTime(), c.CreationDate!.getTime());

      const added = (await s.idp.send(new AddUserPoolClientSecretCommand(ids))).ClientSecretDescriptor!;
      const second = added.ClientSecretValue!;
      assert.match(second, /^[a-z0-9]{51}$/, 'a generated secret is returned once');
      assert.notEqual(second, first);
      assert.match(added.ClientSecretId!, new RegExp(`^${c.ClientId}--\\d+$`));
      assert.ok(added.ClientSecretCreateDate instanceof Date);

      for (const secret of [first, second]) {
        const tokens = (await signIn(c.ClientId!, secret)).AuthenticationResult!;
        assert.ok(tokens.AccessToken, 'SECRET_HASH with either secret');
        assert.equal(await tokenStatus(c.ClientId!, secret), 200, 'the token endpoint takes either secret');
        const pub = publicClient(s.url);
        try {
          assert.ok((await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: c.ClientId!, ClientSecret: secret, RefreshToken: tokens.RefreshToken! }))).AuthenticationResult?.AccessToken);
          await pub.send(new RevokeTokenCommand({ ClientId: c.ClientId!, ClientSecret: secret, Token: tokens.RefreshToken! }));
        } finally {
          pub.destroy();
        }
        assert.ok((await s.idp.send(new GetClientTokenCommand({ ClientId: c.ClientId!, Secret: secret }))).ClientAuthenticationResult?.AccessToken, 'GetClientToken takes either secret');
      }
      await rejectsWith(signIn(c.ClientId!, 'x'.repeat(51)), 'NotAuthorizedException', /secret hash/);
      assert.equal(await tokenStatus(c.ClientId!, 'x'.repeat(51)), 401, 'invalid_client');
      const both = (await s.idp.send(new ListUserPoolClientSecretsCommand(ids))).ClientSecrets!;
      assert.deepEqual(both.map((x) => x.ClientSecretId), [listed[0].ClientSecretId, added.ClientSecretId]);
      await rejectsWith(s.idp.send(new AddUserPoolClientSecretCommand(ids)), 'LimitExceededException');

      await s.idp.send(new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: listed[0].ClientSecretId! }));
      await rejectsWith(signIn(c.ClientId!, first), 'NotAuthorizedException');
      await rejectsWith(s.idp.send(new GetClientTokenCommand({ ClientId: c.ClientId!, Secret: first })), 'NotAuthorizedException');
      assert.equal(await tokenStatus(c.ClientId!, first), 401, 'the deleted secret is refused at once');
      assert.ok((await signIn(c.ClientId!, second)).AuthenticationResult);
      assert.equal(await tokenStatus(c.ClientId!, second), 200);
      const described = (await s.idp.send(new DescribeUserPoolClientCommand(ids))).UserPoolClient!;
      assert.equal(described.ClientSecret, second, 'Describe shows the remaining secret');
      await rejectsWith(s.idp.send(new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: added.ClientSecretId! })), 'InvalidParameterException', /last secret/);
      await rejectsWith(s.idp.send(new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: listed[0].ClientSecretId! })), 'ResourceNotFoundException');
    });

    test('a secret of your own is used as given and not echoed; refusals for public and unknown clients and bad values', async () => {
      const c = await confidential();
      const mine = 'my+own+rotation+secret+value+0123456789';
      const added = (await s.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: o.poolId, ClientId: c.ClientId!, ClientSecret: mine }))).ClientSecretDescriptor!;
      assert.equal(added.ClientSecretValue, undefined);
      assert.ok((await signIn(c.ClientId!, mine)).AuthenticationResult);
      await rejectsWith(s.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: o.poolId, ClientId: c.ClientId!, ClientSecret: 'short' })), 'InvalidParameterException');

      const pub = (await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: o.poolId, ClientName: 'public' }))).UserPoolClient!;
      await rejectsWith(s.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: o.poolId, ClientId: pub.ClientId! })), 'InvalidParameterException', /no secret/);
      assert.deepEqual((await s.idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: o.poolId, ClientId: pub.ClientId! }))).ClientSecrets, []);
      await rejectsWith(s.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: o.poolId, ClientId: 'nosuchclient0000000000000a' })), 'ResourceNotFoundException');
    });
  });
}
