// Identity pool administration: create, describe, full-replacement update, list with page
// tokens, delete, roles and role mappings, tags by ARN, principal-tag maps.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdCommand,
  GetIdentityPoolRolesCommand,
  GetOpenIdTokenCommand,
  GetPrincipalTagAttributeMapCommand,
  ListIdentityPoolsCommand,
  ListTagsForResourceCommand,
  SetIdentityPoolRolesCommand,
  SetPrincipalTagAttributeMapCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIdentityPoolCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import { decodeJwt } from 'jose';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { GUEST_ROLE, USER_ROLE, appClient, awsKey, createUser, createUserPool, identityClient, rejectsWith, signIn } from './support.js';

const UNKNOWN = 'us-east-1:00000000-0000-0000-0000-0000000000aa';
const arnOf = (id: string) => `arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${id}`;

for (const engine of engines) {
  describe(`identity pool administration (${engine})`, () => {
    let s: TestServer;
    let admin: CognitoIdentityClient;
    before(async () => {
      s = await startServer({ engine });
      admin = identityClient(s);
    });
    after(async () => {
      admin.destroy();
      await s.close();
    });

    test('CreateIdentityPool returns the pool as DescribeIdentityPool later reads it, with defaults filled in', async () => {
      const created = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'my pool',
          AllowUnauthenticatedIdentities: false,
          DeveloperProviderName: 'login.example',
          CognitoIdentityProviders: [{ ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc', ClientId: 'client1' }],
          IdentityPoolTags: { team: 'id' },
        }),
      );
      assert.match(created.IdentityPoolId!, /^us-east-1:[0-9a-f-]{36}$/);
      const described = await admin.send(new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }));
      const { $metadata: _a, ...c } = created;
      const { $metadata: _b, ...d } = described;
      assert.deepEqual(d, c);
      assert.equal(d.IdentityPoolName, 'my pool');
      assert.equal(d.AllowClassicFlow, false);
      assert.deepEqual(d.CognitoIdentityProviders, [
        { ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc', ClientId: 'client1', ServerSideTokenCheck: false },
      ]);
      assert.deepEqual(d.IdentityPoolTags, { team: 'id' });
    });

    test('invalid names and provider names are InvalidParameterException; unknown pools ResourceNotFoundException', async () => {
      await rejectsWith(admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'bad/name', AllowUnauthenticatedIdentities: true })), 'InvalidParameterException');
      await rejectsWith(
        admin.send(
          new CreateIdentityPoolCommand({
            IdentityPoolName: 'x',
            AllowUnauthenticatedIdentities: true,
            CognitoIdentityProviders: [{ ProviderName: 'not-a-user-pool', ClientId: 'c' }],
          }),
        ),
        'InvalidParameterException',
      );
      await rejectsWith(admin.send(new DescribeIdentityPoolCommand({ IdentityPoolId: UNKNOWN })), 'ResourceNotFoundException');
      await rejectsWith(
        admin.send(new UpdateIdentityPoolCommand({ IdentityPoolId: UNKNOWN, IdentityPoolName: 'x', AllowUnauthenticatedIdentities: true })),
        'ResourceNotFoundException',
      );
      await rejectsWith(admin.send(new DeleteIdentityPoolCommand({ IdentityPoolId: UNKNOWN })), 'ResourceNotFoundException');
    });

    test('UpdateIdentityPool replaces the settings: what it leaves out goes back to defaults; tags stay', async () => {
      const { IdentityPoolId } = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'before',
          AllowUnauthenticatedIdentities: true,
          AllowClassicFlow: true,
          SupportedLoginProviders: { 'accounts.google.com': 'google-client' },
          CognitoIdentityProviders: [{ ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc', ClientId: 'c1' }],
          DeveloperProviderName: 'dev.example',
          IdentityPoolTags: { keep: 'me' },
        }),
      );
      const updated = await admin.send(new UpdateIdentityPoolCommand({ IdentityPoolId, IdentityPoolName: 'after', AllowUnauthenticatedIdentities: false }));
      const d = await admin.send(new DescribeIdentityPoolCommand({ IdentityPoolId }));
      for (const r of [updated, d]) {
        assert.equal(r.IdentityPoolName, 'after');
        assert.equal(r.AllowUnauthenticatedIdentities, false);
        assert.equal(r.AllowClassicFlow, false);
        assert.deepEqual(r.SupportedLoginProviders ?? {}, {});
        assert.deepEqual(r.CognitoIdentityProviders ?? [], []);
        assert.equal(r.DeveloperProviderName, 'dev.example', 'a developer provider name cannot be removed');
        assert.deepEqual(r.IdentityPoolTags, { keep: 'me' });
      }
      await rejectsWith(
        admin.send(new UpdateIdentityPoolCommand({ IdentityPoolId, IdentityPoolName: 'after', AllowUnauthenticatedIdentities: false, DeveloperProviderName: 'other' })),
        'InvalidParameterException',
      );
    });

    test('DeleteIdentityPool removes the pool and its identities', async () => {
      const { IdentityPoolId } = await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'doomed', AllowUnauthenticatedIdentities: true }));
      const app = appClient(s);
      try {
        const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId }));
        await admin.send(new DeleteIdentityPoolCommand({ IdentityPoolId }));
        await rejectsWith(admin.send(new DescribeIdentityPoolCommand({ IdentityPoolId })), 'ResourceNotFoundException');
        await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId })), 'ResourceNotFoundException');
        await rejectsWith(app.send(new GetOpenIdTokenCommand({ IdentityId })), 'ResourceNotFoundException');
      } finally {
        app.destroy();
      }
    });

    test('ListIdentityPools pages through every pool once; a tampered token is InvalidParameterException', async () => {
      const mine = new Set<string>();
      for (let i = 0; i < 5; i++) {
        mine.add((await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: `list${i}`, AllowUnauthenticatedIdentities: true }))).IdentityPoolId!);
      }
      const seen: string[] = [];
      let NextToken: string | undefined;
      const tokens = new Set<string>();
      do {
        const page = await admin.send(new ListIdentityPoolsCommand({ MaxResults: 2, NextToken }));
        assert.ok(page.IdentityPools!.length <= 2);
        seen.push(...page.IdentityPools!.map((p) => p.IdentityPoolId!));
        NextToken = page.NextToken;
        if (NextToken) {
          assert.ok(!tokens.has(NextToken), 'never the same token twice');
          tokens.add(NextToken);
        }
      } while (NextToken);
      assert.equal(new Set(seen).size, seen.length, 'no pool twice');
      for (const id of mine) assert.ok(seen.includes(id));
      const first = await admin.send(new ListIdentityPoolsCommand({ MaxResults: 1 }));
      await rejectsWith(admin.send(new ListIdentityPoolsCommand({ MaxResults: 1, NextToken: first.NextToken!.slice(0, -2) + (first.NextToken!.endsWith('xy') ? 'yx' : 'xy') })), 'InvalidParameterException');
    });

    test('SetIdentityPoolRoles and GetIdentityPoolRoles round-trip roles and role mappings; bad mappings are refused', async () => {
      const { IdentityPoolId } = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'roles',
          AllowUnauthenticatedIdentities: true,
          CognitoIdentityProviders: [{ ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc', ClientId: 'client1' }],
        }),
      );
      const RoleMappings = {
        'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc:client1': {
          Type: 'Rules' as const,
          AmbiguousRoleResolution: 'Deny' as const,
          RulesConfiguration: { Rules: [{ Claim: 'custom:dept', MatchType: 'Equals' as const, Value: 'ops', RoleARN: USER_ROLE }] },
        },
      };
      await admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: USER_ROLE, unauthenticated: GUEST_ROLE }, RoleMappings }));
      const r = await admin.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }));
      assert.equal(r.IdentityPoolId, IdentityPoolId);
      assert.deepEqual(r.Roles, { authenticated: USER_ROLE, unauthenticated: GUEST_ROLE });
      assert.deepEqual(r.RoleMappings, RoleMappings);
      await rejectsWith(
        admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: {}, RoleMappings: { p: { Type: 'Rules', AmbiguousRoleResolution: 'Deny' } } })),
        'InvalidParameterException',
      );
      await rejectsWith(admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: {}, RoleMappings: { p: { Type: 'Token' } } })), 'InvalidParameterException');
      // A provider the pool does not trust, or another app client of its user pool (Cognito's words).
      for (const key of [
        'graph.facebook.com',
        'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc:client2',
        'cognito-idp.us-east-1.amazonaws.com/us-east-1_Xyz:client1',
        'evil.example/us-east-1_Abc:client1',
      ]) {
        await rejectsWith(
          admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: {}, RoleMappings: { [key]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } } })),
          'InvalidParameterException',
          new RegExp(`${key.replace(/[.]/g, '\\.')} is not a valid RoleMapping ProviderName or is not a configured provider`),
        );
      }
      assert.deepEqual((await admin.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }))).RoleMappings, RoleMappings);
      await rejectsWith(admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { admin: USER_ROLE } })), 'InvalidParameterException');
      await rejectsWith(admin.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: UNKNOWN })), 'ResourceNotFoundException');
    });

    test('tags by identity pool ARN: TagResource, ListTagsForResource, UntagResource', async () => {
      const { IdentityPoolId } = await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'tags', AllowUnauthenticatedIdentities: true }));
      const ResourceArn = arnOf(IdentityPoolId!);
      await admin.send(new TagResourceCommand({ ResourceArn, Tags: { a: '1', b: '2' } }));
      await admin.send(new TagResourceCommand({ ResourceArn, Tags: { b: '3' } }));
      assert.deepEqual((await admin.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, { a: '1', b: '3' });
      await admin.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['a'] }));
      assert.deepEqual((await admin.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, { b: '3' });
      assert.deepEqual((await admin.send(new DescribeIdentityPoolCommand({ IdentityPoolId }))).IdentityPoolTags, { b: '3' });
      await rejectsWith(admin.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x' })), 'InvalidParameterException');
      await rejectsWith(admin.send(new TagResourceCommand({ ResourceArn: arnOf(UNKNOWN), Tags: { a: '1' } })), 'ResourceNotFoundException');
    });

    test('a principal-tag map round-trips, and its defaults put the user and client into the OpenID token', async () => {
      const { poolId, clientId } = await createUserPool(s);
      await createUser(s, poolId, 'tagged');
      const { IdToken } = await signIn(s, poolId, clientId, 'tagged');
      const { IdentityPoolId } = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'principal_tags',
          AllowUnauthenticatedIdentities: false,
          AllowClassicFlow: true,
          CognitoIdentityProviders: [{ ProviderName: awsKey(poolId), ClientId: clientId }],
        }),
      );
      const set = await admin.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: awsKey(poolId), UseDefaults: true }));
      assert.equal(set.UseDefaults, true);
      const got = await admin.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: awsKey(poolId) }));
      assert.equal(got.UseDefaults, true);
      const app = appClient(s);
      try {
        const logins = { [awsKey(poolId)]: IdToken };
        const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId, Logins: logins }));
        const { Token } = await app.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins }));
        const sub = decodeJwt(IdToken).sub;
        assert.deepEqual(decodeJwt(Token!)['https://aws.amazon.com/tags'], { principal_tags: { username: [sub], client: [clientId] } });
      } finally {
        app.destroy();
      }
      await admin.send(
        new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: awsKey(poolId), UseDefaults: false, PrincipalTags: { who: 'cognito:username' } }),
      );
      const again = await admin.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: awsKey(poolId) }));
      assert.deepEqual({ UseDefaults: again.UseDefaults, PrincipalTags: again.PrincipalTags }, { UseDefaults: false, PrincipalTags: { who: 'cognito:username' } });
    });
  });
}
