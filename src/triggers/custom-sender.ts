// CustomEmailSender / CustomSMSSender: when the pool names one for a medium, Tessera neither
// composes nor sends that medium's messages; it invokes the function asynchronously (InvocationType
// Event: the operation neither waits for it nor sees its failures) with the code encrypted for it
// (sender-code.ts). Plugged in as Messages.customSender (app.ts).
//   triggerSource  CustomEmailSender_<trigger> / CustomSMSSender_<trigger> (SignUp, ResendCode,
//                  ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, AdminCreateUser,
//                  Authentication)
//   request        type customEmailSenderRequestV1 / customSMSSenderRequestV1, code (encrypted; for
//                  AdminCreateUser the temporary password), codeEncryption, userAttributes,
//                  clientMetadata
// Without TESSERA_CUSTOM_SENDER_KEY the message cannot be handed over safely: it is dropped and
// the drop logged (as Cognito sends nothing itself for such a pool).
import type { Logger } from 'pino';
import type { DeliveryMedium, MessageContext } from '../messaging/messages.js';
import { envelope, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';
import { CODE_ENCRYPTION, encryptCode } from './sender-code.js';

/** Hands the message to the pool's custom sender; false when the pool has none for `medium`. */
export function sendThroughCustomSender(runner: TriggerRunner, log: Logger, key: Buffer | undefined, ctx: MessageContext, medium: DeliveryMedium): boolean {
  const name = medium === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender';
  if (!runner.has(ctx.pool, name)) return false;
  if (!key) {
    log.error({ poolId: ctx.pool.id, trigger: name }, 'custom sender configured but TESSERA_CUSTOM_SENDER_KEY is not set: message dropped');
    return true;
  }
  const event = envelope({
    pool: ctx.pool,
    triggerSource: `${name}_${ctx.trigger}`,
    userName: ctx.user.username,
    clientId: ctx.clientId,
    request: {
      type: medium === 'EMAIL' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
      code: encryptCode(key, ctx.pool.id, ctx.code),
      codeEncryption: CODE_ENCRYPTION,
      userAttributes: userAttributes(ctx.pool, { id: ctx.user.sub ?? '', attributes: ctx.user.attributes, status: ctx.user.status ?? 'UNCONFIRMED' }),
      clientMetadata: ctx.clientMetadata,
    },
    response: {},
  });
  void runner.fire(ctx.pool, name, event);
  return true;
}
