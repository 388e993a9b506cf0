// GetCredentialsForIdentity with TESSERA_STS_ENDPOINT set: Tessera picks the role (roles, role
// mappings by token or by claim rules) and asks the STS-compatible server for credentials with the
// identity's OpenID token, which that server verifies against Tessera's identity JWKS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
  type CognitoIdentityClient,
  type RoleMapping,
} from '@aws-sdk/client-cognito-identity';
import { AdminAddUserToGroupCommand, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { GUEST_ROLE, USER_ROLE, appClient, awsKey, createUser, createUserPool, identityClient, issuerKey, rejectsWith, signIn } from './support.js';
import { startSts, type FakeSts } from './sts-server.js';

const ADMIN_ROLE = 'arn:aws:iam::000000000000:role/tessera-admins';
const EDITOR_ROLE = 'arn:aws:iam::000000000000:role/tessera-editors';

for (const engine of engines) {
  describe(`credentials through an STS-compatible server (${engine})`, () => {
    let s: TestServer;
    let sts: FakeSts;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    let poolId: string;
    let clientId: string;
    const tokens: Record<string, string> = {};

    /** An identity pool trusting the user pool client, with the given role mapping for it. */
    async function identityPool(mapping?: RoleMapping): Promise<string> {
      const p = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'sts_test',
          AllowUnauthenticatedIdentities: true,
          CognitoIdentityProviders: [{ ProviderName: awsKey(poolId), ClientId: clientId }],
        }),
      );
      const id = p.IdentityPoolId!;
      await admin.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: id,
          Roles: { unauthenticated: GUEST_ROLE, authenticated: USER_ROLE },
          ...(mapping ? { RoleMappings: { [`${awsKey(poolId)}:${clientId}`]: mapping } } : {}),
        }),
      );
      for (const role of [USER_ROLE, ADMIN_ROLE, EDITOR_ROLE]) sts.trust(role, id, 'authenticated');
      return id;
    }

    /** Credentials for the user's identity, and the STS call that made them. */
    async function credentialsOf(identityPoolId: string, user: string, customRoleArn?: string) {
      const logins = { [issuerKey(s, poolId)]: tokens[user] };
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
      const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins, CustomRoleArn: customRoleArn }));
      const call = sts.calls.find((c) => c.accessKeyId === r.Credentials!.AccessKeyId);
      assert.ok(call, 'the credentials come from the STS server');
      return { identityId: IdentityId!, credentials: r.Credentials!, call };
    }

    before(async () => {
      sts = await startSts(() => s.url);
      s = await startServer({ engine, env: { TESSERA_STS_ENDPOINT: sts.url } });
      admin = identityClient(s);
      app = appClient(s);
      ({ poolId, clientId } = await createUserPool(s));
      await s.idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
      await s.idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', RoleArn: EDITOR_ROLE, Precedence: 1 }));
      for (const [user, group] of [['alice', 'admins'], ['bob', undefined], ['carol', 'editors']] as const) {
        await createUser(s, poolId, user);
        if (group) await s.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: user, GroupName: group }));
        tokens[user] = (await signIn(s, poolId, clientId, user)).IdToken;
      }
    });
    after(async () => {
      admin.destroy();
      app.destroy();
      await s.close();
      await sts.close();
    });

    test('a guest gets credentials of the unauthenticated role, from a token STS verified as unauthenticated', async () => {
      const id = await identityPool();
      sts.trust(GUEST_ROLE, id, 'unauthenticated');
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: id }));
      const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId }));
      const call = sts.calls.find((c) => c.accessKeyId === r.Credentials!.AccessKeyId)!;
      assert.equal(call.roleArn, GUEST_ROLE);
      assert.equal(call.sub, IdentityId);
      assert.equal(call.aud, id);
      assert.deepEqual(call.amr, ['unauthenticated']);
      assert.equal(call.sessionName, 'CognitoIdentityCredentials');
      assert.ok(r.Credentials!.SecretKey && r.Credentials!.SessionToken);
      assert.ok(Math.abs(r.Credentials!.Expiration!.getTime() - (Date.now() + 3600 * 1000)) < 60 * 1000);
    });

    test('a claim rule (cognito:groups Contains admins) picks the role; no match falls back to the authenticated role', async () => {
      const id = await identityPool({
        Type: 'Rules',
        AmbiguousRoleResolution: 'AuthenticatedRole',
        RulesConfiguration: { Rules: [{ Claim: 'cognito:groups', MatchType: 'Contains', Value: 'admins', RoleARN: ADMIN_ROLE }] },
      });
      const alice = await credentialsOf(id, 'alice');
      assert.equal(alice.call.roleArn, ADMIN_ROLE);
      assert.equal(alice.call.sub, alice.identityId);
      const sub = decodeJwt(tokens.alice).sub;
      assert.deepEqual(alice.call.amr, ['authenticated', awsKey(poolId), `${awsKey(poolId)}:CognitoSignIn:${sub}`]);
      const bob = await credentialsOf(id, 'bob');
      assert.equal(bob.call.roleArn, USER_ROLE);
    });

    test('AmbiguousRoleResolution Deny refuses a user no rule matches', async () => {
      const id = await identityPool({
        Type: 'Rules',
        AmbiguousRoleResolution: 'Deny',
        RulesConfiguration: { Rules: [{ Claim: 'cognito:username', MatchType: 'StartsWith', Value: 'ali', RoleARN: ADMIN_ROLE }] },
      });
      assert.equal((await credentialsOf(id, 'alice')).call.roleArn, ADMIN_ROLE);
      await rejectsWith(credentialsOf(id, 'bob'), 'NotAuthorizedException');
    });

    test('Equals matches the claim exactly, and NotEqual does not match an absent claim', async () => {
      const id = await identityPool({
        Type: 'Rules',
        AmbiguousRoleResolution: 'AuthenticatedRole',
        RulesConfiguration: {
          Rules: [
            { Claim: 'custom:missing', MatchType: 'NotEqual', Value: 'x', RoleARN: ADMIN_ROLE },
            { Claim: 'cognito:username', MatchType: 'Equals', Value: 'bob', RoleARN: EDITOR_ROLE },
          ],
        },
      });
      assert.equal((await credentialsOf(id, 'bob')).call.roleArn, EDITOR_ROLE);
      assert.equal((await credentialsOf(id, 'alice')).call.roleArn, USER_ROLE);
    });

    test('a Token mapping uses cognito:preferred_role, and a CustomRoleArn must be one of cognito:roles', async () => {
      const id = await identityPool({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' });
      assert.equal((await credentialsOf(id, 'carol')).call.roleArn, EDITOR_ROLE);
      assert.equal((await credentialsOf(id, 'carol', EDITOR_ROLE)).call.roleArn, EDITOR_ROLE);
      await rejectsWith(credentialsOf(id, 'carol', ADMIN_ROLE), 'NotAuthorizedException');
      assert.equal((await credentialsOf(id, 'bob')).call.roleArn, USER_ROLE);
    });

    test("a role whose trust policy refuses the pool is InvalidIdentityPoolConfigurationException", async () => {
      const id = await identityPool();
      // The role trusts another pool only.
      sts.trust(GUEST_ROLE, 'us-east-1:00000000-0000-0000-0000-00000000000f', 'unauthenticated');
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: id }));
      await rejectsWith(app.send(new GetCredentialsForIdentityCommand({ IdentityId })), 'InvalidIdentityPoolConfigurationException');
    });
  });

  describe(`an unreachable STS (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine, env: { TESSERA_STS_ENDPOINT: 'http://127.0.0.1:9' } })));
    after(() => s.close());

    test('is ExternalServiceException', async () => {
      const admin = identityClient(s);
      const app = appClient(s);
      try {
        const poolId = (await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'x', AllowUnauthenticatedIdentities: true }))).IdentityPoolId!;
        await admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { unauthenticated: GUEST_ROLE } }));
        const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
        await rejectsWith(app.send(new GetCredentialsForIdentityCommand({ IdentityId })), 'ExternalServiceException');
      } finally {
        admin.destroy();
        app.destroy();
      }
    });
  });
}
