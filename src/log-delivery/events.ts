// What the log export sends (log-delivery.ts): audit events as userAuthEvents records, failed
// message deliveries as userNotification records. Neither carries a code, password or token; a
// failed delivery names the medium, the message's trigger and the sender's error, cut short and
// with addresses and phone numbers in it (an SMTP reply often quotes the recipient) blanked out.
import type { AuditEvent } from '../audit/audit.js';
import type { DeliveryMedium, MessageContext } from '../messaging/messages.js';
import type { LogDelivery } from './log-delivery.js';

/** An audit event as a userAuthEvents record (AdminAction events are the operator's, not the user's). */
export function exportAuditEvent(logs: LogDelivery, e: AuditEvent, id: string, at: number): void {
  if (e.type === 'AdminAction' || !e.poolId) return;
  logs.emit(e.poolId, 'userAuthEvents', {
    eventId: id,
    eventType: e.type,
    eventResponse: e.outcome,
    eventTimestamp: at,
    ...(e.username !== undefined ? { userName: e.username } : {}),
    ...(e.userId !== undefined ? { userSub: e.userId } : {}),
    ...(e.clientId !== undefined ? { clientId: e.clientId } : {}),
    ...(e.sourceIp !== undefined ? { ipAddress: e.sourceIp } : {}),
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
  });
}

/** A message that could not be sent, as a userNotification record. */
export function exportDeliveryFailure(logs: LogDelivery, ctx: MessageContext, medium: DeliveryMedium, err: Error): void {
  logs.emit(ctx.pool.id, 'userNotification', {
    eventType: 'MessageDeliveryFailure',
    message: `The ${medium === 'SMS' ? 'SMS' : 'e-mail'} message of ${ctx.trigger} could not be delivered.`,
    deliveryMedium: medium,
    messageTrigger: ctx.trigger,
    error: senderError(err),
    ...(ctx.user.sub ? { userSub: ctx.user.sub } : {}),
    ...(ctx.clientId ? { clientId: ctx.clientId } : {}),
  });
}

const MAX_ERROR = 300;

/** The sender's error as a record may carry it: no e-mail address or phone number, at most MAX_ERROR characters. */
export function senderError(err: Error): string {
  const text = String(err.message ?? err)
    .replace(/[^\s<>()[\]@,;:"]+@[^\s<>()[\]@,;:"]+/g, '<address>')
    .replace(/\+\d[\d ().-]{5,}\d|\b\d{7,}\b/g, '<number>');
  return text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR)}…` : text;
}
