// Logins of providers outside Tessera (Google, Apple, Facebook, Login with Amazon, an OIDC issuer
// named by ARN) in GetId / GetCredentialsForIdentity / GetOpenIdToken, through the real
// cognito-identity client, against local stand-ins that speak each provider's protocol
// (test/support/login-providers.ts) reached through TESSERA_IDENTITY_PROVIDER_ENDPOINTS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateIdentityPoolCommand,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  SetIdentityPoolRolesCommand,
  UnlinkIdentityCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import { decodeJwt } from 'jose';
import { startLoginProviders, type LoginProviders } from '../../support/login-providers.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { startSts, type FakeSts } from './sts-server.js';
import { GUEST_ROLE, USER_ROLE, appClient, createPool, identityClient, rejectsWith } from './support.js';

const GOOGLE_CLIENT = '1234567890-tessera.apps.googleusercontent.com';
const APPLE_SERVICE = 'test.tessera.signin';
const FACEBOOK_APP = '987654321012345';
const AMAZON_APP = 'amzn1.application.0123456789abcdef';
const AMAZON_CLIENT = 'amzn1.application-oa2-client.0123456789abcdef';
const OIDC_CLIENT = 'tessera-oidc-client';
const OIDC_ARN = 'arn:aws:iam::000000000000:oidc-provider/login.example.test';
const TENANT_ARN = 'arn:aws:iam::000000000000:oidc-provider/tenant.example.test/';
const PLAYER_ROLE = 'arn:aws:iam::000000000000:role/tessera-players';

