// CustomEmailSender / CustomSMSSender: when the pool names one for a medium, Tessera neither
// composes nor sends that medium's messages; it invokes the function asynchronously (InvocationType
// Event: the operation neither waits for it nor sees its failures) with the code encrypted for it
// (sender-code.ts). Plugged in as Messages.customSender (app.ts).
//   triggerSource  CustomEmailSender_<trigger> / CustomSMSSender_<trigger> (SignUp, ResendCode,
//                  ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, AdminCreateUser,
//                  Authentication)
//   request        type customEmailSenderRequestV1 / customSMSSenderRequestV1, code (encrypted; for
//                  AdminCreateUser the temporary password), userAttributes, clientMetadata; with
//                  TESSERA_CUSTOM_SENDER_KEY also codeEncryption
// The code is encrypted under the pool's KMS key as Cognito does, or under TESSERA_CUSTOM_SENDER_KEY
// when that is set (sender-code.ts). When KMS refuses or cannot be reached, the message cannot be
// handed over safely: it is dropped and the drop logged (Cognito sends nothing itself for such a
// pool either).
import type { Logger } from 'pino';
import type { DeliveryMedium, MessageContext } from '../messaging/messages.js';
import { envelope, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';
import { CODE_ENCRYPTION, encryptCode, type KmsCodeEncryptor } from './sender-code.js';

/** How the code is encrypted: Tessera's local key, else KMS (as Cognito). */
export interface SenderEncryption {
  key?: Buffer;
  kms: KmsCodeEncryptor;
}

/** Hands the message to the pool's custom sender; false when the pool has none for `medium`. */
export function sendThroughCustomSender(runner: TriggerRunner, log: Logger, enc: SenderEncryption, ctx: MessageContext, medium: DeliveryMedium): boolean {
  const name = medium === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender';
  if (!runner.has(ctx.pool, name)) return false;
  // The event is built now, from the user as the operation left it; the code goes in once encrypted.
  const eventWith = (code: string, local: boolean) =>
    envelope({
      pool: ctx.pool,
      triggerSource: `${name}_${ctx.trigger}`,
      userName: ctx.user.username,
      clientId: ctx.clientId,
      request: {
        type: medium === 'EMAIL' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
        code,
        ...(local ? { codeEncryption: CODE_ENCRYPTION } : {}),
        userAttributes: userAttributes(ctx.pool, { id: ctx.user.sub ?? '', attributes: ctx.user.attributes, status: ctx.user.status ?? 'UNCONFIRMED' }),
        clientMetadata: ctx.clientMetadata,
      },
      response: {},
    });
  if (enc.key) {
    void runner.fire(ctx.pool, name, eventWith(encryptCode(enc.key, ctx.pool.id, ctx.code), true));
    return true;
  }
  const event = eventWith('', false);
  const keyId = ctx.pool.settings.LambdaConfig?.KMSKeyID;
  if (!keyId) {
    // CreateUserPool/UpdateUserPool refuse a custom sender without KMSKeyID; a pool stored otherwise still sends nothing in clear.
    log.error({ poolId: ctx.pool.id, trigger: name }, 'custom sender configured without KMSKeyID: message dropped');
    return true;
  }
  // Like the invocation itself, the encryption is not waited for: the operation goes on.
  enc.kms
    .encrypt(keyId, ctx.pool.id, ctx.code)
    .then((code) => {
      (event.request as { code: string }).code = code;
      void runner.fire(ctx.pool, name, event);
    })
    .catch((err: Error) => log.error({ poolId: ctx.pool.id, trigger: name, kmsError: err.name, reason: err.message }, 'KMS did not encrypt the custom sender code: message dropped'));
  return true;
}
