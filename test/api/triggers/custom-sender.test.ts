// CustomEmailSender / CustomSMSSender: asynchronous invocations (InvocationType Event) instead of
// Tessera's own delivery, failures invisible to the caller. The code is encrypted as Cognito does,
// an AWS Encryption SDK message under the pool's KMS key (a local KMS, kms-server.ts), and the
// function decrypts it with @aws-crypto/client-node as a function written for Cognito does; or,
// with TESSERA_CUSTOM_SENDER_KEY, under that key. Nothing is sent when KMS refuses.
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
import { CommitmentPolicy, KmsKeyringNode, buildClient, getClient } from '@aws-crypto/client-node';
import { KMS as KmsClient } from '@aws-sdk/client-kms';
import { decryptCode } from '../../../src/triggers/sender-code.js';
import { KMS_TEST_CREDENTIALS, startKmsServer, type KmsServer } from '../../support/kms-server.js';
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

    test('a custom sender needs KMSKeyID (Cognito\'s rule)', async () => {
      const e = await errorOf(w.s.idp.send(new CreateUserPoolCommand({ PoolName: 'p', LambdaConfig: { CustomEmailSender: senders.CustomEmailSender } })));
      assert.equal(e.name, 'InvalidParameterException');
    });
  });
}

/** What a custom sender function written for Cognito does with `request.code` (AWS's sample, in substance). */
async function decryptAsAFunction(kms: KmsServer, keyArn: string, code: string) {
  const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const keyring = new KmsKeyringNode({ keyIds: [keyArn], clientProvider: getClient(KmsClient, { endpoint: kms.url, credentials: KMS_TEST_CREDENTIALS }) });
  const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(code, 'base64'));
  return { plaintext: plaintext.toString('utf8'), messageHeader };
}