for (const engine of engines) {
  describe(`identity pools with external logins (${engine})`, () => {
    let providers: LoginProviders;
    let s: TestServer;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    let poolId: string;
    before(async () => {
      providers = await startLoginProviders();
      s = await startServer({ engine, env: { TESSERA_IDENTITY_PROVIDER_ENDPOINTS: JSON.stringify(providers.overrides) } });
      admin = identityClient(s);
      app = appClient(s);
      poolId = await createPool(admin, {
        AllowUnauthenticatedIdentities: true,
        SupportedLoginProviders: {
          'accounts.google.com': GOOGLE_CLIENT,
          'appleid.apple.com': APPLE_SERVICE,
          'graph.facebook.com': FACEBOOK_APP,
          'www.amazon.com': AMAZON_APP,
          'login.example.test': OIDC_CLIENT,
          'tenant.example.test/': OIDC_CLIENT,
        },
        OpenIdConnectProviderARNs: [OIDC_ARN, TENANT_ARN],
      });
    });
    after(async () => {
      admin.destroy();
      app.destroy();
      await s.close();
      await providers.close();
    });

    test('a Google ID token: GetId, the same identity again, credentials, and an OpenID token whose amr names Google and the subject', async () => {
      const logins = { 'accounts.google.com': await providers.idToken('google', { sub: 'g-100', aud: GOOGLE_CLIENT }) };
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins }));
      const again = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'accounts.google.com': await providers.idToken('google', { sub: 'g-100', aud: GOOGLE_CLIENT }) } }));
      assert.equal(again.IdentityId, IdentityId);
      const creds = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
      assert.equal(creds.IdentityId, IdentityId);
      assert.match(creds.Credentials!.AccessKeyId!, /^ASIA/);
      const { Token } = await app.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins }));
      assert.deepEqual(decodeJwt(Token!).amr, ['authenticated', 'accounts.google.com', 'accounts.google.com:g-100']);
      const described = await admin.send(new DescribeIdentityCommand({ IdentityId }));
      assert.deepEqual(described.Logins, ['accounts.google.com']);
      // Without the login, the authenticated identity gets nothing.
      await rejectsWith(app.send(new GetCredentialsForIdentityCommand({ IdentityId })), 'NotAuthorizedException', /Logins don't match/);
    });

    test('Google tokens that do not check out are NotAuthorizedException: another client, a foreign key, expired, another issuer', async () => {
      const cases: [Promise<string>, RegExp][] = [
        [providers.idToken('google', { sub: 'g-1', aud: 'someone-else.apps.googleusercontent.com' }), /Incorrect token audience/],
        [providers.idToken('google', { sub: 'g-1', aud: GOOGLE_CLIENT, key: 'rogue' }), /Invalid login token/],
        [providers.idToken('google', { sub: 'g-1', aud: GOOGLE_CLIENT, ttlSeconds: -60 }), /expired/],
        [providers.idToken('google', { sub: 'g-1', aud: GOOGLE_CLIENT, iss: 'https://evil.example' }), /Issuer doesn't match/],
      ];
      for (const [token, message] of cases) {
        await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'accounts.google.com': await token } })), 'NotAuthorizedException', message);
      }
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'accounts.google.com': 'not-a-jwt' } })), 'NotAuthorizedException');
    });

    test('an ID token without exp (never expiring) is NotAuthorizedException, whichever provider signs it', async () => {
      const google = await providers.idToken('google', { sub: 'g-noexp', aud: GOOGLE_CLIENT, noExp: true });
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'accounts.google.com': google } })), 'NotAuthorizedException', /Invalid login token/);
      const apple = await providers.idToken('apple', { sub: 'a-noexp', aud: APPLE_SERVICE, noExp: true });
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'appleid.apple.com': apple } })), 'NotAuthorizedException', /Invalid login token/);
      const oidc = await providers.idToken('oidc', { sub: 'o-noexp', aud: OIDC_CLIENT, noExp: true });
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'login.example.test': oidc } })), 'NotAuthorizedException', /Invalid login token/);
      // The same token with exp is fine: the refusal is about the claim.
      await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'accounts.google.com': await providers.idToken('google', { sub: 'g-noexp', aud: GOOGLE_CLIENT }) } }));
    });

    test('GetOpenIdTokenForDeveloperIdentity with a login whose provider answers 503 is InternalErrorException (its model has no ExternalServiceException)', async () => {
      const saved = s.app.config.identityProviderEndpoints;
      s.app.config.identityProviderEndpoints = { ...saved, 'https://down.example.test': `${providers.url}/unavailable` };
      try {
        const dev = await createPool(admin, {
          DeveloperProviderName: 'login.dev.test',
          SupportedLoginProviders: { 'down.example.test': OIDC_CLIENT },
          OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/down.example.test'],
        });
        const token = await providers.idToken('oidc', { sub: 'd-1', aud: OIDC_CLIENT, iss: 'https://down.example.test' });
        // The app's own calls name the provider's failure as the model lets them.
        await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: dev, Logins: { 'down.example.test': token } })), 'ExternalServiceException', /HTTP 503/);
        // strictErrors would turn an undeclared exception into a "Tessera bug" InternalErrorException.
        await assert.rejects(
          admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: dev, Logins: { 'login.dev.test': 'dev-user-1', 'down.example.test': token } })),
          (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
            assert.equal(e.name, 'InternalErrorException', `got ${e.name}: ${e.message}`);
            assert.doesNotMatch(e.message, /Tessera bug|not declared/);
            assert.match(e.message, /HTTP 503/);
            assert.equal(e.$metadata?.httpStatusCode, 500);
            return true;
          },
        );
        // The developer user alone still works.
        const ok = await admin.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: dev, Logins: { 'login.dev.test': 'dev-user-1' } }));
        assert.ok(ok.Token);
      } finally {
        s.app.config.identityProviderEndpoints = saved;
      }
    });

    test('a trusted provider whose subject cannot be kept (over 2,048 bytes, or a NUL) is NotAuthorizedException; one of 2,048 bytes is kept', async () => {
      for (const sub of ['é'.repeat(1100), 'g\u0000nul']) {
        const logins = { 'accounts.google.com': await providers.idToken('google', { sub, aud: GOOGLE_CLIENT }) };
        await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins })), 'NotAuthorizedException', /subject is longer than 2048 bytes/);
      }
      // 2,048 bytes exactly is kept, on both engines.
      const longest = { 'accounts.google.com': await providers.idToken('google', { sub: 'é'.repeat(1024), aud: GOOGLE_CLIENT }) };
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: longest }));
      const again = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: longest }));
      assert.equal(again.IdentityId, IdentityId);
    });

    test('a provider the pool does not list is refused', async () => {
      const plain = await createPool(admin, { SupportedLoginProviders: { 'graph.facebook.com': FACEBOOK_APP } });
      const token = await providers.idToken('google', { sub: 'g-2', aud: GOOGLE_CLIENT });
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: plain, Logins: { 'accounts.google.com': token } })),
        'NotAuthorizedException',
        /not from a supported provider/,
      );
    });

    test('a guest that signs in with Google keeps its identity id', async () => {
      const { IdentityId: guest } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      const logins = { 'accounts.google.com': await providers.idToken('google', { sub: 'g-guest', aud: GOOGLE_CLIENT }) };
      const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId: guest, Logins: logins }));
      assert.equal(r.IdentityId, guest);
      assert.equal((await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins }))).IdentityId, guest);
    });

    test('an Apple ID token for the services id gives an identity and credentials', async () => {
      const logins = { 'appleid.apple.com': await providers.idToken('apple', { sub: '001234.abcdef.1234', aud: APPLE_SERVICE }) };
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins }));
      const creds = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
      assert.ok(creds.Credentials?.SecretKey);
      const bad = { 'appleid.apple.com': await providers.idToken('apple', { sub: '001234.abcdef.1234', aud: 'other.bundle' }) };
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: bad })), 'NotAuthorizedException', /audience/);
    });

    test('a Facebook access token is checked through the Graph API: the app it belongs to and the user', async () => {
      const token = providers.facebookToken('10150000000001', FACEBOOK_APP);
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'graph.facebook.com': token } }));
      const { Token } = await app.send(new GetOpenIdTokenCommand({ IdentityId, Logins: { 'graph.facebook.com': token } }));
      assert.deepEqual(decodeJwt(Token!).amr, ['authenticated', 'graph.facebook.com', 'graph.facebook.com:10150000000001']);
      assert.ok(providers.requests.some((p) => /^\/facebook\/v\d+\.\d+\/app$/.test(p)));
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'graph.facebook.com': providers.facebookToken('10150000000001', '111') } })),
        'NotAuthorizedException',
        /audience/,
      );
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'graph.facebook.com': 'EAAforged' } })),
        'NotAuthorizedException',
        /Invalid OAuth access token/,
      );
    });

    test('a Login with Amazon access token is checked through tokeninfo', async () => {
      const token = providers.amazonToken('amzn1.account.TESSERA1', AMAZON_CLIENT, AMAZON_APP);
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'www.amazon.com': token } }));
      const again = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'www.amazon.com': providers.amazonToken('amzn1.account.TESSERA1', AMAZON_CLIENT, AMAZON_APP) } }));
      assert.equal(again.IdentityId, IdentityId);
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'www.amazon.com': providers.amazonToken('amzn1.account.X', 'amzn1.application-oa2-client.other', 'amzn1.application.other') } })),
        'NotAuthorizedException',
        /audience/,
      );
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'www.amazon.com': providers.amazonToken('amzn1.account.X', AMAZON_CLIENT, AMAZON_APP, -5) } })),
        'NotAuthorizedException',
        /invalid parameter : access_token/,
      );
    });

    test('an OIDC provider named by ARN: its issuer found by discovery, the audience from the pool', async () => {
      const logins = { 'login.example.test': await providers.idToken('oidc', { sub: 'oidc-user-1', aud: OIDC_CLIENT }) };
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins }));
      const creds = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
      assert.equal(creds.IdentityId, IdentityId);
      assert.ok(providers.requests.includes('/oidc/.well-known/openid-configuration'));
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'login.example.test': await providers.idToken('oidc', { sub: 'x', aud: 'another-client' }) } })),
        'NotAuthorizedException',
        /audience/,
      );
      const noAudience = await createPool(admin, { OpenIdConnectProviderARNs: [OIDC_ARN] });
      await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: noAudience, Logins: logins })), 'NotAuthorizedException', /audience/);
    });

    test('an OIDC issuer that ends with a slash: Logins key and issuer keep it, its discovery document is found under it', async () => {
      const logins = { 'tenant.example.test/': await providers.idToken('tenant', { sub: 'auth0|42', aud: OIDC_CLIENT }) };
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins }));
      assert.deepEqual((await admin.send(new DescribeIdentityCommand({ IdentityId }))).Logins, ['tenant.example.test/']);
    });

    test('UnlinkIdentity removes an external login: the next GetId with it makes a new identity', async () => {
      const google = () => providers.idToken('google', { sub: 'g-unlink', aud: GOOGLE_CLIENT });
      const facebook = providers.facebookToken('10150000000099', FACEBOOK_APP);
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'accounts.google.com': await google() } }));
      const both = { 'accounts.google.com': await google(), 'graph.facebook.com': facebook };
      assert.equal((await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: both }))).IdentityId, IdentityId);
      assert.deepEqual((await admin.send(new DescribeIdentityCommand({ IdentityId }))).Logins!.sort(), ['accounts.google.com', 'graph.facebook.com']);
      await app.send(new UnlinkIdentityCommand({ IdentityId, Logins: { 'graph.facebook.com': facebook }, LoginsToRemove: ['accounts.google.com'] }));
      assert.deepEqual((await admin.send(new DescribeIdentityCommand({ IdentityId }))).Logins, ['graph.facebook.com']);
      const again = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'accounts.google.com': await google() } }));
      assert.notEqual(again.IdentityId, IdentityId);
    });

    test('a provider that cannot be reached, or serves no discovery document, is ExternalServiceException', async () => {
      const saved = s.app.config.identityProviderEndpoints;
      s.app.config.identityProviderEndpoints = { ...saved, 'https://graph.facebook.com': 'http://127.0.0.1:9', 'https://gone.example.test': `${providers.url}/gone` };
      try {
        await rejectsWith(
          app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'graph.facebook.com': providers.facebookToken('1', FACEBOOK_APP) } })),
          'ExternalServiceException',
        );
        const gone = await createPool(admin, {
          SupportedLoginProviders: { 'gone.example.test': OIDC_CLIENT },
          OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/gone.example.test'],
        });
        const token = await providers.idToken('oidc', { sub: 'x', aud: OIDC_CLIENT, iss: 'https://gone.example.test' });
        await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: gone, Logins: { 'gone.example.test': token } })), 'ExternalServiceException', /HTTP 404/);
      } finally {
        s.app.config.identityProviderEndpoints = saved;
      }
    });
  });
}

