// Threat protection settings through the real SDK (SetRiskConfiguration, DescribeRiskConfiguration)
// and the IP-range exceptions at sign-in: blocked with Cognito's message when ENFORCED, allowed
// when the address is also skipped, when the client has its own settings, in AUDIT mode, or for a
// refresh; a pool without threat protection cannot be configured.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminInitiateAuthCommand,
  DescribeRiskConfigurationCommand,
  InitiateAuthCommand,
  SetRiskConfigurationCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { CALLBACK, PASSWORD as HOSTED_PASSWORD, cookiesOf, get, hiddenField, postForm, seedOAuthPool, seedUser, seedWebClient } from '../../oauth/support.js';
import { PASSWORD, errorOf, makeClient, makePool, makeUser } from './support.js';

for (const engine of engines) {
  describe(`threat protection: risk configuration and blocked address ranges (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });
    const signIn = (clientId: string) => pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rob', PASSWORD } }));

    test('blocked ranges refuse sign-ins when ENFORCED; skipped ranges, a client of its own, AUDIT mode and refreshes go through', async () => {
      const off = await makePool(s);
      assert.equal((await errorOf(s.idp.send(new SetRiskConfigurationCommand({ UserPoolId: off, RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/8'] } })))).name, 'UserPoolAddOnNotEnabledException');

      const poolId = await makePool(s, { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
      const a = (await makeClient(s, poolId)).id;
      const b = (await makeClient(s, poolId, { ClientName: 'b' })).id;
      await makeUser(s, poolId, 'rob');
      const before = (await signIn(a)).AuthenticationResult!;

      assert.equal((await errorOf(s.idp.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['127.0.0.0/33'] } })))).name, 'InvalidParameterException');
      assert.equal((await errorOf(s.idp.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['localhost'] } })))).name, 'InvalidParameterException');
      const set = await s.idp.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          RiskExceptionConfiguration: { BlockedIPRangeList: ['127.0.0.0/8', '::1/128'] },
          CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
        }),
      );
      assert.deepEqual(set.RiskConfiguration!.RiskExceptionConfiguration, { BlockedIPRangeList: ['127.0.0.0/8', '::1/128'] });
      assert.ok(set.RiskConfiguration!.LastModifiedDate instanceof Date);

      const refused = await errorOf(signIn(a));
      assert.deepEqual(refused, { name: 'NotAuthorizedException', message: 'Unable to login because of security reasons.' });
      assert.ok(
        (await pub.send(new InitiateAuthCommand({ ClientId: a, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: before.RefreshToken! } }))).AuthenticationResult,
        'a refresh is not a sign-in',
      );
      // Client b inherits the pool's settings until it has its own.
      const inherited = (await s.idp.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: b }))).RiskConfiguration!;
      assert.equal(inherited.ClientId, b);
      assert.deepEqual(inherited.RiskExceptionConfiguration?.BlockedIPRangeList, ['127.0.0.0/8', '::1/128']);
      assert.equal((await errorOf(signIn(b))).name, 'NotAuthorizedException');
      // b's own settings replace the pool's (they are not merged): no blocked ranges of its own.
      await s.idp.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: b, RiskExceptionConfiguration: { SkippedIPRangeList: ['10.0.0.0/8'] } }));
      assert.ok((await signIn(b)).AuthenticationResult, "the pool's blocked ranges no longer apply to b");
      assert.equal((await errorOf(signIn(a))).name, 'NotAuthorizedException', "client a keeps the pool's");

      // A back end's AdminInitiateAuth names the end user's address: blocked unless also skipped.
      await s.idp.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: b, RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/8'], SkippedIPRangeList: ['10.1.0.0/16'] } }));
      const adminSignIn = (IpAddress: string) =>
        s.idp.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: b, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rob', PASSWORD }, ContextData: { IpAddress, ServerName: 'app', ServerPath: '/', HttpHeaders: [] } }));
      assert.equal((await errorOf(adminSignIn('10.2.3.4'))).message, 'Unable to login because of security reasons.');
      assert.ok((await adminSignIn('10.1.2.3')).AuthenticationResult, 'a skipped address goes through');
      assert.ok((await adminSignIn('192.0.2.1')).AuthenticationResult);

      // AUDIT: allowed. Back to ENFORCED, then reset: allowed.
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } }));
      assert.ok((await signIn(a)).AuthenticationResult);
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } }));
      assert.equal((await errorOf(signIn(a))).name, 'NotAuthorizedException');
      // The hosted UI's sign-in is refused the same way, with a page that says why.
      const o = await seedOAuthPool(s);
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: o.poolId, UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } }));
      await s.idp.send(new SetRiskConfigurationCommand({ UserPoolId: o.poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['127.0.0.0/8', '::1/128', '::ffff:0:0/96'] } }));
      const web = (await seedWebClient(s, o.poolId)).clientId;
      await seedUser(s, o.poolId, 'rob');
      const q = new URLSearchParams({ response_type: 'code', client_id: web, redirect_uri: CALLBACK, scope: 'openid' });
      const page = await get(`${o.base}/login?${q}`);
      const hosted = await postForm(`${o.base}/login?${q}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username: 'rob', password: HOSTED_PASSWORD }, { cookie: cookiesOf(page) });
      assert.equal(hosted.status, 400);
      assert.equal(hosted.headers.get('location'), null);
      assert.match(await hosted.text(), /not allowed from your network/);

      const reset = await s.idp.send(new SetRiskConfigurationCommand({ UserPoolId: poolId }));
      assert.equal(reset.RiskConfiguration!.RiskExceptionConfiguration, undefined);
      assert.ok((await signIn(a)).AuthenticationResult);
    });

    test('behind a trusted proxy the address is the one the proxy added, not what the client wrote before it', async () => {
      const proxied = await startServer({ engine, env: { TESSERA_TRUST_PROXY: 'true' } });
      try {
        const poolId = await makePool(proxied, { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
        const clientId = (await makeClient(proxied, poolId)).id;
        await makeUser(proxied, poolId, 'rob');
        await proxied.idp.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['192.0.2.0/24'] } }));
        const via = (forwardedFor: string) =>
          fetch(proxied.url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth', 'x-forwarded-for': forwardedFor },
            body: JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rob', PASSWORD } }),
          });
        const blocked = await via('10.9.9.9, 192.0.2.7');
        assert.equal(blocked.status, 400);
        assert.match(await blocked.text(), /security reasons/);
        const forged = await via('192.0.2.7, 10.9.9.9');
        assert.equal(forged.status, 200, 'a blocked address written first by the client is not the client address');
      } finally {
        await proxied.close();
      }
    });
  });
}
