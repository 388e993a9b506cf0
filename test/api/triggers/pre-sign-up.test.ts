// PreSignUp: the exact events of SignUp and AdminCreateUser, what autoConfirmUser /
// autoVerifyEmail / autoVerifyPhone do, and that a refusal (or an impossible answer) leaves no
// user behind.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { PASSWORD, attrs, email, errorOf, lambdaConfig, makeClient, makePool, startTriggerWorld, userOf, usernames, type TriggerWorld } from './support.js';

for (const engine of engines) {
  describe(`PreSignUp (${engine})`, () => {
    let w: TriggerWorld;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let answer: Record<string, unknown> = {};
    before(async () => {
      w = await startTriggerWorld(engine);
      pub = publicClient(w.s.url);
      w.lambda.handlers.preSignUp = (e) => {
        if (e.request.userAttributes.name === 'Mallory') throw new Error('Not welcome');
        return { ...e, response: { ...e.response, ...answer } };
      };
      w.lambda.handlers.postConfirmation = (e) => e;
      poolId = await makePool(w.s, { LambdaConfig: lambdaConfig({ PreSignUp: 'preSignUp', PostConfirmation: 'postConfirmation' }) });
      clientId = (await makeClient(w.s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await w.close();
    });

    const signUp = (Username: string, a: Record<string, string>, extra: Record<string, unknown> = {}) =>
      pub.send(new SignUpCommand({ ClientId: clientId, Username, Password: PASSWORD, UserAttributes: attrs(a), ...extra }));

    test('SignUp sends PreSignUp_SignUp with the attributes, ValidationData as a map and ClientMetadata', async () => {
      answer = {};
      const to = email();
      const r = await signUp('alice', { email: to, name: 'Alice' }, { ValidationData: attrs({ invite: 'abc' }), ClientMetadata: { src: 'web' } });
      assert.equal(r.UserConfirmed, false);
      assert.ok(r.CodeDeliveryDetails);
      assert.deepEqual(w.lambda.events('preSignUp').at(-1), {
        version: '1',
        triggerSource: 'PreSignUp_SignUp',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: { userAttributes: { email: to, name: 'Alice' }, validationData: { invite: 'abc' }, clientMetadata: { src: 'web' } },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      });
      assert.equal((await userOf(w.s, poolId, 'alice')).status, 'UNCONFIRMED');
    });

    test('autoConfirmUser + autoVerifyEmail: CONFIRMED, e-mail verified, no code sent, no delivery details', async () => {
      answer = { autoConfirmUser: true, autoVerifyEmail: true };
      const to = email();
      const r = await signUp('bob', { email: to });
      assert.equal(r.UserConfirmed, true);
      assert.equal(r.CodeDeliveryDetails, undefined);
      const u = await userOf(w.s, poolId, 'bob');
      assert.equal(u.status, 'CONFIRMED');
      assert.equal(u.attributes.email_verified, 'true');
      assert.deepEqual(await w.s.app.store.outbox.list(to), []);
      // The confirmation happened: PostConfirmation runs for it, as after ConfirmSignUp.
      const post = w.lambda.events('postConfirmation').at(-1);
      assert.equal(post?.triggerSource, 'PostConfirmation_ConfirmSignUp');
      assert.equal(post.userName, 'bob');
      assert.equal(post.request.userAttributes['cognito:user_status'], 'CONFIRMED');
      assert.equal(post.callerContext.clientId, clientId);
    });

    test('SignUp without ValidationData sends validationData: null; an unconfirmed sign-up runs no PostConfirmation', async () => {
      answer = {};
      const before = w.lambda.events('postConfirmation').length;
      await signUp('vera', { email: email() });
      const ev = w.lambda.events('preSignUp').at(-1);
      assert.ok('validationData' in ev.request);
      assert.equal(ev.request.validationData, null);
      assert.equal(w.lambda.events('postConfirmation').length, before);
    });

    test('autoVerifyPhone for a user without a phone number: InvalidParameterException and no user', async () => {
      answer = { autoVerifyPhone: true };
      const e = await errorOf(signUp('carol', { email: email() }));
      assert.equal(e.name, 'InvalidParameterException');
      assert.ok(!(await usernames(w.s, poolId)).includes('carol'));
    });

    test('a refusal is UserLambdaValidationException and stores nothing; the name stays free', async () => {
      answer = {};
      const to = email();
      const e = await errorOf(signUp('mallory', { email: to, name: 'Mallory' }));
      assert.deepEqual(e, { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Not welcome.' });
      assert.ok(!(await usernames(w.s, poolId)).includes('mallory'));
      assert.deepEqual(await w.s.app.store.outbox.list(to), []);
      await signUp('mallory', { email: to, name: 'Mal' });
      assert.equal((await userOf(w.s, poolId, 'mallory')).status, 'UNCONFIRMED');
    });

    test('AdminCreateUser sends PreSignUp_AdminCreateUser (no client); autoConfirm does not skip the new password', async () => {
      answer = { autoConfirmUser: true, autoVerifyEmail: true };
      const to = email();
      await w.s.idp.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dave', UserAttributes: attrs({ email: to }), MessageAction: 'SUPPRESS', ClientMetadata: { by: 'ops' } }),
      );
      const ev = w.lambda.events('preSignUp').at(-1);
      assert.equal(ev.triggerSource, 'PreSignUp_AdminCreateUser');
      assert.equal(ev.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
      assert.deepEqual(ev.request, { userAttributes: { email: to }, validationData: null, clientMetadata: { by: 'ops' } });
      const u = await userOf(w.s, poolId, 'dave');
      assert.equal(u.status, 'FORCE_CHANGE_PASSWORD');
      assert.equal(u.attributes.email_verified, 'true');
    });

    test('AdminCreateUser refused by PreSignUp: UserLambdaValidationException, no user', async () => {
      const e = await errorOf(
        w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'eve', UserAttributes: attrs({ name: 'Mallory' }), MessageAction: 'SUPPRESS' })),
      );
      assert.deepEqual(e, { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Not welcome.' });
      assert.ok(!(await usernames(w.s, poolId)).includes('eve'));
    });

    test('pools with e-mail as username: userName is the new sub-shaped username', async () => {
      answer = {};
      const p = await makePool(w.s, { UsernameAttributes: ['email'], LambdaConfig: lambdaConfig({ PreSignUp: 'preSignUp' }) });
      const c = await makeClient(w.s, p);
      const to = email();
      const r = await pub.send(new SignUpCommand({ ClientId: c.id, Username: to, Password: PASSWORD }));
      const ev = w.lambda.events('preSignUp').at(-1);
      assert.equal(ev.userName, r.UserSub);
      assert.deepEqual(ev.request.userAttributes, { email: to });
    });
  });
}
