// Developer-authenticated identities: the backend's GetOpenIdTokenForDeveloperIdentity, the app
// using that token as a login, lookup, merge, unlink, and the administrative identity calls.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateIdentityPoolCommand,
  DeleteIdentitiesCommand,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  ListIdentitiesCommand,
  LookupDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand,
  SetIdentityPoolRolesCommand,
  UnlinkDeveloperIdentityCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { GUEST_ROLE, USER_ROLE, appClient, awsKey, createUser, createUserPool, identityClient, rejectsWith, signIn } from './support.js';

const DEV = 'login.tessera.test';
const IDENTITY_KEY = 'cognito-identity.amazonaws.com';

for (const engine of engines) {
  describe(`developer-authenticated identities (${engine})`, () => {
    let s: TestServer;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    let poolId: string;
    let userPool: { poolId: string; clientId: string };

    const devToken = (user: string, extra: Record<string, unknown> = {}) =>
      admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV]: user }, ...extra }));
    const lookup = (input: { IdentityId?: string; DeveloperUserIdentifier?: string; MaxResults?: number; NextToken?: string }) =>
      admin.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, ...input }));

    before(async () => {
      s = await startServer({ engine });
      admin = identityClient(s);
      app = appClient(s);
      userPool = await createUserPool(s);
      const p = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'developer',
          AllowUnauthenticatedIdentities: true,
          AllowClassicFlow: true,
          DeveloperProviderName: DEV,
          CognitoIdentityProviders: [{ ProviderName: awsKey(userPool.poolId), ClientId: userPool.clientId }],
        }),
      );
      poolId = p.IdentityPoolId!;
      await admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { unauthenticated: GUEST_ROLE, authenticated: USER_ROLE } }));
    });
    after(async () => {
      admin.destroy();
      app.destroy();
      await s.close();
    });

    test('one developer user identifier maps to one identity, with a verifiable OpenID token', async () => {
      const a = await devToken('user-1', { TokenDuration: 3600, PrincipalTags: { dept: 'ops' } });
      const b = await devToken('user-1');
      assert.equal(a.IdentityId, b.IdentityId);
      const jwks = createRemoteJWKSet(new URL(`${s.url}/identity/.well-known/jwks.json`));
      const { payload } = await jwtVerify(a.Token!, jwks, { issuer: `${s.url}/identity`, audience: poolId });
      assert.equal(payload.sub, a.IdentityId);
      assert.deepEqual(payload.amr, ['authenticated', DEV, `${DEV}:${poolId}:user-1`]);
      assert.equal(payload.exp! - payload.iat!, 3600);
      assert.deepEqual(payload['https://aws.amazon.com/tags'], { principal_tags: { dept: ['ops'] } });
      const plain = await jwtVerify(b.Token!, jwks, { issuer: `${s.url}/identity`, audience: poolId });
      assert.equal(plain.payload.exp! - plain.payload.iat!, 900, 'default lifetime 15 minutes');
    });

    test("the app gets credentials with the developer token as its login; a foreign or guest token is refused", async () => {
      const { IdentityId, Token } = await devToken('user-app');
      const logins = { [IDENTITY_KEY]: Token! };
      assert.equal((await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins }))).IdentityId, IdentityId);
      const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
      assert.equal(r.IdentityId, IdentityId);
      assert.match(r.Credentials!.AccessKeyId!, /^ASIA/);
      const [h, p] = Token!.split('.');
      await rejectsWith(app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [IDENTITY_KEY]: `${h}.${p}.AAAA` } })), 'NotAuthorizedException');
      await rejectsWith(app.send(new GetCredentialsForIdentityCommand({ IdentityId })), 'NotAuthorizedException', /Logins don't match/);
      // A guest's own OpenID token authenticates nothing.
      const { IdentityId: guest } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      const guestToken = (await app.send(new GetOpenIdTokenCommand({ IdentityId: guest }))).Token!;
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [IDENTITY_KEY]: guestToken } })), 'NotAuthorizedException');
      // A developer token of another identity pool has the wrong audience.
      const other = await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'other_dev', AllowUnauthenticatedIdentities: false, DeveloperProviderName: DEV }));
      const foreign = await admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: other.IdentityPoolId, Logins: { [DEV]: 'user-app' } }));
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [IDENTITY_KEY]: foreign.Token! } })), 'NotAuthorizedException');
    });

    test('a developer user identifier over 1,024 characters or 2,048 bytes of UTF-8 is InvalidParameterException, and no identity is made', async () => {
      for (const id of ['x'.repeat(1025), '漢'.repeat(1000)]) {
        await rejectsWith(devToken(id), 'InvalidParameterException', /1 to 1024 characters/);
      }
      await rejectsWith(lookup({ DeveloperUserIdentifier: '漢'.repeat(1000) }), 'ResourceNotFoundException');
      // At the limits: 1,024 ASCII characters, 682 CJK ones (2,046 bytes).
      for (const id of ['x'.repeat(1024), '漢'.repeat(682)]) {
        const { IdentityId } = await devToken(id);
        assert.equal((await lookup({ DeveloperUserIdentifier: id })).IdentityId, IdentityId);
      }
    });

    test('a missing developer login or a pool without a developer provider is InvalidParameterException', async () => {
      await rejectsWith(admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { 'other.example': 'x' } })), 'InvalidParameterException');
      await rejectsWith(admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: {} })), 'InvalidParameterException');
      await rejectsWith(
        admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV]: 'u', 'other.example': 'x' } })),
        'NotAuthorizedException',
        /not from a supported provider/,
      );
      const plain = await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'nodev', AllowUnauthenticatedIdentities: true }));
      await rejectsWith(
        admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: plain.IdentityPoolId, Logins: { [DEV]: 'u' } })),
        'InvalidParameterException',
      );
    });

    test('a guest identity given as IdentityId takes the developer user; the user cannot move to another identity', async () => {
      const { IdentityId: guest } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      const r = await admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId: guest, Logins: { [DEV]: 'user-2' } }));
      assert.equal(r.IdentityId, guest);
      const { IdentityId: other } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      await rejectsWith(
        admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId: other, Logins: { [DEV]: 'user-2' } })),
        'DeveloperUserAlreadyRegisteredException',
      );
    });

    test('LookupDeveloperIdentity finds by user or identity, and says when they do not match', async () => {
      const { IdentityId } = await devToken('user-look');
      const byUser = await lookup({ DeveloperUserIdentifier: 'user-look' });
      assert.equal(byUser.IdentityId, IdentityId);
      assert.deepEqual(byUser.DeveloperUserIdentifierList, ['user-look']);
      assert.deepEqual((await lookup({ IdentityId })).DeveloperUserIdentifierList, ['user-look']);
      await rejectsWith(lookup({}), 'InvalidParameterException');
      await rejectsWith(lookup({ DeveloperUserIdentifier: 'nobody' }), 'ResourceNotFoundException');
      const { IdentityId: other } = await devToken('user-other');
      await rejectsWith(lookup({ IdentityId: other, DeveloperUserIdentifier: 'user-look' }), 'ResourceConflictException');
    });

    test('MergeDeveloperIdentities moves the source user to the destination identity and disables the source', async () => {
      const { IdentityId: source } = await devToken('user-3');
      const { IdentityId: destination } = await devToken('user-4');
      const merged = await admin.send(
        new MergeDeveloperIdentitiesCommand({ IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'user-3', DestinationUserIdentifier: 'user-4' }),
      );
      assert.equal(merged.IdentityId, destination);
      assert.equal((await devToken('user-3')).IdentityId, destination);
      const first = await lookup({ IdentityId: destination, MaxResults: 1 });
      const second = await lookup({ IdentityId: destination, MaxResults: 1, NextToken: first.NextToken });
      assert.deepEqual([...first.DeveloperUserIdentifierList!, ...second.DeveloperUserIdentifierList!], ['user-3', 'user-4']);
      assert.equal(second.NextToken, undefined);
      const enabled = await admin.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 60, HideDisabled: true }));
      assert.ok(!enabled.Identities!.some((i) => i.IdentityId === source));
      await rejectsWith(
        admin.send(new MergeDeveloperIdentitiesCommand({ IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'nobody', DestinationUserIdentifier: 'user-4' })),
        'ResourceNotFoundException',
      );
    });

    test('UnlinkDeveloperIdentity detaches the user: it gets a new identity next time', async () => {
      const { IdentityId } = await devToken('user-5');
      await admin.send(new UnlinkDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId, DeveloperProviderName: DEV, DeveloperUserIdentifier: 'user-5' }));
      await rejectsWith(lookup({ DeveloperUserIdentifier: 'user-5' }), 'ResourceNotFoundException');
      assert.notEqual((await devToken('user-5')).IdentityId, IdentityId);
      await rejectsWith(
        admin.send(new UnlinkDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId, DeveloperProviderName: DEV, DeveloperUserIdentifier: 'user-5' })),
        'ResourceNotFoundException',
      );
    });

    test('an identity holds one user of a user pool: linking a second is ResourceConflictException', async () => {
      for (const u of ['uma', 'vic']) await createUser(s, userPool.poolId, u);
      const uma = (await signIn(s, userPool.poolId, userPool.clientId, 'uma')).IdToken;
      const vic = (await signIn(s, userPool.poolId, userPool.clientId, 'vic')).IdToken;
      const first = await admin.send(
        new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV]: 'user-6', [awsKey(userPool.poolId)]: uma } }),
      );
      const d = await admin.send(new DescribeIdentityCommand({ IdentityId: first.IdentityId }));
      assert.deepEqual([...d.Logins!].sort(), [awsKey(userPool.poolId), DEV].sort());
      await rejectsWith(
        admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV]: 'user-6', [awsKey(userPool.poolId)]: vic } })),
        'ResourceConflictException',
      );
    });

    test('DescribeIdentity, ListIdentities and DeleteIdentities; a deleted identity loses its credentials', async () => {
      const { IdentityId, Token } = await devToken('user-7');
      const d = await admin.send(new DescribeIdentityCommand({ IdentityId }));
      assert.deepEqual(d.Logins, [DEV]);
      assert.ok(d.CreationDate instanceof Date && d.LastModifiedDate instanceof Date);
      const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [IDENTITY_KEY]: Token! } }));
      const asIdentity = { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretKey!, sessionToken: r.Credentials!.SessionToken! };
      assert.equal((await s.app.credentials(asIdentity.accessKeyId))?.principal.identityId, IdentityId);
      const deleted = await admin.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [IdentityId!] }));
      assert.deepEqual(deleted.UnprocessedIdentityIds, []);
      await rejectsWith(admin.send(new DescribeIdentityCommand({ IdentityId })), 'ResourceNotFoundException');
      const c = identityClient(s, asIdentity);
      try {
        await rejectsWith(c.send(new DescribeIdentityCommand({ IdentityId })), 'UnrecognizedClientException');
      } finally {
        c.destroy();
      }
      await rejectsWith(lookup({ DeveloperUserIdentifier: 'user-7' }), 'ResourceNotFoundException');
    });
  });
}
