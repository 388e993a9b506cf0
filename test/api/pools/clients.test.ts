// App clients: CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
// DeleteUserPoolClient through the real SDK, and the secret as it is stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { rejectsWith } from './expect.js';

for (const engine of engines) {
  describe(`app clients (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      const pool = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'clients', Schema: [{ Name: 'tenant' }] }));
      poolId = pool.UserPool!.Id!;
    });
    after(() => s.close());

    const create = async (input: Partial<CreateUserPoolClientCommandInput> = {}) =>
      (await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...input }))).UserPoolClient!;
    const describeClient = async (id: string) =>
      (await s.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id }))).UserPoolClient!;

    test('a public client gets Cognito defaults and no secret', async () => {
      const c = await create({ ClientName: 'web' });
      assert.match(c.ClientId!, /^[a-z0-9]{26}$/);
      assert.equal(c.UserPoolId, poolId);
      assert.equal(c.ClientName, 'web');
      assert.equal(c.ClientSecret, undefined);
      assert.deepEqual(c.ExplicitAuthFlows, ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);
      assert.equal(c.RefreshTokenValidity, 30);
      assert.equal(c.AccessTokenValidity, 60);
      assert.equal(c.IdTokenValidity, 60);
      assert.deepEqual(c.TokenValidityUnits, { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' });
      assert.equal(c.AuthSessionValidity, 3);
      assert.equal(c.EnableTokenRevocation, true);
      assert.equal(c.PreventUserExistenceErrors, 'LEGACY');
      assert.equal(c.AllowedOAuthFlowsUserPoolClient, false);
      assert.equal(c.ReadAttributes, undefined);
      assert.ok(c.CreationDate instanceof Date);
      assert.deepEqual(await describeClient(c.ClientId!), c);
      const row = await s.app.store.clients.get(c.ClientId!);
      assert.equal(row!.secret, null);
    });

    test('a generated secret is returned by Create and Describe and sealed in the database', async () => {
      const c = await create({ GenerateSecret: true });
      assert.match(c.ClientSecret!, /^[a-z0-9]{51}$/);
      assert.equal((await describeClient(c.ClientId!)).ClientSecret, c.ClientSecret);
      const row = await s.app.store.clients.get(c.ClientId!);
      assert.ok(row!.secret, 'a secret is stored');
      assert.ok(!JSON.stringify(row).includes(c.ClientSecret!), 'the secret is stored in clear');
      assert.equal(s.app.sealer.open('client-secret', row!.secret!)?.toString('utf8'), c.ClientSecret);
      // Sealing is bound to its purpose: the blob is no use as anything else.
      assert.equal(s.app.sealer.open('password', row!.secret!), undefined);
    });

    test('a secret chosen by the caller is kept, sealed like a generated one', async () => {
      const chosen = 'Chosen+Secret_0123456789abcdefXYZ';
      const c = await create({ ClientSecret: chosen });
      assert.equal(c.ClientSecret, chosen);
      assert.equal((await describeClient(c.ClientId!)).ClientSecret, chosen);
      const row = await s.app.store.clients.get(c.ClientId!);
      assert.ok(!JSON.stringify(row).includes(chosen), 'the secret is stored in clear');
    });

    test('given settings are stored with their units', async () => {
      const c = await create({
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 2,
        IdTokenValidity: 30,
        RefreshTokenValidity: 7,
        TokenValidityUnits: { IdToken: 'minutes' },
        ReadAttributes: ['email', 'email_verified', 'custom:tenant'],
        WriteAttributes: ['email', 'custom:tenant'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: false,
        AuthSessionValidity: 10,
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: ['https://app.example.com/cb', 'http://localhost:3000/cb', 'myapp://callback'],
        LogoutURLs: ['https://app.example.com/bye'],
        DefaultRedirectURI: 'https://app.example.com/cb',
        SupportedIdentityProviders: ['COGNITO'],
      });
      const d = await describeClient(c.ClientId!);
      assert.deepEqual(d.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
      // A number without its unit is hours (access, id) or days (refresh).
      assert.deepEqual(d.TokenValidityUnits, { AccessToken: 'hours', IdToken: 'minutes', RefreshToken: 'days' });
      assert.equal(d.AccessTokenValidity, 2);
      assert.deepEqual(d.ReadAttributes, ['email', 'email_verified', 'custom:tenant']);
      assert.deepEqual(d.WriteAttributes, ['email', 'custom:tenant']);
      assert.equal(d.PreventUserExistenceErrors, 'ENABLED');
      assert.equal(d.EnableTokenRevocation, false);
      assert.equal(d.AuthSessionValidity, 10);
      assert.deepEqual(d.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
      assert.deepEqual(d.AllowedOAuthFlows, ['code']);
      assert.deepEqual(d.CallbackURLs, ['https://app.example.com/cb', 'http://localhost:3000/cb', 'myapp://callback']);
      assert.equal(d.DefaultRedirectURI, 'https://app.example.com/cb');
      assert.deepEqual(d.SupportedIdentityProviders, ['COGNITO']);
    });

    test('invalid client settings are InvalidParameterException naming what is wrong', async () => {
      const cases: [Partial<CreateUserPoolClientCommandInput>, RegExp][] = [
        [{ AccessTokenValidity: 4, TokenValidityUnits: { AccessToken: 'minutes' } }, /AccessTokenValidity/],
        [{ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } }, /AccessTokenValidity/],
        [{ IdTokenValidity: 25 }, /IdTokenValidity/],
        [{ RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: 'minutes' } }, /RefreshTokenValidity/],
        [{ RefreshTokenValidity: 3651 }, /RefreshTokenValidity/],
        [{ RefreshTokenValidity: 2, TokenValidityUnits: { RefreshToken: 'hours' }, AccessTokenValidity: 3 }, /longer than AccessTokenValidity/],
        [{ RefreshTokenValidity: 1, AccessTokenValidity: 1, IdTokenValidity: 24 }, /longer than IdTokenValidity/],
        [{ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }, /ExplicitAuthFlows/],
        [{ ReadAttributes: ['email', 'favourite_colour'] }, /read attributes.*favourite_colour/],
        [{ WriteAttributes: ['custom:unknown'] }, /write attributes.*custom:unknown/],
        [{ WriteAttributes: ['email_verified'] }, /write attributes.*email_verified/],
        [{ WriteAttributes: ['sub'] }, /write attributes.*sub/],
        [{ CallbackURLs: ['http://app.example.com/cb'] }, /CallbackURLs.*https/],
        [{ CallbackURLs: ['https://app.example.com/cb#frag'] }, /fragment/],
        [{ CallbackURLs: ['relative/cb'] }, /CallbackURLs must hold absolute URLs/],
        [{ CallbackURLs: ['javascript:alert(document.domain)//'] }, /CallbackURLs cannot use the javascript: scheme/],
        [{ CallbackURLs: ['data:text/html,<script>alert(1)</script>'] }, /CallbackURLs cannot use the data: scheme/],
        [{ LogoutURLs: ['file:///etc/passwd'] }, /LogoutURLs cannot use the file: scheme/],
        [{ LogoutURLs: ['http://evil.example.com/'] }, /LogoutURLs/],
        [{ CallbackURLs: ['https://a.example.com/cb'], DefaultRedirectURI: 'https://b.example.com/cb' }, /DefaultRedirectURI/],
        [{ SupportedIdentityProviders: ['Google'] }, /provider Google does not exist/],
        [{ ClientSecret: 'abcdefghijklmnopqrstuvwxyz012345', GenerateSecret: false }, /ClientSecret/],
      ];
      for (const [input, message] of cases) {
        await rejectsWith(create({ ClientName: 'bad-client', ...input }), 'InvalidParameterException', message);
      }
      const rows = await s.app.store.clients.list(poolId, 100);
      assert.ok(!rows.some((r) => r.name === 'bad-client'), 'a refused client was stored');
    });

    test('OAuth flow and scope rules answer InvalidOAuthFlowException / ScopeDoesNotExistException', async () => {
      await rejectsWith(
        create({ AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['openid'] }),
        'InvalidOAuthFlowException',
        /client secret/,
      );
      await rejectsWith(
        create({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials', 'code'], AllowedOAuthScopes: ['openid'] }),
        'InvalidOAuthFlowException',
        /along with code flow/,
      );
      await rejectsWith(create({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'] }), 'InvalidOAuthFlowException');
      await rejectsWith(create({ AllowedOAuthScopes: ['openid', 'orders/read'] }), 'ScopeDoesNotExistException', /orders\/read/);
      await rejectsWith(create({ AllowedOAuthScopes: ['made-up'] }), 'ScopeDoesNotExistException', /made-up/);
      const ok = await create({
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['implicit', 'code'],
        AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'],
        CallbackURLs: ['https://app.example.com/cb'],
      });
      assert.deepEqual(ok.AllowedOAuthScopes, ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin']);
    });

    test('UpdateUserPoolClient is a full replacement that keeps identity, name and secret', async () => {
      const c = await create({
        ClientName: 'original',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        AccessTokenValidity: 10,
        TokenValidityUnits: { AccessToken: 'minutes' },
        ReadAttributes: ['email'],
      });
      const u = (await s.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId, EnableTokenRevocation: false })))
        .UserPoolClient!;
      assert.equal(u.ClientId, c.ClientId);
      assert.equal(u.ClientName, 'original');
      assert.equal(u.ClientSecret, c.ClientSecret);
      assert.equal(u.EnableTokenRevocation, false);
      // What the update left out is back to its default.
      assert.deepEqual(u.ExplicitAuthFlows, ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);
      assert.equal(u.PreventUserExistenceErrors, 'LEGACY');
      assert.equal(u.AccessTokenValidity, 60);
      assert.equal(u.ReadAttributes, undefined);
      assert.deepEqual(await describeClient(c.ClientId!), u);

      await s.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId, ClientName: 'renamed' }));
      assert.equal((await describeClient(c.ClientId!)).ClientName, 'renamed');
    });

    test('UpdateUserPoolClient refuses invalid settings and leaves the client as it was', async () => {
      const c = await create({ PreventUserExistenceErrors: 'ENABLED' });
      await rejectsWith(
        s.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId, AllowedOAuthFlows: ['client_credentials'] })),
        'InvalidOAuthFlowException',
      );
      await rejectsWith(
        s.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId, IdTokenValidity: 2, TokenValidityUnits: { IdToken: 'days' } })),
        'InvalidParameterException',
        /IdTokenValidity/,
      );
      assert.equal((await describeClient(c.ClientId!)).PreventUserExistenceErrors, 'ENABLED');
    });

    test('DeleteUserPoolClient removes the client at once', async () => {
      const c = await create();
      await describeClient(c.ClientId!); // now cached in this process
      await s.idp.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId }));
      await rejectsWith(describeClient(c.ClientId!), 'ResourceNotFoundException', new RegExp(`User pool client ${c.ClientId} does not exist`));
    });

    test('unknown pools and clients are ResourceNotFoundException with Cognito\'s messages', async () => {
      const missingPool = 'us-east-1_missing00';
      const c = await create();
      const noPool = new RegExp(`User pool ${missingPool} does not exist`);
      const noClient = /User pool client nosuchclient does not exist/;
      await rejectsWith(s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: missingPool, ClientName: 'x' })), 'ResourceNotFoundException', noPool);
      await rejectsWith(s.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })), 'ResourceNotFoundException', noClient);
      await rejectsWith(s.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })), 'ResourceNotFoundException', noClient);
      await rejectsWith(s.idp.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })), 'ResourceNotFoundException', noClient);
      // A real client asked for under another pool does not exist there.
      const other = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
      await rejectsWith(
        s.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: other, ClientId: c.ClientId })),
        'ResourceNotFoundException',
        new RegExp(`User pool client ${c.ClientId} does not exist`),
      );
      await rejectsWith(s.idp.send(new DeleteUserPoolClientCommand({ UserPoolId: other, ClientId: c.ClientId })), 'ResourceNotFoundException');
      assert.equal((await describeClient(c.ClientId!)).ClientId, c.ClientId);
    });
  });
}
