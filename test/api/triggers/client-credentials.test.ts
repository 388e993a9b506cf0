// PreTokenGeneration V3 on the client_credentials grant (TokenGeneration_ClientCredentials): no
// user (no userName, empty userAttributes), the granted scopes in the event, claims and scopes
// changed in the access token, protected claims kept; V1/V2 functions are not called there; a
// failing function is the token request's invalid_request with Cognito's message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { engines } from '../../support/server.js';
import { postForm, seedMachineClient, seedOAuthPool } from '../../oauth/support.js';
import { arnOf } from './lambda-server.js';
import { startTriggerWorld, type TriggerWorld } from './support.js';

for (const engine of engines) {
  describe(`PreTokenGeneration on client credentials (${engine})`, () => {
    let w: TriggerWorld;
    let answer: (e: any) => unknown = (e) => e;
    before(async () => {
      w = await startTriggerWorld(engine);
      w.lambda.handlers.m2m = (e) => answer(e);
    });
    after(() => w.close());

    async function setUp(version: 'V1_0' | 'V2_0' | 'V3_0') {
      const o = await seedOAuthPool(w.s);
      await w.s.idp.send(new UpdateUserPoolCommand({ UserPoolId: o.poolId, LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: version, LambdaArn: arnOf('m2m') } } }));
      const m2m = await seedMachineClient(w.s, o.poolId);
      const auth = 'Basic ' + Buffer.from(`${m2m.clientId}:${m2m.secret}`).toString('base64');
      const token = () => postForm(`${o.base}/oauth2/token`, { grant_type: 'client_credentials', scope: 'https://api.example.test/read' }, { authorization: auth });
      return { ...o, clientId: m2m.clientId, token };
    }

    test('V3: TokenGeneration_ClientCredentials without a user; claims and scopes changed, protected ones kept', async () => {
      const { poolId, clientId, token } = await setUp('V3_0');
      w.lambda.reset();
      answer = (e) => ({
        ...e,
        response: {
          claimsAndScopeOverrideDetails: {
            accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', sub: 'forged' }, scopesToAdd: ['https://api.example.test/write'] },
          },
        },
      });
      const res = await token();
      assert.equal(res.status, 200);
      const body = (await res.json()) as { access_token: string };
      const claims = decodeJwt(body.access_token);
      assert.equal(claims.tenant, 'acme');
      assert.equal(claims.sub, clientId);
      assert.equal(claims.scope, 'https://api.example.test/read https://api.example.test/write');
      assert.deepEqual(w.lambda.events('m2m'), [
        {
          version: '3',
          triggerSource: 'TokenGeneration_ClientCredentials',
          region: 'us-east-1',
          userPoolId: poolId,
          callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
          request: {
            userAttributes: {},
            groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
            scopes: ['https://api.example.test/read'],
          },
          response: { claimsAndScopeOverrideDetails: null },
        },
      ]);
    });

    test('V2 is not called for client credentials', async () => {
      const { token } = await setUp('V2_0');
      w.lambda.reset();
      assert.equal((await token()).status, 200);
      assert.equal(w.lambda.events('m2m').length, 0);
    });

    test('a failing V3 function: 400 invalid_request with the trigger message, no token', async () => {
      const { token } = await setUp('V3_0');
      answer = () => {
        throw new Error('unknown tenant');
      };
      const res = await token();
      assert.equal(res.status, 400);
      const body = (await res.json()) as Record<string, string>;
      assert.equal(body.error, 'invalid_request');
      assert.equal(body.error_description, 'PreTokenGeneration failed with error unknown tenant.');
    });
  });
}