for (const engine of engines) {
  describe(`role mapping rules on an external provider's claims (${engine})`, () => {
    let providers: LoginProviders;
    let sts: FakeSts;
    let s: TestServer;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    before(async () => {
      providers = await startLoginProviders();
      sts = await startSts(() => s.url);
      s = await startServer({
        engine,
        env: { TESSERA_IDENTITY_PROVIDER_ENDPOINTS: JSON.stringify(providers.overrides), TESSERA_STS_ENDPOINT: sts.url },
      });
      admin = identityClient(s);
      app = appClient(s);
    });
    after(async () => {
      admin.destroy();
      app.destroy();
      await s.close();
      await sts.close();
      await providers.close();
    });

    test("a Rules mapping under the provider's name picks the role from the Google ID token's claims; others get the authenticated role", async () => {
      const { IdentityPoolId } = await admin.send(
        new CreateIdentityPoolCommand({ IdentityPoolName: 'external_roles', AllowUnauthenticatedIdentities: false, SupportedLoginProviders: { 'accounts.google.com': GOOGLE_CLIENT } }),
      );
      await admin.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId,
          Roles: { unauthenticated: GUEST_ROLE, authenticated: USER_ROLE },
          RoleMappings: {
            'accounts.google.com': {
              Type: 'Rules',
              AmbiguousRoleResolution: 'AuthenticatedRole',
              RulesConfiguration: { Rules: [{ Claim: 'email', MatchType: 'StartsWith', Value: 'player-', RoleARN: PLAYER_ROLE }] },
            },
          },
        }),
      );
      for (const role of [USER_ROLE, PLAYER_ROLE]) sts.trust(role, IdentityPoolId!, 'authenticated');
      const roleOf = async (sub: string) => {
        const logins = { 'accounts.google.com': await providers.idToken('google', { sub, aud: GOOGLE_CLIENT }) };
        const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId, Logins: logins }));
        const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
        const call = sts.calls.find((c) => c.accessKeyId === r.Credentials!.AccessKeyId)!;
        assert.deepEqual(call.amr, ['authenticated', 'accounts.google.com', `accounts.google.com:${sub}`]);
        return call.roleArn;
      };
      // The stand-in puts email `<sub>@example.test` into its ID tokens.
      assert.equal(await roleOf('player-7'), PLAYER_ROLE);
      assert.equal(await roleOf('visitor-3'), USER_ROLE);
    });
  });
}
