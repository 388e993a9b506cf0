// Identities of user pool users: GetId with a Tessera user pool ID token under either provider
// name, the token checks (signature, issuer, audience, token use, expiry, revocation), the guest
// that signs in keeping its id, merging, and the authenticated OpenID token.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateIdentityPoolCommand,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  ListIdentitiesCommand,
  SetIdentityPoolRolesCommand,
  UnlinkIdentityCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import { AdminUserGlobalSignOutCommand, DeleteUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { ManualClock } from '../../../src/clock.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import {
  GUEST_ROLE,
  USER_ROLE,
  appClient,
  awsKey,
  createAppClient,
  createUser,
  createUserPool,
  identityClient,
  issuerKey,
  rejectsWith,
  signIn,
} from './support.js';

for (const engine of engines) {
  describe(`identities of user pool users (${engine})`, () => {
    let s: TestServer;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    let poolId: string;
    let clientId: string;
    let otherClientId: string;
    let identityPoolId: string;
    const clock = new ManualClock();

    async function identityPool(serverSideTokenCheck = false, providerName = awsKey(poolId)): Promise<string> {
      const p = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'user_pool_logins',
          AllowUnauthenticatedIdentities: true,
          AllowClassicFlow: true,
          CognitoIdentityProviders: [{ ProviderName: providerName, ClientId: clientId, ServerSideTokenCheck: serverSideTokenCheck }],
        }),
      );
      await admin.send(
        new SetIdentityPoolRolesCommand({ IdentityPoolId: p.IdentityPoolId!, Roles: { unauthenticated: GUEST_ROLE, authenticated: USER_ROLE } }),
      );
      return p.IdentityPoolId!;
    }

    const newUser = async (name: string, client = clientId) => {
      await createUser(s, poolId, name);
      return signIn(s, poolId, client, name);
    };

    before(async () => {
      s = await startServer({ engine, clock });
      admin = identityClient(s);
      app = appClient(s);
      ({ poolId, clientId } = await createUserPool(s));
      otherClientId = await createAppClient(s, poolId, 'other');
      identityPoolId = await identityPool();
    });
    after(async () => {
      admin.destroy();
      app.destroy();
      await s.close();
    });

    test('GetId with the same user returns the same identity, under the issuer key and the AWS-form key alike', async () => {
      const { IdToken } = await newUser('dana');
      const a = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [issuerKey(s, poolId)]: IdToken } }));
      const b = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [issuerKey(s, poolId)]: IdToken } }));
      const c = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [awsKey(poolId)]: IdToken } }));
      assert.equal(a.IdentityId, b.IdentityId);
      assert.equal(a.IdentityId, c.IdentityId);
      const d = await admin.send(new DescribeIdentityCommand({ IdentityId: a.IdentityId }));
      assert.deepEqual(d.Logins, [awsKey(poolId)]);
    });

    test('parallel first sign-ins of one user end with one identity', async () => {
      const { IdToken } = await newUser('nina');
      const logins = { [awsKey(poolId)]: IdToken };
      const ids = await Promise.all(Array.from({ length: 8 }, () => app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }))));
      assert.equal(new Set(ids.map((r) => r.IdentityId)).size, 1);
    });

    test('a pool configured with the issuer-form provider name accepts the same tokens', async () => {
      const id = await identityPool(false, issuerKey(s, poolId));
      const { IdToken } = await newUser('erin');
      const a = await app.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [awsKey(poolId)]: IdToken } }));
      const b = await app.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [issuerKey(s, poolId)]: IdToken } }));
      assert.equal(a.IdentityId, b.IdentityId);
    });

    test('forged, expired, access and foreign-client tokens are NotAuthorizedException', async () => {
      const { IdToken, AccessToken } = await newUser('frank');
      const key = issuerKey(s, poolId);
      const [h, p, sig] = IdToken.split('.');
      const claims = decodeJwt(IdToken);
      const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-0000-0000-000000000000' })).toString('base64url');
      const getId = (token: string) => app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [key]: token } }));
      await rejectsWith(getId(`${h}.${forgedPayload}.${sig}`), 'NotAuthorizedException', /Invalid login token/);
      await rejectsWith(getId(`${h}.${p}.${sig.slice(0, -4)}AAAA`), 'NotAuthorizedException', /Invalid login token/);
      await rejectsWith(getId(AccessToken), 'NotAuthorizedException', /Invalid login token/);
      const { IdToken: foreign } = await newUser('gina', otherClientId);
      await rejectsWith(getId(foreign), 'NotAuthorizedException', /audience/);
      const saved = clock.now();
      clock.set((claims.exp! + 1) * 1000);
      try {
        await rejectsWith(getId(IdToken), 'NotAuthorizedException', /expired/i);
      } finally {
        clock.set(saved);
      }
      assert.ok((await getId(IdToken)).IdentityId, 'the untouched token is valid');
    });

    test('a token for a pool the identity pool does not trust, or a provider Tessera does not verify, is NotAuthorizedException', async () => {
      const { IdToken } = await newUser('hank');
      const other = await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'no_providers', AllowUnauthenticatedIdentities: true }));
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: other.IdentityPoolId!, Logins: { [awsKey(poolId)]: IdToken } })),
        'NotAuthorizedException',
        /not from a supported provider/,
      );
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { 'accounts.google.com': IdToken } })),
        'NotAuthorizedException',
        /not from a supported provider/,
      );
    });

    test("a deleted user pool's ID tokens are NotAuthorizedException at once", async () => {
      const gone = await createUserPool(s, 'doomed');
      await createUser(s, gone.poolId, 'ivy');
      const { IdToken } = await signIn(s, gone.poolId, gone.clientId, 'ivy');
      const pool = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'trusts_a_deleted_pool',
          AllowUnauthenticatedIdentities: false,
          CognitoIdentityProviders: [{ ProviderName: awsKey(gone.poolId), ClientId: gone.clientId }],
        }),
      );
      const login = { IdentityPoolId: pool.IdentityPoolId!, Logins: { [awsKey(gone.poolId)]: IdToken! } };
      await app.send(new GetIdCommand(login));
      await s.idp.send(new DeleteUserPoolCommand({ UserPoolId: gone.poolId }));
      await rejectsWith(app.send(new GetIdCommand(login)), 'NotAuthorizedException');
    });

    test('a guest that signs in keeps its identity id and needs its login from then on', async () => {
      const { IdToken } = await newUser('ivy');
      const logins = { [issuerKey(s, poolId)]: IdToken };
      const { IdentityId: guest } = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId }));
      const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId: guest, Logins: logins }));
      assert.equal(r.IdentityId, guest);
      assert.equal((await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }))).IdentityId, guest);
      await rejectsWith(app.send(new GetCredentialsForIdentityCommand({ IdentityId: guest })), 'NotAuthorizedException', /Logins don't match/);
    });

    test('a guest that signs in as a user who has an identity merges into it; the merged guest is disabled', async () => {
      const { IdToken } = await newUser('jack');
      const logins = { [awsKey(poolId)]: IdToken };
      const { IdentityId: known } = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
      const { IdentityId: guest } = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId }));
      const r = await app.send(new GetOpenIdTokenCommand({ IdentityId: guest, Logins: logins }));
      assert.equal(r.IdentityId, known);
      await rejectsWith(app.send(new GetOpenIdTokenCommand({ IdentityId: guest })), 'NotAuthorizedException');
      const listed = async (hide: boolean) => {
        const ids: string[] = [];
        let NextToken: string | undefined;
        do {
          const page = await admin.send(new ListIdentitiesCommand({ IdentityPoolId: identityPoolId, MaxResults: 60, HideDisabled: hide, NextToken }));
          ids.push(...page.Identities!.map((i) => i.IdentityId!));
          NextToken = page.NextToken;
        } while (NextToken);
        return ids;
      };
      assert.ok((await listed(false)).includes(guest!));
      assert.ok(!(await listed(true)).includes(guest!));
      assert.ok((await listed(true)).includes(known!));
    });

    test("an authenticated identity's OpenID token names the provider and the user's sub in amr", async () => {
      const { IdToken } = await newUser('kate');
      const logins = { [issuerKey(s, poolId)]: IdToken };
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
      const r = await app.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins }));
      const { payload } = await jwtVerify(r.Token!, createRemoteJWKSet(new URL(`${s.url}/identity/.well-known/jwks_uri`)), {
        issuer: `${s.url}/identity`,
        audience: identityPoolId,
        currentDate: new Date(clock.now()),
      });
      assert.equal(payload.sub, IdentityId);
      const sub = decodeJwt(IdToken).sub;
      assert.deepEqual(payload.amr, ['authenticated', awsKey(poolId), `${awsKey(poolId)}:CognitoSignIn:${sub}`]);
      await rejectsWith(app.send(new GetOpenIdTokenCommand({ IdentityId })), 'NotAuthorizedException', /Logins don't match/);
    });

    test('with ServerSideTokenCheck, tokens of a user signed out everywhere are refused; without it they still work', async () => {
      const checked = await identityPool(true);
      const { IdToken } = await newUser('liam');
      const logins = { [awsKey(poolId)]: IdToken };
      assert.ok((await app.send(new GetIdCommand({ IdentityPoolId: checked, Logins: logins }))).IdentityId);
      await s.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'liam' }));
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: checked, Logins: logins })), 'NotAuthorizedException', /revoked/);
      assert.ok((await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }))).IdentityId);
    });

    test('UnlinkIdentity removes the login: the user gets a new identity next time', async () => {
      const { IdToken } = await newUser('mia');
      const logins = { [awsKey(poolId)]: IdToken };
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
      await app.send(new UnlinkIdentityCommand({ IdentityId, Logins: logins, LoginsToRemove: [issuerKey(s, poolId)] }));
      assert.equal((await admin.send(new DescribeIdentityCommand({ IdentityId }))).Logins, undefined);
      const again = await app.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
      assert.notEqual(again.IdentityId, IdentityId);
    });
  });
}
