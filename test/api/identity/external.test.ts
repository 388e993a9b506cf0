// Logins of providers outside Tessera (Google, Apple, Facebook, Login with Amazon, an OIDC issuer
// named by ARN) in GetId / GetCredentialsForIdentity / GetOpenIdToken, through the real
// cognito-identity client, against local stand-ins that speak each provider's protocol
// (test/support/login-providers.ts) reached through TESSERA_IDENTITY_PROVIDER_ENDPOINTS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import { decodeJwt } from 'jose';
import { startLoginProviders, type LoginProviders } from '../../support/login-providers.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { appClient, createPool, identityClient, rejectsWith } from './support.js';

const GOOGLE_CLIENT = '1234567890-tessera.apps.googleusercontent.com';
const APPLE_SERVICE = 'test.tessera.signin';
const FACEBOOK_APP = '987654321012345';
const AMAZON_APP = 'amzn1.application.0123456789abcdef';
const AMAZON_CLIENT = 'amzn1.application-oa2-client.0123456789abcdef';
const OIDC_CLIENT = 'tessera-oidc-client';
const OIDC_ARN = 'arn:aws:iam::000000000000:oidc-provider/login.example.test';

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
        },
        OpenIdConnectProviderARNs: [OIDC_ARN],
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

    test('a provider that cannot be reached is ExternalServiceException', async () => {
      const saved = s.app.config.identityProviderEndpoints;
      s.app.config.identityProviderEndpoints = { ...saved, 'https://graph.facebook.com': 'http://127.0.0.1:9' };
      try {
        await rejectsWith(
          app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { 'graph.facebook.com': providers.facebookToken('1', FACEBOOK_APP) } })),
          'ExternalServiceException',
        );
      } finally {
        s.app.config.identityProviderEndpoints = saved;
      }
    });
  });
}
