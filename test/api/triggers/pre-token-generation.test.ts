// PreTokenGeneration V1, V2 and V3 on every path that issues tokens (sign-in, refresh through
// InitiateAuth and GetTokensFromRefreshToken): the events, claims added / overridden / suppressed,
// protected claims untouched, group overrides, scopes, and no tokens when the function fails.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { engines, publicClient } from '../../support/server.js';
import { PASSWORD, attrs, errorOf, lambdaConfig, makeClient, makePool, startTriggerWorld, type TriggerWorld } from './support.js';

const ROLE = 'arn:aws:iam::123456789012:role/Admins';

for (const engine of engines) {
  describe(`PreTokenGeneration (${engine})`, () => {
    let w: TriggerWorld;
    let pub: CognitoIdentityProviderClient;
    let answer: (e: any) => unknown = (e) => e;
    before(async () => {
      w = await startTriggerWorld(engine);
      pub = publicClient(w.s.url);
      w.lambda.handlers.ptg = (e) => answer(e);
    });
    after(async () => {
      pub.destroy();
      await w.close();
    });

    /** A pool with the trigger, a client, and alice (e-mail, name) in groups admins (with a role) and staff. */
    async function setUp(LambdaConfig: LambdaConfigType) {
      const poolId = await makePool(w.s, { LambdaConfig });
      const client = await makeClient(w.s, poolId);
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: 'alice@example.com', name: 'Alice' }) }));
      await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: PASSWORD, Permanent: true }));
      await w.s.idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', RoleArn: ROLE, Precedence: 1 }));
      await w.s.idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Precedence: 2 }));
      for (const g of ['admins', 'staff']) await w.s.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: g }));
      const signIn = () =>
        w.s.idp.send(
          new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: client.id, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD }, ClientMetadata: { not: 'passed' } }),
        );
      return { poolId, clientId: client.id, signIn };
    }

    test('V1: the event; claims added, overridden and suppressed in the ID token only; groups overridden; protected claims kept', async () => {
      const { poolId, clientId, signIn } = await setUp(lambdaConfig({ PreTokenGeneration: 'ptg' }));
      answer = (e) => ({
        ...e,
        response: {
          claimsOverrideDetails: {
            claimsToAddOrOverride: { tier: 'gold', email: 'hidden@example.com', sub: 'forged', iss: 'https://evil.example' },
            claimsToSuppress: ['name', 'token_use'],
            groupOverrideDetails: { groupsToOverride: ['vip'], iamRolesToOverride: [], preferredRole: null },
          },
        },
      });
      const r = await signIn();
      const ev = w.lambda.events('ptg').at(-1);
      const sub = ev.request.userAttributes.sub;
      assert.deepEqual(ev, {
        version: '1',
        triggerSource: 'TokenGeneration_Authentication',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: {
          userAttributes: { sub, email: 'alice@example.com', name: 'Alice', 'cognito:user_status': 'CONFIRMED' },
          groupConfiguration: { groupsToOverride: ['admins', 'staff'], iamRolesToOverride: [ROLE], preferredRole: ROLE },
        },
        response: { claimsOverrideDetails: null },
      });
      const id = decodeJwt(r.AuthenticationResult!.IdToken!);
      const access = decodeJwt(r.AuthenticationResult!.AccessToken!);
      assert.equal(id.tier, 'gold');
      assert.equal(id.email, 'hidden@example.com');
      assert.equal(id.name, undefined);
      assert.equal(id.sub, sub);
      assert.equal(id.token_use, 'id');
      assert.match(String(id.iss), new RegExp(`/${poolId}$`));
      assert.deepEqual(id['cognito:groups'], ['vip']);
      assert.equal(id['cognito:roles'], undefined);
      assert.equal(id['cognito:preferred_role'], undefined);
      assert.deepEqual(access['cognito:groups'], ['vip']);
      assert.equal(access.tier, undefined);
    });

    test('V1: leaving claimsOverrideDetails null changes nothing; a non-string V1 claim is InvalidLambdaResponseException', async () => {
      const { signIn } = await setUp(lambdaConfig({ PreTokenGeneration: 'ptg' }));
      answer = (e) => e;
      const id = decodeJwt((await signIn()).AuthenticationResult!.IdToken!);
      assert.deepEqual(id['cognito:groups'], ['admins', 'staff']);
      assert.equal(id['cognito:preferred_role'], ROLE);
      answer = (e) => ({ ...e, response: { claimsOverrideDetails: { claimsToAddOrOverride: { level: 3 } } } });
      assert.deepEqual(await errorOf(signIn()), { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
    });

    test('V2: version "2" and scopes in the event; JSON claims in both tokens, scopes added and suppressed, protected access claims kept', async () => {
      const { clientId, signIn } = await setUp({ PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: lambdaConfig({ PreSignUp: 'ptg' }).PreSignUp } });
      answer = (e) => ({
        ...e,
        response: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { roles: ['reader', 'writer'] }, claimsToSuppress: ['email'] },
            accessTokenGeneration: {
              claimsToAddOrOverride: { tenant: { id: 7, name: 'acme' }, client_id: 'forged', username: 'root' },
              claimsToSuppress: ['cognito:groups', 'version'],
              scopesToAdd: ['orders/read', 'orders/write'],
              scopesToSuppress: ['aws.cognito.signin.user.admin', 'orders/write'],
            },
          },
        },
      });
      const r = await signIn();
      const ev = w.lambda.events('ptg').at(-1);
      assert.equal(ev.version, '2');
      assert.deepEqual(ev.request.scopes, ['aws.cognito.signin.user.admin']);
      assert.deepEqual(ev.response, { claimsAndScopeOverrideDetails: null });
      const id = decodeJwt(r.AuthenticationResult!.IdToken!);
      const access = decodeJwt(r.AuthenticationResult!.AccessToken!);
      assert.deepEqual(id.roles, ['reader', 'writer']);
      assert.equal(id.email, undefined);
      assert.deepEqual(access.tenant, { id: 7, name: 'acme' });
      assert.equal(access.client_id, clientId);
      assert.equal(access.username, 'alice');
      assert.equal(access.version, 2);
      assert.equal(access['cognito:groups'], undefined);
      assert.equal(access.scope, 'orders/read');
    });

    test('refresh runs it again (TokenGeneration_RefreshTokens, V3 "3"); GetTokensFromRefreshToken passes its ClientMetadata', async () => {
      const { clientId, signIn } = await setUp({ PreTokenGenerationConfig: { LambdaVersion: 'V3_0', LambdaArn: lambdaConfig({ PreSignUp: 'ptg' }).PreSignUp } });
      let n = 0;
      answer = (e) => ({ ...e, response: { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { n: ++n } } } } });
      const first = await signIn();
      const RefreshToken = first.AuthenticationResult!.RefreshToken!;
      assert.equal(w.lambda.events('ptg').at(-1).version, '3');
      const again = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: RefreshToken } }));
      assert.equal(w.lambda.events('ptg').at(-1).triggerSource, 'TokenGeneration_RefreshTokens');
      assert.equal(decodeJwt(again.AuthenticationResult!.AccessToken!).n, 2);
      await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken, ClientMetadata: { app: 'v6' } }));
      const ev = w.lambda.events('ptg').at(-1);
      assert.equal(ev.triggerSource, 'TokenGeneration_RefreshTokens');
      assert.deepEqual(ev.request.clientMetadata, { app: 'v6' });
    });

    test('after NEW_PASSWORD_REQUIRED: TokenGeneration_NewPasswordChallenge with RespondToAuthChallenge\'s ClientMetadata', async () => {
      const { poolId, clientId } = await setUp(lambdaConfig({ PreTokenGeneration: 'ptg' }));
      answer = (e) => e;
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'temp', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
      const first = await w.s.idp.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'temp', PASSWORD } }),
      );
      assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const done = await w.s.idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: first.Session,
          ChallengeResponses: { USERNAME: 'temp', NEW_PASSWORD: 'Br4nd-New-Pass!' },
          ClientMetadata: { via: 'respond' },
        }),
      );
      assert.ok(done.AuthenticationResult?.IdToken);
      const ev = w.lambda.events('ptg').at(-1);
      assert.equal(ev.triggerSource, 'TokenGeneration_NewPasswordChallenge');
      assert.deepEqual(ev.request.clientMetadata, { via: 'respond' });
    });

    test('a failing function: UserLambdaValidationException and no tokens, on sign-in and on refresh', async () => {
      const { clientId, signIn } = await setUp(lambdaConfig({ PreTokenGeneration: 'ptg' }));
      answer = (e) => e;
      const RefreshToken = (await signIn()).AuthenticationResult!.RefreshToken!;
      answer = () => {
        throw new Error('claims service down');
      };
      const expected = { name: 'UserLambdaValidationException', message: 'PreTokenGeneration failed with error claims service down.' };
      assert.deepEqual(await errorOf(signIn()), expected);
      assert.deepEqual(await errorOf(pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: RefreshToken } }))), expected);
    });
  });
}
