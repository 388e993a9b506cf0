// Guests (unauthenticated identities): GetId, GetOpenIdToken verified as a relying party would
// (jose against Tessera's identity JWKS), and the credentials Tessera issues itself when no STS
// is configured, which its own SigV4 check knows as the identity and refuses for administration.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  SetIdentityPoolRolesCommand,
  UpdateIdentityPoolCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ManualClock } from '../../../src/clock.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { appClient, createPool, identityClient, rejectsWith } from './support.js';

const ID_FORM = /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const engine of engines) {
  describe(`identity pool guests (${engine})`, () => {
    let s: TestServer;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    const clock = new ManualClock();
    before(async () => {
      s = await startServer({ engine, clock });
      admin = identityClient(s);
      app = appClient(s);
    });
    after(async () => {
      admin.destroy();
      app.destroy();
      await s.close();
    });

    test('GetId without logins makes a new guest identity on every call', async () => {
      const poolId = await createPool(admin);
      const a = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      const b = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      assert.match(a.IdentityId!, ID_FORM);
      assert.match(b.IdentityId!, ID_FORM);
      assert.notEqual(a.IdentityId, b.IdentityId);
    });

    test('GetId without logins on a pool that forbids guests is NotAuthorizedException', async () => {
      const poolId = await createPool(admin, { AllowUnauthenticatedIdentities: false });
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId })), 'NotAuthorizedException', /Unauthenticated access is not supported/);
    });

    test('GetId on an unknown pool is ResourceNotFoundException', async () => {
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' })), 'ResourceNotFoundException');
    });

    test("a guest's OpenID token verifies against the identity JWKS with the guest's sub, the pool as aud and amr unauthenticated", async () => {
      const poolId = await createPool(admin);
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      const r = await app.send(new GetOpenIdTokenCommand({ IdentityId }));
      assert.equal(r.IdentityId, IdentityId);
      const discovery = (await (await fetch(`${s.url}/identity/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
      assert.equal(discovery.issuer, `${s.url}/identity`);
      for (const jwksUrl of [discovery.jwks_uri, `${s.url}/identity/.well-known/jwks.json`]) {
        const { payload } = await jwtVerify(r.Token!, createRemoteJWKSet(new URL(jwksUrl)), {
          issuer: `${s.url}/identity`,
          audience: poolId,
          currentDate: new Date(clock.now()),
        });
        assert.equal(payload.sub, IdentityId);
        assert.deepEqual(payload.amr, ['unauthenticated']);
        assert.equal(payload.exp! - payload.iat!, 600);
      }
      assert.match(decodeProtectedHeader(r.Token!).alg!, /^RS(256|512)$/);
    });

    test('a guest of a pool that stopped allowing guests gets no token', async () => {
      const poolId = await createPool(admin);
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      await admin.send(
        new UpdateIdentityPoolCommand({ IdentityPoolId: poolId, IdentityPoolName: 'closed', AllowUnauthenticatedIdentities: false, AllowClassicFlow: true }),
      );
      await rejectsWith(app.send(new GetOpenIdTokenCommand({ IdentityId })), 'NotAuthorizedException', /Unauthenticated access/);
      await rejectsWith(app.send(new GetCredentialsForIdentityCommand({ IdentityId })), 'NotAuthorizedException');
    });

    test('GetOpenIdToken (the basic flow) is InvalidParameterException unless the pool allows the classic flow; credentials still come', async () => {
      const poolId = await createPool(admin, { AllowClassicFlow: false });
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      await rejectsWith(app.send(new GetOpenIdTokenCommand({ IdentityId })), 'InvalidParameterException', /^Basic \(classic\) flow is not enabled, please use enhanced flow\.$/);
      const creds = await app.send(new GetCredentialsForIdentityCommand({ IdentityId }));
      assert.ok(creds.Credentials?.AccessKeyId);
      await admin.send(new UpdateIdentityPoolCommand({ IdentityPoolId: poolId, IdentityPoolName: 'classic', AllowUnauthenticatedIdentities: true, AllowClassicFlow: true }));
      assert.ok((await app.send(new GetOpenIdTokenCommand({ IdentityId }))).Token);
    });

    test('GetOpenIdToken is InvalidParameterException on a pool with role mappings, even with the classic flow allowed', async () => {
      const poolId = await createPool(admin, { AllowClassicFlow: true, SupportedLoginProviders: { 'accounts.google.com': 'app.apps.googleusercontent.com' } });
      await admin.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: poolId,
          Roles: { unauthenticated: 'arn:aws:iam::000000000000:role/g', authenticated: 'arn:aws:iam::000000000000:role/u' },
          RoleMappings: { 'accounts.google.com': { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } },
        }),
      );
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      await rejectsWith(app.send(new GetOpenIdTokenCommand({ IdentityId })), 'InvalidParameterException', /not supported with RoleMappings/);
    });

    test('GetCredentialsForIdentity for an unknown identity is ResourceNotFoundException', async () => {
      await rejectsWith(
        app.send(new GetCredentialsForIdentityCommand({ IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000001' })),
        'ResourceNotFoundException',
      );
    });

    test('a guest of a pool without an unauthenticated role is InvalidIdentityPoolConfigurationException', async () => {
      const poolId = await createPool(admin);
      await admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: {} }));
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      await rejectsWith(app.send(new GetCredentialsForIdentityCommand({ IdentityId })), 'InvalidIdentityPoolConfigurationException');
    });

    describe('credentials issued by Tessera (no STS endpoint)', () => {
      let poolId: string;
      let identityId: string;
      let creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
      let expiration: Date;
      before(async () => {
        poolId = await createPool(admin);
        identityId = (await app.send(new GetIdCommand({ IdentityPoolId: poolId }))).IdentityId!;
        const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId }));
        assert.equal(r.IdentityId, identityId);
        creds = { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretKey!, sessionToken: r.Credentials!.SessionToken! };
        expiration = r.Credentials!.Expiration!;
      });

      test('look like STS credentials and last one hour', () => {
        assert.match(creds.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
        assert.ok(creds.secretAccessKey.length >= 40);
        assert.ok(creds.sessionToken.length > 100);
        assert.equal(Math.round((expiration.getTime() - clock.now()) / 1000), 3600);
      });

      test('are recognised by app.credentials as the principal of that identity', async () => {
        const found = await s.app.credentials(creds.accessKeyId);
        assert.deepEqual(found?.principal, { kind: 'identity', accessKeyId: creds.accessKeyId, identityId, identityPoolId: poolId });
        assert.equal(found?.secretAccessKey, creds.secretAccessKey);
        assert.equal(found?.sessionToken, creds.sessionToken);
        assert.equal(await s.app.credentials('ASIA' + 'X'.repeat(16)), undefined);
      });

      test('keep the secret and session token sealed at rest', async () => {
        const row = await s.app.store.identityCredentials.get(creds.accessKeyId);
        assert.ok(row);
        assert.ok(!row.secret.includes(creds.secretAccessKey) && !row.session_token.includes(creds.sessionToken));
      });

      test('are refused for administrative operations of both JSON services', async () => {
        const asIdentity = identityClient(s, creds);
        const idp = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: s.url, credentials: creds, maxAttempts: 1 });
        try {
          await rejectsWith(asIdentity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId })), 'AccessDeniedException', /not authorized to perform: cognito-identity:DescribeIdentityPool/);
          await rejectsWith(idp.send(new ListUserPoolsCommand({ MaxResults: 10 })), 'AccessDeniedException', /cognito-idp:ListUserPools/);
        } finally {
          asIdentity.destroy();
          idp.destroy();
        }
      });

      test('with a wrong secret or without the session token are not accepted at all', async () => {
        const wrongSecret = identityClient(s, { ...creds, secretAccessKey: creds.secretAccessKey.slice(0, -1) + (creds.secretAccessKey.endsWith('x') ? 'y' : 'x') });
        const noToken = identityClient(s, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey });
        try {
          await rejectsWith(wrongSecret.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId })), 'InvalidSignatureException');
          await rejectsWith(noToken.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId })), 'UnrecognizedClientException');
        } finally {
          wrongSecret.destroy();
          noToken.destroy();
        }
      });

      test('expire after an hour', async () => {
        const later = clock.now() + 3601 * 1000;
        const c = identityClient(s, creds);
        // The client signs with the server's (moved) time, so only the credentials' age differs.
        c.config.systemClockOffset = later - Date.now();
        const saved = clock.now();
        clock.set(later);
        try {
          await rejectsWith(c.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId })), 'ExpiredTokenException');
        } finally {
          clock.set(saved);
          c.destroy();
        }
      });

    });
  });
}
