// CUSTOM_AUTH with DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse:
// the events with the session history, single-use Sessions, failing and unknown users, SRP
// first (CHALLENGE_NAME SRP_A), and the real clients: amazon-cognito-identity-js's customChallenge
// callback and Amplify v6 signIn with CUSTOM_WITHOUT_SRP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  ConfirmDeviceCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import pkg from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { engines, publicClient } from '../../support/server.js';
import { PASSWORD, attrs, errorOf, lambdaConfig, makeClient, makePool, startTriggerWorld, type TriggerWorld } from './support.js';
import { configureMfa, deviceVerifier, lastCode } from '../mfa/support.js';
import { decodeJwt } from 'jose';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = pkg;

/** A quiz: Define asks up to three questions, passes on a right answer, fails after three wrong ones. */
const define = (e: any) => {
  const s = e.request.session as { challengeName: string; challengeResult: boolean }[];
  const last = s.at(-1);
  let response;
  if (last?.challengeName === 'SRP_A') response = { challengeName: 'PASSWORD_VERIFIER', issueTokens: false, failAuthentication: false };
  else if (last?.challengeName === 'PASSWORD_VERIFIER' && !last.challengeResult) response = { issueTokens: false, failAuthentication: true };
  else if (last?.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) response = { issueTokens: true, failAuthentication: false };
  else if (s.filter((x) => x.challengeName === 'CUSTOM_CHALLENGE').length >= 3) response = { issueTokens: false, failAuthentication: true };
  else response = { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
  return { ...e, response };
};
const create = (e: any) => ({
  ...e,
  response: { publicChallengeParameters: { question: '6 x 7' }, privateChallengeParameters: { answer: '42' }, challengeMetadata: `QUIZ-${e.request.session.length}` },
});
const verify = (e: any) => ({ ...e, response: { answerCorrect: e.request.challengeAnswer === e.request.privateChallengeParameters.answer } });

class MemoryStorage {
  private readonly items = new Map<string, string>();
  async setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  async getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  async removeItem(k: string) {
    this.items.delete(k);
  }
  async clear() {
    this.items.clear();
  }
}

for (const engine of engines) {
  describe(`CUSTOM_AUTH (${engine})`, () => {
    let w: TriggerWorld;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let hiddenClientId: string;
    let sub: string;
    before(async () => {
      w = await startTriggerWorld(engine);
      pub = publicClient(w.s.url);
      Object.assign(w.lambda.handlers, { define, create, verify });
      poolId = await makePool(w.s, {
        LambdaConfig: lambdaConfig({ DefineAuthChallenge: 'define', CreateAuthChallenge: 'create', VerifyAuthChallengeResponse: 'verify' }),
      });
      clientId = (await makeClient(w.s, poolId, { PreventUserExistenceErrors: 'LEGACY' })).id;
      hiddenClientId = (await makeClient(w.s, poolId, { PreventUserExistenceErrors: 'ENABLED' })).id;
      const u = await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS', UserAttributes: attrs({ name: 'Alice' }) }));
      sub = u.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
      await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: PASSWORD, Permanent: true }));
    });
    after(async () => {
      pub.destroy();
      await w.close();
    });

    const start = (USERNAME = 'alice', ClientId = clientId) =>
      pub.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME }, ClientMetadata: { stays: 'out' } }));
    const answer = (Session: string, ANSWER: string, USERNAME = 'alice', ClientId = clientId) =>
      pub.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: 'CUSTOM_CHALLENGE', Session, ChallengeResponses: { USERNAME, ANSWER }, ClientMetadata: { round: 'x' } }));

    test('without SRP: Define, Create, a wrong answer, Verify, Define with the history, a right answer, tokens', async () => {
      w.lambda.reset();
      const first = await start();
      assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.deepEqual(first.ChallengeParameters, { question: '6 x 7', USERNAME: 'alice' });
      const userAttributes = { sub, name: 'Alice', 'cognito:user_status': 'CONFIRMED' };
      const envelope = { version: '1', region: 'us-east-1', userPoolId: poolId, userName: 'alice', callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId } };
      assert.deepEqual(w.lambda.events('define')[0], {
        ...envelope,
        triggerSource: 'DefineAuthChallenge_Authentication',
        request: { userAttributes, session: [] },
        response: { challengeName: null, issueTokens: null, failAuthentication: null },
      });
      assert.deepEqual(w.lambda.events('create')[0], {
        ...envelope,
        triggerSource: 'CreateAuthChallenge_Authentication',
        request: { userAttributes, challengeName: 'CUSTOM_CHALLENGE', session: [] },
        response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
      });
      const second = await answer(first.Session!, '41');
      assert.equal(second.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.deepEqual(w.lambda.events('verify')[0], {
        ...envelope,
        triggerSource: 'VerifyAuthChallengeResponse_Authentication',
        request: { userAttributes, privateChallengeParameters: { answer: '42' }, challengeAnswer: '41', clientMetadata: { round: 'x' } },
        response: { answerCorrect: null },
      });
      assert.deepEqual(w.lambda.events('define')[1].request.session, [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'QUIZ-0' }]);
      const done = await answer(second.Session!, '42');
      assert.ok(done.AuthenticationResult?.IdToken);
      assert.deepEqual(w.lambda.events('define')[2].request.session, [
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'QUIZ-0' },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUIZ-1' },
      ]);
    });

    test('each Session answers once; a forged one is refused', async () => {
      const first = await start();
      await answer(first.Session!, '41');
      assert.deepEqual(await errorOf(answer(first.Session!, '42')), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
      assert.equal((await errorOf(answer(first.Session!.slice(0, -4) + 'AAAA', '42'))).name, 'NotAuthorizedException');
    });

    test('large private parameters and long metadata over rounds: every Session stays within 2,048 characters and still answers', async () => {
      const big = (e: any) => ({
        ...e,
        response: {
          publicChallengeParameters: { question: '6 x 7' },
          privateChallengeParameters: { answer: '42', padding: 'p'.repeat(1500) },
          challengeMetadata: `M${e.request.session.length}-${'m'.repeat(300)}`,
        },
      });
      w.lambda.handlers.create = big;
      try {
        let r = await start();
        for (let i = 0; i < 2; i++) {
          assert.ok(r.Session!.length <= 2048, `round ${i}: Session of ${r.Session!.length} characters`);
          r = await answer(r.Session!, 'no');
        }
        assert.ok(r.Session!.length <= 2048);
        // The state kept aside is still single-use and still checked: the right answer signs in once.
        const done = await answer(r.Session!, '42');
        assert.ok(done.AuthenticationResult?.IdToken);
        assert.equal((await errorOf(answer(r.Session!, '42'))).name, 'NotAuthorizedException');
        const history = w.lambda.events('define').at(-1).request.session as { challengeMetadata: string }[];
        assert.deepEqual(history.map((h) => h.challengeMetadata.slice(0, 3)), ['M0-', 'M1-', 'M2-']);
        // Each state kept aside went when its Session was answered.
        assert.deepEqual(await w.s.app.store.db.selectFrom('auth_session_state').select('jti').execute(), []);
      } finally {
        w.lambda.handlers.create = create;
      }
    });

    test('challenge parameters too large to keep (over 256 KiB) are InvalidLambdaResponseException', async () => {
      w.lambda.handlers.create = (e: any) => ({ ...e, response: { publicChallengeParameters: { q: '?' }, privateChallengeParameters: { blob: 'b'.repeat(300 * 1024) } } });
      try {
        const e = await errorOf(start());
        assert.equal(e.name, 'InvalidLambdaResponseException');
        assert.match(e.message, /exceed 256 KiB/);
      } finally {
        w.lambda.handlers.create = create;
      }
    });

    test('three wrong answers: Define fails the sign-in with NotAuthorizedException', async () => {
      let r = await start();
      for (let i = 0; i < 2; i++) r = await answer(r.Session!, 'no');
      assert.deepEqual(await errorOf(answer(r.Session!, 'no')), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    });

    test('a function error surfaces as "<Trigger> failed with error ..."; a nonsense decision as InvalidLambdaResponseException', async () => {
      const saved = w.lambda.handlers.verify;
      w.lambda.handlers.verify = () => {
        throw new Error('OTP service down');
      };
      const r = await start();
      assert.deepEqual(await errorOf(answer(r.Session!, '42')), { name: 'UserLambdaValidationException', message: 'VerifyAuthChallengeResponse failed with error OTP service down.' });
      w.lambda.handlers.verify = saved;
      w.lambda.handlers.define = (e) => ({ ...e, response: { challengeName: 'SOMETHING_ELSE' } });
      assert.equal((await errorOf(start())).name, 'InvalidLambdaResponseException');
      w.lambda.handlers.define = define;
    });

    test('an unknown user with existence hidden: userNotFound in the events, a stand-in name, never tokens', async () => {
      w.lambda.reset();
      const r = await start('nobody', hiddenClientId);
      assert.equal(r.ChallengeName, 'CUSTOM_CHALLENGE');
      const ev = w.lambda.events('define')[0];
      assert.equal(ev.request.userNotFound, true);
      assert.deepEqual(ev.request.userAttributes, {});
      assert.deepEqual(await errorOf(answer(r.Session!, '42', 'nobody', hiddenClientId)), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      assert.deepEqual(await errorOf(start('nobody')), { name: 'UserNotFoundException', message: 'User does not exist.' });
    });

    test('devices: a custom sign-in in a pool that remembers devices gets NewDeviceMetadata; with that DEVICE_KEY, its tokens carry it; SRP first lets a forgotten key through InitiateAuth', async () => {
      const devPool = await makePool(w.s, {
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
        LambdaConfig: lambdaConfig({ DefineAuthChallenge: 'define', CreateAuthChallenge: 'create', VerifyAuthChallengeResponse: 'verify' }),
      });
      const devClient = (await makeClient(w.s, devPool)).id;
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: devPool, Username: 'dev', MessageAction: 'SUPPRESS' }));
      await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: devPool, Username: 'dev', Password: PASSWORD, Permanent: true }));
      const customSignIn = async (extra: Record<string, string> = {}) => {
        const first = await pub.send(new InitiateAuthCommand({ ClientId: devClient, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'dev', ...extra } }));
        return pub.send(
          new RespondToAuthChallengeCommand({ ClientId: devClient, ChallengeName: 'CUSTOM_CHALLENGE', Session: first.Session, ChallengeResponses: { USERNAME: 'dev', ANSWER: '42', ...extra } }),
        );
      };
      const r1 = await customSignIn();
      const meta = r1.AuthenticationResult!.NewDeviceMetadata!;
      assert.ok(meta?.DeviceKey, 'a new device for a custom sign-in too');
      assert.equal(decodeJwt(r1.AuthenticationResult!.AccessToken!).device_key, meta.DeviceKey);
      await pub.send(
        new ConfirmDeviceCommand({ AccessToken: r1.AuthenticationResult!.AccessToken!, DeviceKey: meta.DeviceKey, DeviceName: 'kiosk', DeviceSecretVerifierConfig: deviceVerifier(meta.DeviceGroupKey!, meta.DeviceKey!) }),
      );
      const r2 = await customSignIn({ DEVICE_KEY: meta.DeviceKey! });
      assert.equal(r2.AuthenticationResult!.NewDeviceMetadata, undefined);
      assert.equal(decodeJwt(r2.AuthenticationResult!.AccessToken!).device_key, meta.DeviceKey);
      // SRP first: an unknown key passes InitiateAuth (the PASSWORD_VERIFIER answer is where the client retries without it).
      const srp = await pub.send(
        new InitiateAuthCommand({ ClientId: devClient, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'dev', CHALLENGE_NAME: 'SRP_A', SRP_A: 'abc123', DEVICE_KEY: 'us-east-1_forgotten-device' } }),
      );
      assert.equal(srp.ChallengeName, 'PASSWORD_VERIFIER');
    });

    test('a pool without DefineAuthChallenge: InvalidParameterException', async () => {
      const p = await makePool(w.s);
      const c = await makeClient(w.s, p);
      const e = await errorOf(pub.send(new InitiateAuthCommand({ ClientId: c.id, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' } })));
      assert.deepEqual(e, { name: 'InvalidParameterException', message: 'Custom auth lambda trigger is not configured for the user pool.' });
    });

    describe('SRP first, through amazon-cognito-identity-js', () => {
      const signIn = (password: string, answerWith: string) =>
        new Promise<{ kind: string; detail?: any }>((resolve) => {
          const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${w.s.url}/` });
          const user = new CognitoUser({ Username: 'alice', Pool: pool });
          user.setAuthenticationFlowType('CUSTOM_AUTH');
          const callbacks = {
            onSuccess: (session: pkg.CognitoUserSession) => resolve({ kind: 'success', detail: session }),
            onFailure: (e: { code: string; message: string }) => resolve({ kind: 'failure', detail: e }),
            customChallenge(params: Record<string, string>) {
              assert.equal(params.question, '6 x 7');
              user.sendCustomChallengeAnswer(answerWith, callbacks);
            },
          };
          user.authenticateUser(new AuthenticationDetails({ Username: 'alice', Password: password }), callbacks);
        });

      test('SRP_A, PASSWORD_VERIFIER, then the customChallenge callback completes the sign-in', async () => {
        w.lambda.reset();
        const r = await signIn(PASSWORD, '42');
        assert.equal(r.kind, 'success', JSON.stringify(r.detail));
        assert.equal(r.detail.getIdToken().payload['cognito:username'], 'alice');
        const sessions = w.lambda.events('define').map((e) => e.request.session);
        assert.deepEqual(sessions, [
          [{ challengeName: 'SRP_A', challengeResult: true }],
          [
            { challengeName: 'SRP_A', challengeResult: true },
            { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
          ],
          [
            { challengeName: 'SRP_A', challengeResult: true },
            { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
            { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUIZ-2' },
          ],
        ]);
      });

      test('a user whose MFA applies: after PASSWORD_VERIFIER comes the SMS_MFA challenge (mfaRequired), then tokens, without Define again', async () => {
        const mfaPool = await makePool(w.s, { LambdaConfig: lambdaConfig({ DefineAuthChallenge: 'define', CreateAuthChallenge: 'create', VerifyAuthChallengeResponse: 'verify' }) });
        await configureMfa(w.s, mfaPool, { SmsMfaConfiguration: {} });
        const mfaClient = (await makeClient(w.s, mfaPool)).id;
        const phone = '+15555550177';
        await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: mfaPool, Username: 'mona', MessageAction: 'SUPPRESS', UserAttributes: attrs({ phone_number: phone, phone_number_verified: 'true' }) }));
        await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: mfaPool, Username: 'mona', Password: PASSWORD, Permanent: true }));
        await w.s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: mfaPool, Username: 'mona', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
        w.lambda.reset();
        const steps: string[] = [];
        const r = await new Promise<{ kind: string; detail?: any }>((resolve) => {
          const user = new CognitoUser({ Username: 'mona', Pool: new CognitoUserPool({ UserPoolId: mfaPool, ClientId: mfaClient, endpoint: `${w.s.url}/` }) });
          user.setAuthenticationFlowType('CUSTOM_AUTH');
          const callbacks = {
            onSuccess: (session: pkg.CognitoUserSession) => resolve({ kind: 'success', detail: session }),
            onFailure: (e: { code: string; message: string }) => resolve({ kind: 'failure', detail: e }),
            customChallenge() {
              steps.push('customChallenge');
              resolve({ kind: 'custom challenge' });
            },
            mfaRequired(challengeName: string) {
              steps.push(challengeName);
              lastCode(w.s, phone).then((code) => user.sendMFACode(code, callbacks), (e) => resolve({ kind: 'failure', detail: e }));
            },
          };
          user.authenticateUser(new AuthenticationDetails({ Username: 'mona', Password: PASSWORD }), callbacks);
        });
        assert.equal(r.kind, 'success', JSON.stringify(r.detail));
        assert.deepEqual(steps, ['SMS_MFA']);
        assert.equal(r.detail.getIdToken().payload['cognito:username'], 'mona');
        assert.deepEqual(
          w.lambda.events('define').map((e) => e.request.session),
          [[{ challengeName: 'SRP_A', challengeResult: true }]],
        );
        assert.equal(w.lambda.events('create').length, 0);
      });

      test('a wrong password reaches Define as PASSWORD_VERIFIER false, which fails the sign-in', async () => {
        w.lambda.reset();
        const r = await signIn('Wr0ng-Horse!', '42');
        assert.equal(r.kind, 'failure');
        assert.equal(r.detail.code, 'NotAuthorizedException');
        assert.deepEqual(w.lambda.events('define').at(-1).request.session.at(-1), { challengeName: 'PASSWORD_VERIFIER', challengeResult: false });
        assert.equal(w.lambda.events('create').length, 0);
      });
    });

    test('Amplify v6 signIn with CUSTOM_WITHOUT_SRP and confirmSignIn', async () => {
      Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: `${w.s.url}/` } } });
      cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
      const r = await signIn({ username: 'alice', options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
      assert.equal(r.isSignedIn, false);
      assert.equal(r.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
      assert.deepEqual((r.nextStep as { additionalInfo?: Record<string, string> }).additionalInfo, { question: '6 x 7', USERNAME: 'alice' });
      const done = await confirmSignIn({ challengeResponse: '42' });
      assert.equal(done.isSignedIn, true);
      const session = await fetchAuthSession();
      assert.equal(session.tokens?.idToken?.payload.name, 'Alice');
      await signOut();
    });
  });
}
