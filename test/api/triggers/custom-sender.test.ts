// CustomEmailSender / CustomSMSSender: asynchronous invocations (InvocationType Event) instead of
// Tessera's own delivery, the code encrypted under TESSERA_CUSTOM_SENDER_KEY (decrypted here as a
// function would), failures invisible to the caller, and nothing sent without the key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  ConfirmSignUpCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decryptCode } from '../../../src/triggers/sender-code.js';
import { engines, publicClient } from '../../support/server.js';
import { arnOf } from './lambda-server.js';
import { PASSWORD, attrs, email, errorOf, makeClient, makePool, startTriggerWorld, userOf, type TriggerWorld } from './support.js';

const KEY = randomBytes(32);
const KMS = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const senders = {
  CustomEmailSender: { LambdaVersion: 'V1_0' as const, LambdaArn: arnOf('emailSender') },
  CustomSMSSender: { LambdaVersion: 'V1_0' as const, LambdaArn: arnOf('smsSender') },
  KMSKeyID: KMS,
};

for (const engine of engines) {
  describe(`custom senders (${engine})`, () => {
    let w: TriggerWorld;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      w = await startTriggerWorld(engine, { env: { TESSERA_CUSTOM_SENDER_KEY: KEY.toString('base64') } });
      pub = publicClient(w.s.url);
      w.lambda.handlers.emailSender = () => {
        throw new Error('the sender fails; nobody waits for it');
      };
      w.lambda.handlers.smsSender = () => ({});
      poolId = await makePool(w.s, { LambdaConfig: senders });
      clientId = (await makeClient(w.s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await w.close();
    });

    test('SignUp: CustomEmailSender_SignUp, invoked as an Event with the encrypted code; Tessera sends nothing itself', async () => {
      const to = email();
      const r = await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'alice', Password: PASSWORD, UserAttributes: attrs({ email: to }), ClientMetadata: { k: 'v' } }));
      assert.equal(r.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      const [ev] = await w.lambda.waitFor('emailSender', 1);
      assert.equal(w.lambda.received.emailSender[0].headers['x-amz-invocation-type'], 'Event');
      assert.equal(ev.triggerSource, 'CustomEmailSender_SignUp');
      assert.equal(ev.version, '1');
      assert.equal(ev.callerContext.clientId, clientId);
      assert.equal(ev.request.type, 'customEmailSenderRequestV1');
      assert.equal(ev.request.codeEncryption, 'TESSERA_AES_256_GCM');
      assert.deepEqual(ev.request.userAttributes, { sub: r.UserSub, email: to, 'cognito:user_status': 'UNCONFIRMED' });
      assert.deepEqual(ev.request.clientMetadata, { k: 'v' });
      assert.deepEqual(await w.s.app.store.outbox.list(to), []);
      const code = decryptCode(KEY, poolId, ev.request.code);
      assert.match(code!, /^\d{6}$/);
      assert.equal(decryptCode(randomBytes(32), poolId, ev.request.code), undefined);
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: code! }));
      assert.equal((await userOf(w.s, poolId, 'alice')).status, 'CONFIRMED');
    });

    test('AdminCreateUser by SMS: CustomSMSSender_AdminCreateUser carries the temporary password', async () => {
      await w.s.idp.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bob', TemporaryPassword: 'Temp-Passw0rd!', UserAttributes: attrs({ phone_number: '+15555550100' }) }),
      );
      const [ev] = await w.lambda.waitFor('smsSender', 1);
      assert.equal(ev.triggerSource, 'CustomSMSSender_AdminCreateUser');
      assert.equal(ev.request.type, 'customSMSSenderRequestV1');
      assert.equal(ev.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
      assert.equal(decryptCode(KEY, poolId, ev.request.code), 'Temp-Passw0rd!');
      assert.deepEqual(await w.s.app.store.outbox.list('+15555550100'), []);
    });

    test('without TESSERA_CUSTOM_SENDER_KEY the message is dropped (and logged), the operation succeeds', async () => {
      const bare = await startTriggerWorld(engine);
      try {
        bare.lambda.handlers.emailSender = (e) => e;
        const p = await makePool(bare.s, { LambdaConfig: senders });
        const c = await makeClient(bare.s, p);
        const to = email();
        const pc = publicClient(bare.s.url);
        const r = await pc.send(new SignUpCommand({ ClientId: c.id, Username: 'carol', Password: PASSWORD, UserAttributes: attrs({ email: to }) }));
        pc.destroy();
        assert.ok(r.UserSub);
        assert.deepEqual(await bare.s.app.store.outbox.list(to), []);
        assert.equal(bare.lambda.events('emailSender').length, 0);
      } finally {
        await bare.close();
      }
    });

    test('a custom sender needs KMSKeyID (Cognito\'s rule)', async () => {
      const e = await errorOf(w.s.idp.send(new CreateUserPoolCommand({ PoolName: 'p', LambdaConfig: { CustomEmailSender: senders.CustomEmailSender } })));
      assert.equal(e.name, 'InvalidParameterException');
    });
  });
}
