// Identity providers through the AWS SDK: OIDC with its secret sealed at rest and given back by
// Describe, the social presets filled in, SAML metadata rules, names, IdpIdentifiers unique per
// pool, paging, and app clients that may then list the providers, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ChangePasswordCommand,
  DeleteUserAttributesCommand,
  UpdateUserAttributesCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  GetIdentityProviderByIdentifierCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../support/server.js';
import { refused } from '../oauth/support.js';
import { userForIdentity, type FederatedUser } from '../../src/federation/federated-user.js';
import { federationOf } from '../../src/federation/index.js';

const OIDC = {
  client_id: 'tessera-rp',
  client_secret: 'upstream-secret-1',
  authorize_scopes: 'openid email',
  oidc_issuer: 'https://issuer.example.com',
  attributes_request_method: 'GET',
};

for (const engine of engines) {
  describe(`identity providers (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      poolId = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'idps' }))).UserPool!.Id!;
    });
    after(() => s.close());

    test('an OIDC provider is created, described with its secret, updated and deleted', async () => {
      const created = (
        await s.idp.send(
          new CreateIdentityProviderCommand({
            UserPoolId: poolId,
            ProviderName: 'Corp',
            ProviderType: 'OIDC',
            ProviderDetails: OIDC,
            AttributeMapping: { email: 'email' },
            IdpIdentifiers: ['corp.example'],
          }),
        )
      ).IdentityProvider!;
      assert.equal(created.ProviderName, 'Corp');
      assert.deepEqual(created.AttributeMapping, { username: 'sub', email: 'email' });
      assert.ok(created.CreationDate instanceof Date);
      const d = (await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }))).IdentityProvider!;
      assert.equal(d.ProviderDetails!.client_secret, 'upstream-secret-1');
      assert.equal(d.ProviderDetails!.oidc_issuer, OIDC.oidc_issuer);
      assert.deepEqual(d.IdpIdentifiers, ['corp.example']);

      const byId = (await s.idp.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'corp.example' }))).IdentityProvider!;
      assert.equal(byId.ProviderName, 'Corp');

      const { client_secret: _kept, ...withoutSecret } = OIDC;
      const u = (
        await s.idp.send(
          new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', ProviderDetails: { ...withoutSecret, authorize_scopes: 'openid' }, IdpIdentifiers: ['corp2.example'] }),
        )
      ).IdentityProvider!;
      assert.equal(u.ProviderDetails!.authorize_scopes, 'openid');
      assert.equal(u.ProviderDetails!.client_secret, 'upstream-secret-1', 'a secret left out of an update is kept');
      assert.deepEqual(u.IdpIdentifiers, ['corp2.example']);
      await refused(s.idp.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'corp.example' })), 'ResourceNotFoundException');

      await s.idp.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
      await refused(s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })), 'ResourceNotFoundException');
      await refused(s.idp.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })), 'ResourceNotFoundException');
    });

    test('social providers get their presets; their name must be their type', async () => {
      const g = (
        await s.idp.send(
          new CreateIdentityProviderCommand({
            UserPoolId: poolId,
            ProviderName: 'Google',
            ProviderType: 'Google',
            ProviderDetails: { client_id: 'g', client_secret: 's', authorize_scopes: 'profile email openid' },
          }),
        )
      ).IdentityProvider!;
      assert.equal(g.ProviderDetails!.authorize_url, 'https://accounts.google.com/o/oauth2/v2/auth');
      assert.equal(g.ProviderDetails!.oidc_issuer, 'https://accounts.google.com');
      assert.equal(g.ProviderDetails!.token_request_method, 'POST');
      await refused(
        s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Facebook2', ProviderType: 'Facebook', ProviderDetails: { client_id: 'f', client_secret: 's', authorize_scopes: 'email' } })),
        'InvalidParameterException',
      );
      await refused(
        s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'g', client_secret: 's', authorize_scopes: 'email' } })),
        'DuplicateProviderException',
      );
    });

    test('bad details, names and mappings are refused', async () => {
      const create = (name: string, type: 'OIDC' | 'SAML', details: Record<string, string>, mapping?: Record<string, string>) =>
        s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name, ProviderType: type, ProviderDetails: details, AttributeMapping: mapping }));
      await refused(create('NoIssuer', 'OIDC', { ...OIDC, oidc_issuer: '' }), 'InvalidParameterException');
      await refused(create('Plain', 'OIDC', { ...OIDC, oidc_issuer: 'http://issuer.example.com' }), 'InvalidParameterException');
      await refused(create('Odd', 'OIDC', { ...OIDC, surprise: 'x' }), 'InvalidParameterException');
      await refused(create('COGNITO', 'OIDC', OIDC), 'InvalidParameterException');
      await refused(create('Mapped', 'OIDC', OIDC, { shoe_size: 'x' }), 'InvalidParameterException');
      await refused(create('Both', 'SAML', { MetadataURL: 'https://idp.example.com/md', MetadataFile: '<x/>' }), 'InvalidParameterException');
      await refused(create('Neither', 'SAML', {}), 'InvalidParameterException');
      // SAML metadata is read at create time (saml-sign-in.test.ts creates working ones).
      await refused(create('Okta', 'SAML', { MetadataURL: 'http://127.0.0.1:9/md' }), 'InvalidParameterException');
      await refused(create('Okta', 'SAML', { MetadataFile: '<x/>' }), 'InvalidParameterException');
    });

    test('IdpIdentifiers are unique per pool', async () => {
      await s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'One', ProviderType: 'OIDC', ProviderDetails: OIDC, IdpIdentifiers: ['shared'] }));
      await refused(
        s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Two', ProviderType: 'OIDC', ProviderDetails: OIDC, IdpIdentifiers: ['shared'] })),
        'DuplicateProviderException',
      );
      await refused(s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Two' })), 'ResourceNotFoundException');
      await s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Two', ProviderType: 'OIDC', ProviderDetails: OIDC }));
      await refused(s.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Two', IdpIdentifiers: ['shared'] })), 'InvalidParameterException');
    });

    test('providers are listed in pages and app clients may support them', async () => {
      const other = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'idps-list' }))).UserPool!.Id!;
      for (const name of ['Alpha', 'Beta', 'Gamma']) {
        await s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: other, ProviderName: name, ProviderType: 'OIDC', ProviderDetails: OIDC }));
      }
      const first = await s.idp.send(new ListIdentityProvidersCommand({ UserPoolId: other, MaxResults: 2 }));
      assert.deepEqual(first.Providers!.map((p) => p.ProviderName), ['Alpha', 'Beta']);
      assert.equal(first.Providers![0].ProviderType, 'OIDC');
      const second = await s.idp.send(new ListIdentityProvidersCommand({ UserPoolId: other, MaxResults: 2, NextToken: first.NextToken }));
      assert.deepEqual(second.Providers!.map((p) => p.ProviderName), ['Gamma']);
      assert.equal(second.NextToken, undefined);

      const c = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: other, ClientName: 'web', SupportedIdentityProviders: ['COGNITO', 'Beta'] }));
      const d = await s.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: other, ClientId: c.UserPoolClient!.ClientId! }));
      assert.deepEqual(d.UserPoolClient!.SupportedIdentityProviders, ['COGNITO', 'Beta']);
      await refused(s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: other, ClientName: 'web', SupportedIdentityProviders: ['Nope'] })), 'InvalidParameterException');
    });

    test('first sign-ins of one upstream user at the same time end as one user; a native user who took the name is refused', async () => {
      const pool = await s.app.pools.get(poolId);
      await s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Racy', ProviderType: 'OIDC', ProviderDetails: OIDC, AttributeMapping: { email: 'email' } }));
      const provider = await federationOf(s.app).providers.find(poolId, 'Racy');
      assert.ok(provider);
      for (let round = 0; round < 4; round++) {
        const claims = { sub: `racer-${round}`, email: `racer-${round}@example.com` };
        const outcomes: FederatedUser[] = await Promise.all(Array.from({ length: 4 }, () => userForIdentity(s.app, pool, provider!, claims, 'client')));
        const users: { id: string; username: string }[] = outcomes.map((f) => f.user);
        assert.equal(new Set(users.map((u) => u.id)).size, 1, `round ${round}`);
        // One of the four made the user: that sign-in alone is the identity's first (PostConfirmation).
        assert.equal(outcomes.filter((f) => f.created).length, 1, `round ${round}`);
        assert.equal(users[0]!.username, `Racy_racer-${round}`);
      }
      await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'Racy_taken', MessageAction: 'SUPPRESS' }));
      await assert.rejects(userForIdentity(s.app, pool, provider!, { sub: 'taken' }, 'client'), /taken by a user who is not this Racy user/);
    });

    test("a federated user cannot set a local password, and no user can write the identities attribute", async () => {
      const pool = await s.app.pools.get(poolId);
      await s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Fedd', ProviderType: 'OIDC', ProviderDetails: OIDC }));
      const provider = (await federationOf(s.app).providers.find(poolId, 'Fedd'))!;
      const clientId = (await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'self' }))).UserPoolClient!.ClientId!;
      const client = await s.app.pools.getClient(poolId, clientId);
      const pub = publicClient(s.url);
      try {
        const fed = (await userForIdentity(s.app, pool, provider, { sub: 'ext-1' }, clientId)).user;
        const fedTokens = await s.app.tokens.issueForSignIn({ pool, client, user: fed });
        await assert.rejects(pub.send(new ChangePasswordCommand({ AccessToken: fedTokens.AccessToken!, ProposedPassword: 'Local-Passw0rd!' })), { name: 'NotAuthorizedException' });
        assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Fedd_ext-1' }))).UserStatus, 'EXTERNAL_PROVIDER');

        await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'native-forger', MessageAction: 'SUPPRESS' }));
        const native = (await s.app.users.find(pool, 'native-forger'))!;
        const nativeTokens = await s.app.tokens.issueForSignIn({ pool, client, user: native });
        const forged = JSON.stringify([{ providerName: 'Fedd', userId: 'ceo', providerType: 'OIDC', primary: 'true' }]);
        await assert.rejects(
          pub.send(new UpdateUserAttributesCommand({ AccessToken: nativeTokens.AccessToken!, UserAttributes: [{ Name: 'identities', Value: forged }] })),
          { name: 'NotAuthorizedException' },
        );
        await assert.rejects(pub.send(new DeleteUserAttributesCommand({ AccessToken: fedTokens.AccessToken!, UserAttributeNames: ['identities'] })), { name: 'NotAuthorizedException' });
      } finally {
        pub.destroy();
      }
    });

    test('attribute mapping: identities cannot be mapped; verified flags are normalized; an immutable attribute keeps its first value', async () => {
      const schemaPool = (
        await s.idp.send(new CreateUserPoolCommand({ PoolName: 'mapped', Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: false }] }))
      ).UserPool!.Id!;
      await refused(
        s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: schemaPool, ProviderName: 'Bad', ProviderType: 'OIDC', ProviderDetails: OIDC, AttributeMapping: { identities: 'groups' } })),
        'InvalidParameterException',
      );
      await s.idp.send(
        new CreateIdentityProviderCommand({
          UserPoolId: schemaPool,
          ProviderName: 'Mapper',
          ProviderType: 'OIDC',
          ProviderDetails: OIDC,
          AttributeMapping: { email: 'email', email_verified: 'email_verified', phone_number_verified: 'pv', 'custom:tier': 'tier' },
        }),
      );
      const pool = await s.app.pools.get(schemaPool);
      const provider = (await federationOf(s.app).providers.find(schemaPool, 'Mapper'))!;
      const first = (await userForIdentity(s.app, pool, provider, { sub: 'm-1', email: 'm@example.com', email_verified: true, pv: 'yes', tier: 'gold' }, 'client')).user;
      assert.equal(first.attributes.email_verified, 'true');
      assert.equal(first.attributes.phone_number_verified, undefined);
      assert.equal(first.attributes['custom:tier'], 'gold');
      const again = (await userForIdentity(s.app, pool, provider, { sub: 'm-1', email: 'm2@example.com', email_verified: 'False', tier: 'platinum' }, 'client')).user;
      assert.equal(again.attributes.email, 'm2@example.com');
      assert.equal(again.attributes.email_verified, 'false');
      assert.equal(again.attributes['custom:tier'], 'gold');
      assert.equal(JSON.parse(again.attributes.identities!)[0].providerName, 'Mapper');
    });

    test('an auto-linked native user keeps its attributes: a provider value that could not be stored does not refuse its sign-in; a federated user\'s does', async () => {
      const linkPool = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'linked', Schema: [{ Name: 'tier', AttributeDataType: 'String' }] }))).UserPool!.Id!;
      await s.idp.send(
        new CreateIdentityProviderCommand({
          UserPoolId: linkPool,
          ProviderName: 'Mapper',
          ProviderType: 'OIDC',
          ProviderDetails: { ...OIDC, tessera_auto_link_verified_email: 'true' },
          AttributeMapping: { email: 'email', 'custom:tier': 'tier' },
        }),
      );
      const pool = await s.app.pools.get(linkPool);
      const provider = (await federationOf(s.app).providers.find(linkPool, 'Mapper'))!;
      await s.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: linkPool,
          Username: 'native-linked',
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: 'native@example.com' },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      const tooLong = 'x'.repeat(3000);
      const linked = await userForIdentity(s.app, pool, provider, { sub: 'linked-1', email: 'native@example.com', email_verified: true, tier: tooLong }, 'client');
      assert.equal(linked.user.username, 'native-linked');
      assert.equal(linked.created, false);
      assert.equal(linked.user.attributes['custom:tier'], undefined);
      await assert.rejects(userForIdentity(s.app, pool, provider, { sub: 'unlinked-1', email: 'u@example.com', tier: tooLong }, 'client'), /the value of custom:tier is not one Tessera can keep/);
    });
  });
}
