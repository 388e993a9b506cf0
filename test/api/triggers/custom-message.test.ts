// CustomMessage through Messages.composer: the event of each source (placeholders, never the
// code), the function's texts sent with the real code filled in, null keeping the pool's
// template, and a text without its placeholders refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  ResendConfirmationCodeCommand,
  UpdateUserAttributesCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { PASSWORD, attrs, email, errorOf, lambdaConfig, makeClient, makePool, startTriggerWorld, userOf, type TriggerWorld } from './support.js';

for (const engine of engines) {
  describe(`CustomMessage (${engine})`, () => {
    let w: TriggerWorld;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let reply: (e: any) => Record<string, unknown> = () => ({});
    before(async () => {
      w = await startTriggerWorld(engine);
      pub = publicClient(w.s.url);
      w.lambda.handlers.customMessage = (e) => ({ ...e, response: { ...e.response, ...reply(e) } });
      poolId = await makePool(w.s, {
        LambdaConfig: lambdaConfig({ CustomMessage: 'customMessage' }),
        VerificationMessageTemplate: { EmailSubject: 'Pool subject', EmailMessage: 'Pool code {####}' },
      });
      clientId = (await makeClient(w.s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await w.close();
    });

    const signUp = (Username: string, to: string) =>
      pub.send(new SignUpCommand({ ClientId: clientId, Username, Password: PASSWORD, UserAttributes: attrs({ email: to }), ClientMetadata: { lang: 'fr' } }));

    test('SignUp: CustomMessage_SignUp gets placeholders; its subject and body go out with the code filled in', async () => {
      reply = (e) => ({ emailSubject: `Bienvenue ${e.request.userAttributes.email}`, emailMessage: `<p>Code : ${e.request.codeParameter}</p>` });
      const to = email();
      const r = await signUp('alice', to);
      const ev = w.lambda.events('customMessage').at(-1);
      assert.deepEqual(ev, {
        version: '1',
        triggerSource: 'CustomMessage_SignUp',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: {
          userAttributes: { sub: r.UserSub, email: to, 'cognito:user_status': 'UNCONFIRMED' },
          codeParameter: '{####}',
          linkParameter: null,
          usernameParameter: null,
          clientMetadata: { lang: 'fr' },
        },
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      });
      const [m] = await w.s.app.store.outbox.list(to);
      assert.equal(m.subject, `Bienvenue ${to}`);
      assert.match(m.body, /^<p>Code : \d{6}<\/p>$/);
      const code = /(\d{6})/.exec(m.body)![1];
      assert.ok(!JSON.stringify(w.lambda.received.customMessage.at(-1)).includes(code), 'the function never sees the code');
    });

    test('null answers keep the pool template; ResendConfirmationCode is CustomMessage_ResendCode', async () => {
      reply = () => ({});
      const to = email();
      await signUp('bob', to);
      await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'bob' }));
      assert.equal(w.lambda.events('customMessage').at(-1).triggerSource, 'CustomMessage_ResendCode');
      const [m] = await w.s.app.store.outbox.list(to);
      assert.equal(m.subject, 'Pool subject');
      assert.match(m.body, /^Pool code \d{6}$/);
    });

    test('AdminCreateUser: CustomMessage_AdminCreateUser with {username}; the invitation names the user and the password', async () => {
      reply = (e) => ({ emailMessage: `Hi ${e.request.usernameParameter}, use ${e.request.codeParameter}` });
      const to = email();
      await w.s.idp.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carol', TemporaryPassword: 'Temp-Passw0rd!', UserAttributes: attrs({ email: to }), DesiredDeliveryMediums: ['EMAIL'] }),
      );
      const ev = w.lambda.events('customMessage').at(-1);
      assert.equal(ev.triggerSource, 'CustomMessage_AdminCreateUser');
      assert.equal(ev.request.usernameParameter, '{username}');
      assert.equal(ev.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
      const [m] = await w.s.app.store.outbox.list(to);
      assert.equal(m.body, 'Hi carol, use Temp-Passw0rd!');
    });

    test('a message without {####} is InvalidLambdaResponseException; the user stays (as after a failed delivery)', async () => {
      reply = () => ({ emailMessage: 'Welcome aboard' });
      const to = email();
      const e = await errorOf(signUp('dave', to));
      assert.equal(e.name, 'InvalidLambdaResponseException');
      assert.deepEqual(await w.s.app.store.outbox.list(to), []);
      assert.equal((await userOf(w.s, poolId, 'dave')).status, 'UNCONFIRMED');
    });

    test('only the text of the medium sent is checked: an SMS text without {####} does not stop an e-mail', async () => {
      reply = (e) => ({ emailMessage: `Code: ${e.request.codeParameter}`, smsMessage: 'no placeholder here' });
      const to = email();
      await signUp('dora', to);
      const [m] = await w.s.app.store.outbox.list(to);
      assert.match(m.body, /^Code: \d{6}$/);
    });

    test('an invitation without {username} (or {####}) falls back to the pool template: the user is created and told', async () => {
      reply = (e) => ({ emailSubject: 'Function subject', emailMessage: `Use ${e.request.codeParameter}` });
      const to = email();
      await w.s.idp.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'erin', TemporaryPassword: 'Temp-Passw0rd!', UserAttributes: attrs({ email: to }), DesiredDeliveryMediums: ['EMAIL'] }),
      );
      const [m] = await w.s.app.store.outbox.list(to);
      assert.ok(m.body.includes('erin') && m.body.includes('Temp-Passw0rd!'), m.body);
      assert.ok(!m.body.startsWith('Use '), 'not the function text');
      assert.notEqual(m.subject, 'Function subject', "the template's subject goes with its body");
      assert.equal((await userOf(w.s, poolId, 'erin')).status, 'FORCE_CHANGE_PASSWORD');
    });

    test('an e-mail sign-in code (EMAIL_OTP MFA) is CustomMessage_Authentication', async () => {
      reply = (e) => ({ emailSubject: 'Your sign-in code', emailMessage: `Sign in with ${e.request.codeParameter}` });
      const p = await makePool(w.s, { LambdaConfig: lambdaConfig({ CustomMessage: 'customMessage' }) });
      const c = await makeClient(w.s, p);
      await w.s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: p, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} }));
      const to = email();
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: p, Username: 'gina', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: to, email_verified: 'true' }) }));
      await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: p, Username: 'gina', Password: PASSWORD, Permanent: true }));
      await w.s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: p, Username: 'gina', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const r = await w.s.idp.send(new AdminInitiateAuthCommand({ UserPoolId: p, ClientId: c.id, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'gina', PASSWORD } }));
      assert.equal(r.ChallengeName, 'EMAIL_OTP');
      assert.equal(w.lambda.events('customMessage').at(-1).triggerSource, 'CustomMessage_Authentication');
      const [m] = await w.s.app.store.outbox.list(to);
      assert.equal(m.subject, 'Your sign-in code');
      assert.match(m.body, /^Sign in with \d{6,8}$/);
    });

    test('ForgotPassword, UpdateUserAttributes and GetUserAttributeVerificationCode: their own sources', async () => {
      reply = () => ({});
      const to = email();
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'hal', MessageAction: 'SUPPRESS', UserAttributes: attrs({ email: to, email_verified: 'true' }) }));
      await w.s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'hal', Password: PASSWORD, Permanent: true }));
      const source = () => w.lambda.events('customMessage').at(-1).triggerSource;
      await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'hal' }));
      assert.equal(source(), 'CustomMessage_ForgotPassword');
      const auth = await w.s.idp.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'hal', PASSWORD } }));
      const AccessToken = auth.AuthenticationResult!.AccessToken!;
      await pub.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: attrs({ email: email() }) }));
      assert.equal(source(), 'CustomMessage_UpdateUserAttribute');
      await pub.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }));
      assert.equal(source(), 'CustomMessage_VerifyUserAttribute');
    });

    test('a failing function: UserLambdaValidationException "CustomMessage failed with error ..."', async () => {
      reply = () => {
        throw new Error('template store offline');
      };
      const e = await errorOf(signUp('frank', email()));
      assert.deepEqual(e, { name: 'UserLambdaValidationException', message: 'CustomMessage failed with error template store offline.' });
    });
  });
}
