// Passkeys end to end: Debian's chromium (through playwright-core) with a CDP virtual
// authenticator registers a passkey (StartWebAuthnRegistration -> navigator.credentials.create ->
// CompleteWebAuthnRegistration) on a page served by the test at http://localhost (a secure
// context), then signs in with it (USER_AUTH WEB_AUTHN -> navigator.credentials.get); in a pool
// that requires MFA the TOTP challenge follows, unless a user-verified passkey counts as two factors.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  AdminSetUserMFAPreferenceCommand,
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { chromium, type Browser, type Page } from 'playwright-core';
import { engines, publicClient } from '../../support/server.js';
import { adminTokens, enrolTotp, makeClient, makePool, makeUser, rejection, startMfaServer, type MfaServer } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

for (const engine of engines) {
  describe(`passkeys in chromium (${engine})`, { skip: !existsSync(CHROMIUM) && 'no chromium' }, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let page: Page;
    let browser: Browser;
    let site: Server;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>'));
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      page = await browser.newPage();
      await page.goto(`http://localhost:${(site.address() as { port: number }).port}/`);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
      });
    });
    after(async () => {
      await browser?.close();
      site?.close();
      idp?.destroy();
      await s?.close();
    });

    const create = (options: unknown) =>
      page.evaluate(async (o) => {
        const PKC = PublicKeyCredential as unknown as { parseCreationOptionsFromJSON(o: unknown): PublicKeyCredentialCreationOptions };
        const cred = (await navigator.credentials.create({ publicKey: PKC.parseCreationOptionsFromJSON(o) })) as PublicKeyCredential;
        return (cred as unknown as { toJSON(): unknown }).toJSON();
      }, options);
    const get = (options: unknown) =>
      page.evaluate(async (o) => {
        const PKC = PublicKeyCredential as unknown as { parseRequestOptionsFromJSON(o: unknown): PublicKeyCredentialRequestOptions };
        const cred = (await navigator.credentials.get({ publicKey: PKC.parseRequestOptionsFromJSON(o) })) as PublicKeyCredential;
        return (cred as unknown as { toJSON(): unknown }).toJSON();
      }, options);

    test('a passkey is registered, listed, used to sign in (USER_AUTH WEB_AUTHN), and deleted', async () => {
      const poolId = await makePool(s, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } });
      await s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' } }));
      const clientId = (await makeClient(s, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).id;
      await makeUser(s, poolId, 'pat', { attributes: { email: 'pat@example.com' } });
      const { AccessToken } = (await adminTokens(s, poolId, clientId, 'pat'))!;

      const early = await rejection(idp.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: {} as never })));
      assert.equal(early.name, 'WebAuthnChallengeNotFoundException');
      const { CredentialCreationOptions } = await idp.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
      const registration = await create(CredentialCreationOptions);
      await idp.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: registration as never }));
      const { Credentials } = await idp.send(new ListWebAuthnCredentialsCommand({ AccessToken }));
      assert.equal(Credentials!.length, 1);
      assert.equal(Credentials![0]!.RelyingPartyId, 'localhost');

      const c = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'pat', PREFERRED_CHALLENGE: 'WEB_AUTHN' } }));
      assert.equal(c.ChallengeName, 'WEB_AUTHN');
      const assertion = await get(JSON.parse(c.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!));
      const answer = (session: string | undefined) =>
        idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'WEB_AUTHN', Session: session, ChallengeResponses: { USERNAME: 'pat', CREDENTIAL: JSON.stringify(assertion) } }));
      const done = await answer(c.Session);
      assert.ok(done.AuthenticationResult?.AccessToken);
      // The same assertion for a new challenge does not verify.
      const again = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'pat', PREFERRED_CHALLENGE: 'WEB_AUTHN' } }));
      assert.equal((await rejection(answer(again.Session))).name, 'NotAuthorizedException');

      await idp.send(new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: Credentials![0]!.CredentialId }));
      assert.deepEqual((await idp.send(new ListWebAuthnCredentialsCommand({ AccessToken }))).Credentials, []);
      const gone = await rejection(idp.send(new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: Credentials![0]!.CredentialId })));
      assert.equal(gone.name, 'ResourceNotFoundException');
    });

    test('a pool that requires MFA: a passkey is one factor (the TOTP challenge follows) unless the pool counts a verified passkey as two; malformed credentials are refused', async () => {
      const poolId = await makePool(s, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } });
      await s.idp.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'OPTIONAL',
          SoftwareTokenMfaConfiguration: { Enabled: true },
          WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' },
        }),
      );
      const clientId = (await makeClient(s, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).id;
      await makeUser(s, poolId, 'sam', { attributes: { email: 'sam@example.com' } });
      const { AccessToken } = (await adminTokens(s, poolId, clientId, 'sam'))!;
      await enrolTotp(s, idp, AccessToken!);
      const { CredentialCreationOptions } = await idp.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
      await idp.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: (await create(CredentialCreationOptions)) as never }));
      const mfaOn = (FactorConfiguration?: 'SINGLE_FACTOR' | 'MULTI_FACTOR_WITH_USER_VERIFICATION') =>
        s.idp.send(
          new SetUserPoolMfaConfigCommand({
            UserPoolId: poolId,
            MfaConfiguration: 'ON',
            SoftwareTokenMfaConfiguration: { Enabled: true },
            WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred', ...(FactorConfiguration ? { FactorConfiguration } : {}) },
          }),
        );
      const passkeySignIn = async (mangle?: string) => {
        const c = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'sam', PREFERRED_CHALLENGE: 'WEB_AUTHN' } }));
        assert.equal(c.ChallengeName, 'WEB_AUTHN');
        const credential = mangle ?? JSON.stringify(await get(JSON.parse(c.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!)));
        return idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'WEB_AUTHN', Session: c.Session, ChallengeResponses: { USERNAME: 'sam', CREDENTIAL: credential } }));
      };
      for (const bad of ['null', '[1,2]', '{"id":[1,2]}', '{"id":{"a":1}}', '{"id":true}']) {
        assert.equal((await rejection(passkeySignIn(bad))).name, 'InvalidParameterException', bad);
      }
      await mfaOn();
      const one = await passkeySignIn();
      assert.equal(one.AuthenticationResult, undefined);
      assert.equal(one.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      await mfaOn('MULTI_FACTOR_WITH_USER_VERIFICATION');
      // The pool allows it, but the user has not turned passkey MFA on: still one factor.
      assert.equal((await passkeySignIn()).ChallengeName, 'SOFTWARE_TOKEN_MFA');
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'sam', WebAuthnMfaSettings: { Enabled: true } }));
      const two = await passkeySignIn();
      assert.ok(two.AuthenticationResult?.AccessToken, 'the virtual authenticator verifies the user: two factors');
    });
  });
}
