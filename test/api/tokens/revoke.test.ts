// Revocation and access-token checks, observed through the SDK: GlobalSignOut (which itself
// verifies its access token), AdminUserGlobalSignOut, RevokeToken, GetTokensFromRefreshToken.
import assert from 'node:assert/strict';
import { describe, test, before, after } from 'node:test';
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminUserGlobalSignOutCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import type { UserPool } from '../../../src/userpools/pools.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { claimsOf, kidOf, seedClient, seedPool, seedUser, signIn, signedIn } from './support.js';

async function refused(p: Promise<unknown>, name: string, message?: string) {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

for (const engine of engines) {
  describe(`token revocation (${engine})`, () => {
    let s: TestServer;
    let api: CognitoIdentityProviderClient;
    let pool: UserPool;
    before(async () => {
      s = await startServer({ engine });
      api = publicClient(s.url);
      pool = await seedPool(s);
    });
    after(async () => {
      api.destroy();
      await s.close();
    });
    const signOut = (AccessToken: string) => api.send(new GlobalSignOutCommand({ AccessToken }));
    const refresh = (ClientId: string, RefreshToken: string) => api.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken }));
    const revoke = (ClientId: string, Token: string, ClientSecret?: string) =>
      api.send(new RevokeTokenCommand({ ClientId, Token, ClientSecret }));

    test('after GlobalSignOut the same access token is refused, and every sign-in of the user is over', async () => {
      const { client, user, tokens } = await signedIn(s, { pool });
      const second = await signIn(s, client, user.username);
      await signOut(tokens.AccessToken);
      await refused(signOut(tokens.AccessToken), 'NotAuthorizedException', 'Access Token has been revoked');
      await refused(signOut(second.AccessToken!), 'NotAuthorizedException', 'Access Token has been revoked');
      await refused(refresh(client.id, tokens.RefreshToken), 'NotAuthorizedException', 'Invalid Refresh Token');
      await refused(refresh(client.id, second.RefreshToken!), 'NotAuthorizedException', 'Invalid Refresh Token');
      // A sign-in after the sign-out is a new family, untouched.
      const third = await signIn(s, client, user.username);
      assert.ok((await refresh(client.id, third.RefreshToken)).AuthenticationResult?.AccessToken);
      await signOut(third.AccessToken);
    });

    test('GlobalSignOut of one user leaves other users signed in', async () => {
      const a = await signedIn(s, { pool });
      const b = await signedIn(s, { pool });
      await signOut(a.tokens.AccessToken);
      assert.ok((await refresh(b.client.id, b.tokens.RefreshToken)).AuthenticationResult?.AccessToken);
      await signOut(b.tokens.AccessToken);
    });

    test('AdminUserGlobalSignOut revokes the user’s refresh and access tokens', async () => {
      const { client, user, tokens } = await signedIn(s, { pool });
      await s.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.id, Username: user.username }));
      await refused(refresh(client.id, tokens.RefreshToken), 'NotAuthorizedException', 'Invalid Refresh Token');
      await refused(signOut(tokens.AccessToken), 'NotAuthorizedException', 'Access Token has been revoked');
      await refused(
        s.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.id, Username: 'nobody-here' })),
        'UserNotFoundException',
        'User does not exist.',
      );
    });

    test('RevokeToken ends that sign-in only: its refresh and access tokens', async () => {
      const { client, user, tokens } = await signedIn(s, { pool });
      const other = await signIn(s, client, user.username);
      await revoke(client.id, tokens.RefreshToken);
      await refused(refresh(client.id, tokens.RefreshToken), 'NotAuthorizedException', 'Invalid Refresh Token');
      await refused(signOut(tokens.AccessToken), 'NotAuthorizedException', 'Access Token has been revoked');
      assert.ok((await refresh(client.id, other.RefreshToken)).AuthenticationResult?.AccessToken);
      // Revoking again, or a token never issued, is not an error (RFC 7009 §2.2).
      await revoke(client.id, tokens.RefreshToken);
      await revoke(client.id, 'eyJjdHkiOiJKV1QifQ.bm90.YS10b2tlbg.YXQ.YWxs');
    });

    test('RevokeToken refuses ID and access tokens, other clients’ tokens and a missing secret', async () => {
      const { client, tokens } = await signedIn(s, { pool });
      await refused(revoke(client.id, tokens.AccessToken), 'UnsupportedTokenTypeException');
      await refused(revoke(client.id, tokens.IdToken), 'UnsupportedTokenTypeException');
      const other = await seedClient(s, pool);
      await refused(revoke(other.id, tokens.RefreshToken), 'UnauthorizedException');
      const confidential = await signedIn(s, { pool, client: { GenerateSecret: true } });
      const secret = confidential.client.secret!;
      await refused(revoke(confidential.client.id, confidential.tokens.RefreshToken), 'UnauthorizedException');
      await refused(revoke(confidential.client.id, confidential.tokens.RefreshToken, 'x'.repeat(51)), 'UnauthorizedException');
      await revoke(confidential.client.id, confidential.tokens.RefreshToken, secret);
      await refused(
        api.send(new GetTokensFromRefreshTokenCommand({ ClientId: confidential.client.id, RefreshToken: confidential.tokens.RefreshToken, ClientSecret: secret })),
        'NotAuthorizedException',
        'Invalid Refresh Token',
      );
      // Nothing above revoked the first sign-in.
      assert.ok((await refresh(client.id, tokens.RefreshToken)).AuthenticationResult?.AccessToken);
    });

    test('RevokeToken on a client without token revocation is UnsupportedOperationException', async () => {
      const { client, tokens } = await signedIn(s, { pool, client: { EnableTokenRevocation: false } });
      await refused(revoke(client.id, tokens.RefreshToken), 'UnsupportedOperationException');
      assert.ok((await refresh(client.id, tokens.RefreshToken)).AuthenticationResult?.AccessToken);
    });

    test('refused access tokens: tampered, unsigned, ID token, foreign key, other issuer, wrong scope', async () => {
      const { client, user, tokens } = await signedIn(s, { pool });
      const [h, p, sig] = tokens.AccessToken.split('.');
      const payload = claimsOf(tokens.AccessToken);
      const forged = Buffer.from(JSON.stringify({ ...payload, username: 'admin' })).toString('base64url');
      await refused(signOut(`${h}.${forged}.${sig}`), 'NotAuthorizedException', 'Invalid Access Token');
      await refused(signOut(`${h}.${p}.${sig.slice(0, -4)}AAAA`), 'NotAuthorizedException', 'Invalid Access Token');
      const unsigned = new UnsecuredJWT(payload).encode();
      await refused(signOut(unsigned), 'NotAuthorizedException', 'Invalid Access Token');
      await refused(signOut(tokens.IdToken), 'NotAuthorizedException', 'Invalid Access Token');
      const { privateKey } = await generateKeyPair('RS256');
      const foreign = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: kidOf(tokens.AccessToken) }).sign(privateKey);
      await refused(signOut(foreign), 'NotAuthorizedException', 'Invalid Access Token');
      const elsewhere = await new SignJWT({ ...payload, iss: `https://cognito-idp.us-east-1.amazonaws.com/${pool.id}` })
        .setProtectedHeader({ alg: 'RS256', kid: kidOf(tokens.AccessToken) })
        .sign(privateKey);
      await refused(signOut(elsewhere), 'NotAuthorizedException', 'Invalid Access Token');
      await refused(signOut('not-a-token'), 'NotAuthorizedException', 'Invalid Access Token');
      const narrow = await s.app.tokens.issueForSignIn({ pool, client, user, scopes: ['openid', 'email'] });
      await refused(signOut(narrow.AccessToken!), 'NotAuthorizedException', 'Access Token does not have required scopes');
      // The genuine token is still good: none of the above signed the user out.
      await signOut(tokens.AccessToken);
    });

    test('a disabled or deleted user’s access token is refused', async () => {
      const a = await signedIn(s, { pool });
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: pool.id, Username: a.user.username }));
      await refused(signOut(a.tokens.AccessToken), 'NotAuthorizedException', 'User is disabled.');
      const b = await signedIn(s, { pool });
      await s.idp.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: b.user.username }));
      await assert.rejects(s.app.tokens.verifyAccessToken(b.tokens.AccessToken), (e: Error) => {
        assert.equal(e.name, 'UserNotFoundException');
        assert.equal(e.message, 'User does not exist.');
        return true;
      });
      await refused(signOut(b.tokens.AccessToken), 'NotAuthorizedException');
    });

    test('verifyAccessToken answers the pool, user, client and claims', async () => {
      const user = await seedUser(s, pool, 'verify-me', { email: 'v@example.com' });
      const client = await seedClient(s, pool);
      const r = await s.app.tokens.issueForSignIn({ pool, client, user });
      const v = await s.app.tokens.verifyAccessToken(r.AccessToken!, { requireScope: 'aws.cognito.signin.user.admin' });
      assert.equal(v.pool.id, pool.id);
      assert.equal(v.user.id, user.id);
      assert.equal(v.user.attributes.email, 'v@example.com');
      assert.equal(v.clientId, client.id);
      assert.equal(v.claims.jti, claimsOf(r.AccessToken!).jti);
    });
  });
}