for (const engine of engines) {
  describe(`custom senders with a KMS key, as Cognito (${engine})`, () => {
    let w: TriggerWorld;
    let kms: KmsServer;
    let pub: CognitoIdentityProviderClient;
    let keyArn: string;
    let poolId: string;
    let clientId: string;
    before(async () => {
      kms = await startKmsServer();
      keyArn = kms.createKey('us-east-1');
      w = await startTriggerWorld(engine, { env: { TESSERA_KMS_ENDPOINT: kms.url } });
      pub = publicClient(w.s.url);
      w.lambda.handlers.emailSender = async (ev) => decryptAsAFunction(kms, keyArn, ev.request.code);
      w.lambda.handlers.smsSender = () => ({});
      poolId = await makePool(w.s, { LambdaConfig: { ...senders, KMSKeyID: keyArn } });
      clientId = (await makeClient(w.s, poolId)).id;
    });
    after(async () => {
      pub.destroy();
      await w.close();
      await kms.close();
    });

    test('SignUp: the code is an Encryption SDK message under the pool key, suite 0x0378, context userpool-id; the function decrypts it', async () => {
      const to = email();
      kms.calls.length = 0;
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'dave', Password: PASSWORD, UserAttributes: attrs({ email: to }) }));
      const [ev] = await w.lambda.waitFor('emailSender', 1);
      assert.equal(ev.triggerSource, 'CustomEmailSender_SignUp');
      assert.equal(ev.request.type, 'customEmailSenderRequestV1');
      assert.equal('codeEncryption' in ev.request, false, 'a Cognito event has no codeEncryption');
      const { plaintext, messageHeader } = await decryptAsAFunction(kms, keyArn, ev.request.code);
      assert.match(plaintext, /^\d{6}$/);
      assert.equal(messageHeader.suiteId, 0x0378);
      assert.equal(messageHeader.version, 1);
      assert.equal(messageHeader.encryptionContext['userpool-id'], poolId);
      assert.deepEqual(messageHeader.encryptedDataKeys.map((k) => [k.providerId, k.providerInfo]), [['aws-kms', keyArn]]);
      // Tessera asked KMS for the data key, signed with its (local) credentials, under the pool's context.
      const gen = kms.calls.filter((c) => c.op === 'GenerateDataKey');
      assert.equal(gen.length, 1);
      assert.equal(gen[0].input.KeyId, keyArn);
      assert.equal(gen[0].input.EncryptionContext['userpool-id'], poolId);
      assert.equal(gen[0].accessKeyId, 'tessera-local');
      // The code in clear is nowhere in the event.
      assert.equal(JSON.stringify(ev).includes(plaintext), false);
      assert.deepEqual(await w.s.app.store.outbox.list(to), []);
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'dave', ConfirmationCode: plaintext }));
      assert.equal((await userOf(w.s, poolId, 'dave')).status, 'CONFIRMED');
    });

    test('AdminCreateUser by SMS: the temporary password, decrypted by the function', async () => {
      w.lambda.reset();
      await w.s.idp.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'erin', TemporaryPassword: 'Temp-Passw0rd!', UserAttributes: attrs({ phone_number: '+15555550101' }) }),
      );
      const [ev] = await w.lambda.waitFor('smsSender', 1);
      assert.equal(ev.triggerSource, 'CustomSMSSender_AdminCreateUser');
      assert.equal((await decryptAsAFunction(kms, keyArn, ev.request.code)).plaintext, 'Temp-Passw0rd!');
    });

    test('a function holding another key cannot open it', async () => {
      w.lambda.reset();
      const to = email();
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'fay', Password: PASSWORD, UserAttributes: attrs({ email: to }) }));
      const [ev] = await w.lambda.waitFor('emailSender', 1);
      const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
      const other = new KmsKeyringNode({ keyIds: [kms.createKey('us-east-1')], clientProvider: getClient(KmsClient, { endpoint: kms.url, credentials: KMS_TEST_CREDENTIALS }) });
      await assert.rejects(decrypt(other, Buffer.from(ev.request.code, 'base64')));
    });

    test('a key in another region: KMS is asked in the key\'s region (the ARN\'s), and the function decrypts', async () => {
      const euKey = kms.createKey('eu-west-1');
      const p = await makePool(w.s, { LambdaConfig: { ...senders, KMSKeyID: euKey } });
      const c = await makeClient(w.s, p);
      w.lambda.reset();
      kms.calls.length = 0;
      await pub.send(new SignUpCommand({ ClientId: c.id, Username: 'ivy', Password: PASSWORD, UserAttributes: attrs({ email: email() }) }));
      const [ev] = await w.lambda.waitFor('emailSender', 1);
      assert.deepEqual(kms.calls.filter((x) => x.op === 'GenerateDataKey').map((x) => x.input.KeyId), [euKey]);
      const { plaintext, messageHeader } = await decryptAsAFunction(kms, euKey, ev.request.code);
      assert.match(plaintext, /^\d{6}$/);
      assert.equal(messageHeader.encryptionContext['userpool-id'], p);
    });

    test('when KMS refuses the key, the message is dropped (logged), nothing is sent, the operation succeeds', async () => {
      const deniedKey = kms.createKey('us-east-1');
      kms.deny(deniedKey);
      const p = await makePool(w.s, { LambdaConfig: { ...senders, KMSKeyID: deniedKey } });
      const c = await makeClient(w.s, p);
      w.lambda.reset();
      kms.calls.length = 0;
      const to = email();
      const r = await pub.send(new SignUpCommand({ ClientId: c.id, Username: 'gus', Password: PASSWORD, UserAttributes: attrs({ email: to }) }));
      assert.ok(r.UserSub);
      await waitUntil(() => kms.calls.some((x) => x.op === 'GenerateDataKey' && x.input.KeyId === deniedKey));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(w.lambda.events('emailSender').length, 0);
      assert.deepEqual(await w.s.app.store.outbox.list(to), []);
    });

    test('when KMS cannot be reached, the message is dropped and the operation succeeds', async () => {
      const closed = await startKmsServer();
      const url = closed.url;
      await closed.close();
      const bare = await startTriggerWorld(engine, { env: { TESSERA_KMS_ENDPOINT: url } });
      try {
        bare.lambda.handlers.emailSender = (e) => e;
        const p = await makePool(bare.s, { LambdaConfig: { ...senders, KMSKeyID: keyArn } });
        const c = await makeClient(bare.s, p);
        const to = email();
        const pc = publicClient(bare.s.url);
        const r = await pc.send(new SignUpCommand({ ClientId: c.id, Username: 'hal', Password: PASSWORD, UserAttributes: attrs({ email: to }) }));
        pc.destroy();
        assert.ok(r.UserSub);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.deepEqual(await bare.s.app.store.outbox.list(to), []);
        assert.equal(bare.lambda.events('emailSender').length, 0);
      } finally {
        await bare.close();
      }
    });
  });
}

async function waitUntil(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
