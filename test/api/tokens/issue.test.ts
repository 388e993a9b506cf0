// Tokens of a sign-in: verifiable by jose and aws-jwt-verify over the pool's JWKS URL, with the
// claims of tokens.md §2/§3, lifetimes from the client, and the pool's issuer documents.
import assert from 'node:assert/strict';
import { describe, test, before, after } from 'node:test';
import { AdminAddUserToGroupCommand, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import {
  claimsOf,
  issuerOf,
  kidOf,
  seedClient,
  seedPool,
  seedUser,
  signIn,
  signedIn,
  verifyWithAwsJwtVerify,
  verifyWithJose,
} from './support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const engine of engines) {
  describe(`token issue (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine })));
    after(() => s.close());

    test('ID and access tokens verify with jose and aws-jwt-verify against the JWKS URL', async () => {
      const { pool, client, tokens } = await signedIn(s);
      const id = await verifyWithJose(s, pool.id, tokens.IdToken);
      const access = await verifyWithJose(s, pool.id, tokens.AccessToken);
      assert.equal(id.token_use, 'id');
      assert.equal(access.token_use, 'access');
      const id2 = await verifyWithAwsJwtVerify(s, pool.id, tokens.IdToken, { tokenUse: 'id', clientId: client.id });
      const access2 = await verifyWithAwsJwtVerify(s, pool.id, tokens.AccessToken, { tokenUse: 'access', clientId: client.id });
      assert.equal(id2.jti, id.jti);
      assert.equal(access2.jti, access.jti);
    });

    test('the two token kinds are signed by two different keys, both in the JWKS', async () => {
      const { pool, tokens } = await signedIn(s);
      const r = await fetch(`${issuerOf(s, pool.id)}/.well-known/jwks.json`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('cache-control') ?? '', /max-age=\d+/);
      const { keys } = (await r.json()) as { keys: Record<string, string>[] };
      assert.equal(keys.length, 2);
      assert.notEqual(kidOf(tokens.IdToken), kidOf(tokens.AccessToken));
      assert.deepEqual(keys.map((k) => k.kid).sort(), [kidOf(tokens.IdToken), kidOf(tokens.AccessToken)].sort());
      for (const k of keys) {
        assert.deepEqual(Object.keys(k).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
        assert.equal(k.kty, 'RSA');
        assert.equal(k.alg, 'RS256');
        assert.equal(k.use, 'sig');
        assert.equal(Buffer.from(k.n, 'base64url').length, 256, '2048-bit modulus');
      }
    });

    test('ID token claims: identity, times, family, attributes with JSON booleans, custom as strings', async () => {
      const pool = await seedPool(s);
      const client = await seedClient(s, pool);
      const user = await seedUser(s, pool, 'Alice', {
        email: 'alice@example.com',
        email_verified: 'true',
        phone_number: '+15555550100',
        phone_number_verified: 'false',
        name: 'Alice A',
        updated_at: '1700000000',
        'custom:tier': '3',
        'dev:custom:secret': 'x',
      });
      const before = Math.floor(Date.now() / 1000);
      const r = await signIn(s, client, 'Alice');
      assert.equal(r.ExpiresIn, 3600);
      assert.match(r.RefreshToken, /^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
      const header = JSON.parse(Buffer.from(r.IdToken.split('.')[0], 'base64url').toString());
      assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid']);
      const c = claimsOf(r.IdToken);
      assert.equal(c.sub, user.id);
      assert.equal(c.aud, client.id);
      assert.equal(c.iss, `${s.url}/${pool.id}`);
      assert.equal(c.token_use, 'id');
      assert.equal(c['cognito:username'], 'Alice');
      assert.ok((c.auth_time as number) >= before && Number.isInteger(c.auth_time));
      assert.equal(c.exp! - c.iat!, 3600);
      assert.match(c.jti as string, UUID);
      assert.match(c.origin_jti as string, UUID);
      assert.match(c.event_id as string, UUID);
      assert.equal(c.email, 'alice@example.com');
      assert.equal(c.email_verified, true);
      assert.equal(c.phone_number, '+15555550100');
      assert.equal(c.phone_number_verified, false);
      assert.equal(c.name, 'Alice A');
      assert.equal(c.updated_at, 1700000000);
      assert.equal(c['custom:tier'], '3');
      assert.equal(c['dev:custom:secret'], undefined);
      assert.equal(c['cognito:groups'], undefined, 'no groups claim without groups');
      assert.equal(c.nonce, undefined);
      assert.equal(c.nbf, undefined);
      // The OAuth front end passes the authorize request's nonce through.
      const withNonce = await s.app.tokens.issueForSignIn({ pool, client, user, nonce: 'n-0S6' });
      assert.equal(claimsOf(withNonce.IdToken!).nonce, 'n-0S6');
      assert.equal(withNonce.TokenType, 'Bearer');
    });

    test('group claims: names in both tokens, roles and the preferred role in the ID token', async () => {
      const pool = await seedPool(s);
      const client = await seedClient(s, pool);
      const user = await seedUser(s, pool, 'grouped');
      const role = (n: string) => `arn:aws:iam::000000000000:role/${n}`;
      const group = (GroupName: string, Precedence?: number, RoleArn?: string) =>
        s.idp.send(new CreateGroupCommand({ UserPoolId: pool.id, GroupName, Precedence, RoleArn }));
      const join = (GroupName: string) => s.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, GroupName, Username: 'grouped' }));
      await group('readers', 5, role('Reader'));
      await group('admins', 1, role('Admin'));
      await group('plain');
      for (const g of ['readers', 'admins', 'plain']) await join(g);
      const t = await signIn(s, client, 'grouped');
      const id = claimsOf(t.IdToken);
      const access = claimsOf(t.AccessToken);
      assert.deepEqual([...(id['cognito:groups'] as string[])].sort(), ['admins', 'plain', 'readers']);
      assert.deepEqual([...(access['cognito:groups'] as string[])].sort(), ['admins', 'plain', 'readers']);
      assert.deepEqual([...(id['cognito:roles'] as string[])].sort(), [role('Admin'), role('Reader')]);
      assert.equal(id['cognito:preferred_role'], role('Admin'));
      assert.equal(access['cognito:roles'], undefined);
      assert.equal(access['cognito:preferred_role'], undefined);
      // A second group at the best precedence with another role: no single preferred role.
      await group('owners', 1, role('Owner'));
      await join('owners');
      const tie = claimsOf((await signIn(s, client, 'grouped')).IdToken);
      assert.equal((tie['cognito:roles'] as string[]).length, 3);
      assert.equal(tie['cognito:preferred_role'], undefined);
    });

    test('access token claims: client_id instead of aud, admin scope, username, version 2, device_key', async () => {
      const { pool, client, user, tokens } = await signedIn(s);
      const c = claimsOf(tokens.AccessToken);
      const id = claimsOf(tokens.IdToken);
      assert.equal(c.sub, user.id);
      assert.equal(c.aud, undefined);
      assert.equal(c.client_id, client.id);
      assert.equal(c.token_use, 'access');
      assert.equal(c.scope, 'aws.cognito.signin.user.admin');
      assert.equal(c.username, user.username);
      assert.equal(c.version, 2);
      assert.equal(c.device_key, undefined);
      assert.equal(c.iss, `${s.url}/${pool.id}`);
      assert.equal(c.origin_jti, id.origin_jti, 'one sign-in, one family');
      assert.equal(c.event_id, id.event_id);
      assert.equal(c.auth_time, id.auth_time);
      assert.notEqual(c.jti, id.jti);
      assert.equal(c.email, undefined, 'no attributes in access tokens');
      const other = await s.app.tokens.issueForSignIn({ pool, client, user, scopes: ['openid', 'email'] });
      assert.equal(claimsOf(other.AccessToken!).scope, 'openid email');
      assert.notEqual(claimsOf(other.AccessToken!).origin_jti, c.origin_jti, 'each sign-in is a new family');
      const device = await s.app.tokens.issueForSignIn({ pool, client, user, deviceKey: 'us-east-1_0f1e2d3c-aaaa-bbbb-cccc-000000000001' });
      assert.equal(claimsOf(device.AccessToken!).device_key, 'us-east-1_0f1e2d3c-aaaa-bbbb-cccc-000000000001');
    });

    test('ReadAttributes limits the attributes of the ID token', async () => {
      const { tokens } = await signedIn(s, {
        client: { ReadAttributes: ['email', 'custom:tier'] },
        attributes: { email: 'b@example.com', email_verified: 'true', name: 'B', 'custom:tier': '1', 'custom:other': '2' },
      });
      const c = claimsOf(tokens.IdToken);
      assert.equal(c.email, 'b@example.com');
      assert.equal(c['custom:tier'], '1');
      assert.equal(c.email_verified, undefined);
      assert.equal(c.name, undefined);
      assert.equal(c['custom:other'], undefined);
    });

    test('lifetimes follow the client validity and units; a value without unit is hours / days', async () => {
      const a = await signedIn(s, {
        client: { AccessTokenValidity: 10, IdTokenValidity: 2, TokenValidityUnits: { AccessToken: 'minutes' } },
      });
      const access = claimsOf(a.tokens.AccessToken);
      const id = claimsOf(a.tokens.IdToken);
      assert.equal(access.exp! - access.iat!, 600);
      assert.equal(id.exp! - id.iat!, 7200);
      assert.equal(a.tokens.ExpiresIn, 600);
    });

    test('openid-configuration of a pool without a domain names the issuer and the JWKS, no OAuth endpoints', async () => {
      const pool = await seedPool(s);
      const r = await fetch(`${s.url}/${pool.id}/.well-known/openid-configuration`);
      assert.equal(r.status, 200);
      const d = (await r.json()) as Record<string, unknown>;
      assert.equal(d.issuer, `${s.url}/${pool.id}`);
      assert.equal(d.jwks_uri, `${s.url}/${pool.id}/.well-known/jwks.json`);
      // Nothing answers OAuth requests for a pool without a domain, so none is advertised.
      for (const name of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'revocation_endpoint', 'end_session_endpoint']) assert.equal(d[name], undefined, name);
      assert.equal((await fetch(`${s.url}/oauth2/authorize?response_type=code&client_id=x`, { redirect: 'manual' })).status, 404);
      assert.deepEqual(d.response_types_supported, ['code']);
      assert.deepEqual(d.subject_types_supported, ['public']);
      assert.deepEqual(d.id_token_signing_alg_values_supported, ['RS256']);
      const jwks = await fetch(d.jwks_uri as string);
      assert.equal(jwks.status, 200);
    });

    test('an unknown pool has no issuer documents (404 JSON)', async () => {
      for (const doc of ['jwks.json', 'openid-configuration']) {
        const r = await fetch(`${s.url}/us-east-1_NoSuchPool/.well-known/${doc}`);
        assert.equal(r.status, 404);
        assert.match(r.headers.get('content-type') ?? '', /json/);
        assert.match(((await r.json()) as { message: string }).message, /does not exist/);
      }
    });

    test('private keys are sealed at rest', async () => {
      const { pool } = await signedIn(s);
      const rows = await s.app.store.signingKeys.list(pool.id);
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.match(row.private_jwk, /^v1\./);
        assert.doesNotMatch(row.private_jwk, /"d"/);
        assert.equal(JSON.parse(row.public_jwk).d, undefined);
      }
    });
  });
}
