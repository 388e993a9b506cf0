// The hosted-UI administration operations through the AWS SDK: domains (prefix and custom),
// resource servers and the custom scopes app clients may then allow, classic UI customization
// (CSS allow-list, logo served) and managed-login branding, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateManagedLoginBrandingCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolDomainCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUICustomizationCommand,
  ListResourceServersCommand,
  SetUICustomizationCommand,
  UpdateManagedLoginBrandingCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../support/server.js';
import { PNG_LOGO, refused } from './support.js';

for (const engine of engines) {
  describe(`hosted-UI administration (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      poolId = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'admin-ops' }))).UserPool!.Id!;
    });
    after(() => s.close());

    test('a prefix domain and a custom domain are ACTIVE at once and show in DescribeUserPool', async () => {
      const prefix = `adm-${engine}-${Date.now().toString(36)}`;
      const created = await s.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
      assert.equal(created.ManagedLoginVersion, 1);
      const d = (await s.idp.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription!;
      assert.equal(d.Status, 'ACTIVE');
      assert.equal(d.UserPoolId, poolId);
      const custom = `auth-${prefix}.example.com`;
      const c = await s.idp.send(
        new CreateUserPoolDomainCommand({
          UserPoolId: poolId,
          Domain: custom,
          CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc' },
        }),
      );
      assert.ok(c.CloudFrontDomain);
      const pool = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      assert.equal(pool.Domain, prefix);
      assert.equal(pool.CustomDomain, custom);
      await refused(s.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `${prefix}x` })), 'InvalidParameterException');
      await refused(s.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-aws-login' })), 'InvalidParameterException');
      const other = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
      await refused(s.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: prefix })), 'InvalidParameterException');
      const u = await s.idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 2 }));
      assert.equal(u.ManagedLoginVersion, 2);
      await refused(s.idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: other, Domain: prefix })), 'InvalidParameterException');
      await s.idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: custom }));
      assert.deepEqual((await s.idp.send(new DescribeUserPoolDomainCommand({ Domain: custom }))).DomainDescription, {});
      await s.idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
      const after = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      assert.equal(after.Domain, undefined);
    });

    test('resource servers: create, describe, list in pages, update, delete; their scopes become allowable', async () => {
      const id = 'https://api.example.com';
      const rs = await s.idp.send(
        new CreateResourceServerCommand({
          UserPoolId: poolId,
          Identifier: id,
          Name: 'api',
          Scopes: [{ ScopeName: 'read', ScopeDescription: 'read things' }],
        }),
      );
      assert.equal(rs.ResourceServer!.Identifier, id);
      await refused(s.idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: id, Name: 'again' })), 'InvalidParameterException');
      await refused(
        s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthScopes: [`${id}/write`] })),
        'ScopeDoesNotExistException',
      );
      await s.idp.send(
        new UpdateResourceServerCommand({
          UserPoolId: poolId,
          Identifier: id,
          Name: 'api v2',
          Scopes: [
            { ScopeName: 'read', ScopeDescription: 'read things' },
            { ScopeName: 'write', ScopeDescription: 'write things' },
          ],
        }),
      );
      const client = await s.idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'm2m',
          GenerateSecret: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: [`${id}/write`],
        }),
      );
      assert.deepEqual(client.UserPoolClient!.AllowedOAuthScopes, [`${id}/write`]);
      const d = await s.idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: id }));
      assert.equal(d.ResourceServer!.Name, 'api v2');
      assert.equal(d.ResourceServer!.Scopes!.length, 2);
      await s.idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders', Name: 'orders' }));
      const first = await s.idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 1 }));
      assert.equal(first.ResourceServers!.length, 1);
      assert.ok(first.NextToken);
      const second = await s.idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 1, NextToken: first.NextToken }));
      assert.equal(second.ResourceServers!.length, 1);
      assert.notEqual(second.ResourceServers![0].Identifier, first.ResourceServers![0].Identifier);
      assert.equal(second.NextToken, undefined);
      await s.idp.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders' }));
      await refused(s.idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders' })), 'ResourceNotFoundException');
    });

    test('UI customization: allowed classes only, no url() or @import, logo stored and served', async () => {
      const css = '.submitButton-customizable { background-color: #2d6a4f; color: white; }\n.background-customizable { background-color: rgb(240, 244, 248); }';
      const set = await s.idp.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: css, ImageFile: PNG_LOGO }));
      assert.equal(set.UICustomization!.ClientId, 'ALL');
      assert.equal(set.UICustomization!.CSS, css);
      const logo = await fetch(set.UICustomization!.ImageUrl!);
      assert.equal(logo.status, 200);
      assert.equal(logo.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await logo.arrayBuffer()), Buffer.from(PNG_LOGO));
      for (const bad of [
        'body { color: red; }',
        '.submitButton-customizable { background: url(https://evil.example/x.png); }',
        '@import "https://evil.example/x.css";',
        '.submitButton-customizable { position: fixed; }',
        '.submitButton-customizable { color: red; } </style><script>alert(1)</script>',
      ]) {
        await refused(s.idp.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: bad })), 'InvalidParameterException');
      }
      await refused(s.idp.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: Buffer.from('GIF89a not png') })), 'InvalidParameterException');
      const client = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }));
      const clientId = client.UserPoolClient!.ClientId!;
      const inherited = await s.idp.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(inherited.UICustomization!.CSS, css);
      await s.idp.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: '.label-customizable { color: #123456; }' }));
      const own = await s.idp.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(own.UICustomization!.ClientId, clientId);
      assert.equal(own.UICustomization!.CSS, '.label-customizable { color: #123456; }');
      await refused(s.idp.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })), 'ResourceNotFoundException');
    });

    test('managed-login branding: one per client, Settings returned as stored, update and delete', async () => {
      const clientId = (await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'branded' }))).UserPoolClient!.ClientId!;
      const settings = { components: { primaryButton: { lightMode: { defaults: { backgroundColor: '7b2cbfff', textColor: 'ffffffff' } } } } };
      const created = (
        await s.idp.send(
          new CreateManagedLoginBrandingCommand({
            UserPoolId: poolId,
            ClientId: clientId,
            Settings: settings,
            Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: PNG_LOGO }],
          }),
        )
      ).ManagedLoginBranding!;
      assert.deepEqual(created.Settings, settings);
      assert.equal(created.Assets!.length, 1);
      await refused(
        s.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true })),
        'ManagedLoginBrandingExistsException',
      );
      await refused(
        s.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true, Settings: {} })),
        'InvalidParameterException',
      );
      const byClient = (await s.idp.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId }))).ManagedLoginBranding!;
      assert.equal(byClient.ManagedLoginBrandingId, created.ManagedLoginBrandingId);
      const updated = (
        await s.idp.send(
          new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: created.ManagedLoginBrandingId, UseCognitoProvidedValues: true }),
        )
      ).ManagedLoginBranding!;
      assert.equal(updated.UseCognitoProvidedValues, true);
      assert.equal(updated.Settings, undefined);
      const id = created.ManagedLoginBrandingId!;
      assert.equal((await s.idp.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }))).ManagedLoginBranding!.UseCognitoProvidedValues, true);
      await s.idp.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }));
      await refused(s.idp.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id })), 'ResourceNotFoundException');
    });
  });
}
