// Signing keys: rotation keeps old tokens verifiable until they expire, and several Tessera
// processes over one PostgreSQL end up with one key set and see each other's revocations.
import assert from 'node:assert/strict';
import { describe, test, before, beforeEach, after } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SignJWT } from 'jose';
import { GetTokensFromRefreshTokenCommand, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { claimsOf, kidOf, seedClient, seedPool, seedUser, signedIn, verifyWithAwsJwtVerify, verifyWithJose } from './support.js';

const jwksKids = async (base: string, poolId: string) => {
  const r = await fetch(`${base}/${poolId}/.well-known/jwks.json`);
  assert.equal(r.status, 200);
  return ((await r.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort();
};

for (const engine of engines) {
  describe(`signing key rotation (${engine})`, () => {
    let s: TestServer;
    const clock = new ManualClock();
    before(async () => (s = await startServer({ engine, clock })));
    // The set-up's admin calls are SigV4-signed: each test starts at real time.
    beforeEach(() => clock.set(Date.now()));
    after(() => s.close());

    test('after rotation new tokens use new keys; old kids stay published and old tokens verify', async () => {
      const { pool, client, user, tokens } = await signedIn(s);
      const oldKids = [kidOf(tokens.IdToken), kidOf(tokens.AccessToken)];
      await s.app.tokens.rotateKeys(pool.id);
      const fresh = await s.app.tokens.issueForSignIn({ pool, client, user });
      const newKids = [kidOf(fresh.IdToken!), kidOf(fresh.AccessToken!)];
      for (const k of newKids) assert.ok(!oldKids.includes(k), 'rotated keys have new kids');
      assert.deepEqual(await jwksKids(s.url, pool.id), [...oldKids, ...newKids].sort());
      for (const t of [tokens, fresh]) {
        await verifyWithJose(s, pool.id, t.IdToken!);
        await verifyWithAwsJwtVerify(s, pool.id, t.AccessToken!, { tokenUse: 'access', clientId: client.id });
        assert.equal((await s.app.tokens.verifyAccessToken(t.AccessToken!)).user.id, user.id);
      }
    });

    test('a rotated-out key leaves the JWKS once every token it signed has expired', async () => {
      const { pool, tokens } = await signedIn(s);
      const oldKids = [kidOf(tokens.IdToken), kidOf(tokens.AccessToken)];
      await s.app.tokens.rotateKeys(pool.id);
      clock.advance(23 * 3600_000);
      assert.equal((await jwksKids(s.url, pool.id)).length, 4, 'kept while a 1-day token could be live');
      clock.advance(3600_000 + 10 * 60_000);
      const kids = await jwksKids(s.url, pool.id);
      assert.equal(kids.length, 2);
      for (const k of oldKids) assert.ok(!kids.includes(k));
      await assert.rejects(s.app.tokens.verifyAccessToken(tokens.AccessToken), { name: 'NotAuthorizedException' });
    });

    test('rotating twice keeps the JWKS to the current and still-live keys', async () => {
      const pool = await seedPool(s);
      await s.app.tokens.rotateKeys(pool.id);
      await s.app.tokens.rotateKeys(pool.id);
      assert.equal((await jwksKids(s.url, pool.id)).length, 6);
      const rows = await s.app.store.signingKeys.list(pool.id);
      assert.deepEqual(rows.map((r) => r.generation).sort(), [0, 0, 1, 1, 2, 2]);
      assert.equal(rows.filter((r) => r.retired_at === null).length, 2);
    });

    test('tokens are byte for byte what jose SignJWT makes with the same key, and verify against the JWKS', async () => {
      const { pool, tokens } = await signedIn(s);
      for (const [use, token] of [['id', tokens.IdToken], ['access', tokens.AccessToken]] as const) {
        const payload = claimsOf(token);
        const { kid, key } = await s.app.tokens.keys.signingKey(pool.id, use);
        const byJose = await new SignJWT(payload).setProtectedHeader({ kid, alg: 'RS256' }).sign(key);
        assert.equal(token, byJose);
        assert.equal(await s.app.tokens.keys.sign(pool.id, use, payload), byJose);
        await verifyWithJose(s, pool.id, token);
      }
    });
  });
}

if (engines.includes('postgres')) {
  describe('two Tessera processes over one PostgreSQL', () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const env = { TESSERA_PUBLIC_URL: 'http://tessera.test' };
    let a: TestServer;
    let b: TestServer;
    before(async () => {
      a = await startServer({ engine: 'postgres', schema, env });
      b = await startServer({ engine: 'postgres', schema, env });
    });
    after(async () => {
      await a.close();
      await b.close();
      const c = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    });

    test('keys made at the same time by both end as one key set', async () => {
      const pool = await seedPool(a);
      const [ja, jb] = await Promise.all([a.app.tokens.jwks(pool.id), b.app.tokens.jwks(pool.id)]);
      assert.equal(ja.keys.length, 2);
      assert.deepEqual(ja, jb);
      assert.deepEqual(await jwksKids(a.url, pool.id), await jwksKids(b.url, pool.id));
      assert.equal((await a.app.store.signingKeys.list(pool.id)).length, 2);
    });

    test('tokens of one are verified, refreshed and revoked by the other, at once', async () => {
      const pool = await seedPool(a);
      const client = await seedClient(a, pool);
      const user = await seedUser(a, pool, 'shared', { email: 's@example.com' });
      const apiA = publicClient(a.url);
      const apiB = publicClient(b.url);
      try {
        const t = await a.app.tokens.issueForSignIn({ pool, client, user });
        assert.equal((await b.app.tokens.verifyAccessToken(t.AccessToken!)).user.id, user.id);
        const r = await apiB.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.id, RefreshToken: t.RefreshToken! }));
        assert.equal(claimsOf(r.AuthenticationResult!.IdToken!).origin_jti, claimsOf(t.IdToken!).origin_jti);
        assert.equal((await a.app.tokens.verifyAccessToken(r.AuthenticationResult!.AccessToken!)).user.id, user.id);
        await apiB.send(new GlobalSignOutCommand({ AccessToken: t.AccessToken! }));
        await assert.rejects(apiA.send(new GlobalSignOutCommand({ AccessToken: r.AuthenticationResult!.AccessToken! })), {
          name: 'NotAuthorizedException',
          message: 'Access Token has been revoked',
        });
        await assert.rejects(apiA.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.id, RefreshToken: t.RefreshToken! })), {
          name: 'NotAuthorizedException',
          message: 'Invalid Refresh Token',
        });
      } finally {
        apiA.destroy();
        apiB.destroy();
      }
    });

    test('a key rotated by one is used and accepted by the other', async () => {
      const pool = await seedPool(a);
      const client = await seedClient(a, pool);
      const user = await seedUser(a, pool, 'rotating');
      const before = await b.app.tokens.issueForSignIn({ pool, client, user });
      await a.app.tokens.rotateKeys(pool.id);
      const after = await a.app.tokens.issueForSignIn({ pool, client, user });
      assert.notEqual(kidOf(after.AccessToken!), kidOf(before.AccessToken!));
      assert.equal((await b.app.tokens.verifyAccessToken(after.AccessToken!)).user.id, user.id);
      assert.equal((await b.app.tokens.verifyAccessToken(before.AccessToken!)).user.id, user.id);
    });
  });
}
