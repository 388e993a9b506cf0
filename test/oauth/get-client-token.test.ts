// GetClientToken: the client_credentials grant through the signed API, with the real SDK; the
// token is verified against the pool's JWKS with jose, and each refusal has its Cognito name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateUserPoolClientCommand, GetClientTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { engines, startServer, type TestServer } from '../support/server.js';
import { seedMachineClient, seedOAuthPool } from './support.js';

for (const engine of engines) {
  describe(`GetClientToken (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    let m2m: { clientId: string; secret: string };
    before(async () => {
      s = await startServer({ engine });
      poolId = (await seedOAuthPool(s)).poolId;
      m2m = await seedMachineClient(s, poolId);
    });
    after(() => s.close());

    const rejects = (input: object, name: string, message?: RegExp) =>
      assert.rejects(s.idp.send(new GetClientTokenCommand(input as never)), (e: Error) => {
        assert.equal(e.name, name, e.message);
        if (message) assert.match(e.message, message);
        return true;
      });

    test('a token with the asked scope, or every allowed one, verified against the JWKS', async () => {
      const r = await s.idp.send(new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: ['https://api.example.test/read'] }));
      const result = r.ClientAuthenticationResult!;
      assert.equal(result.TokenType, 'Bearer');
      assert.equal(result.ExpiresIn, 3600);
      const jwks = createRemoteJWKSet(new URL(`${s.url}/${poolId}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(result.AccessToken!, jwks, { issuer: `${s.url}/${poolId}` });
      assert.equal(payload.sub, m2m.clientId);
      assert.equal(payload.client_id, m2m.clientId);
      assert.equal(payload.token_use, 'access');
      assert.equal(payload.scope, 'https://api.example.test/read');
      const all = await s.idp.send(new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret }));
      const { payload: p2 } = await jwtVerify(all.ClientAuthenticationResult!.AccessToken!, jwks);
      assert.equal(p2.scope, 'https://api.example.test/read https://api.example.test/write');
    });

    test('refusals: wrong secret, unknown client, a scope not allowed, a client without the flow, bad shapes', async () => {
      await rejects({ ClientId: m2m.clientId, Secret: 'not-the-secret' }, 'NotAuthorizedException');
      await rejects({ ClientId: 'nosuchclient0000000000000', Secret: 'x' }, 'ResourceNotFoundException', /does not exist/);
      await rejects({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: ['https://api.example.test/admin'] }, 'InvalidParameterException', /admin/);
      await rejects({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: ['openid'] }, 'InvalidParameterException', /openid/);
      const web = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web-secret', GenerateSecret: true }));
      await rejects({ ClientId: web.UserPoolClient!.ClientId!, Secret: web.UserPoolClient!.ClientSecret! }, 'NotAuthorizedException', /client_credentials/);
      await rejects({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: 'https://api.example.test/read' }, 'InvalidParameterException', /scopes/);
      await rejects({ ClientId: 5, Secret: m2m.secret }, 'InvalidParameterException', /clientId/);
      await rejects({ ClientId: m2m.clientId }, 'InvalidParameterException', /secret/);
    });
  });
}
