// One-time codes sent during a sign-in: SMS_MFA and EMAIL_OTP as second factors, SMS_OTP and
// EMAIL_OTP as USER_AUTH first factors. They are the users domain's codes (codes.ts: six digits,
// kept only as a keyed hash, one live code per user, 3 minutes, attempts counted atomically,
// single use) under the purpose `sign-in`, bound to the challenge Session that asked for them.
//
// Answering, in order:
//   no live code, or past its 3 minutes                   ExpiredCodeException
//   the 6th attempt at one code (5 wrong ones before)     NotAuthorizedException: the session ends
//   wrong code                                            CodeMismatchException (answer again)
//   a code sent for another sign-in of the same user      CodeMismatchException
//   right: the code is consumed and the Session's id recorded as used, in one transaction
// A failed send cannot be CodeDeliveryFailureException here (InitiateAuth / RespondToAuthChallenge
// do not declare it): it is the medium's Invalid{Sms,Email}RoleAccessPolicyException, which is
// what Cognito answers when it cannot send through SNS / SES.
import {
  CodeDeliveryFailureException,
  CodeMismatchException,
  InvalidEmailRoleAccessPolicyException,
  InvalidSmsRoleAccessPolicyException,
  LimitExceededException,
  NotAuthorizedException,
} from '../errors.js';
import { CODE_MISMATCH } from '../userpools/codes.js';
import { deliveryDetails, type ContactAttribute, type Destination } from '../userpools/delivery.js';
import type { User } from '../userpools/user.js';
import { INVALID_SESSION, type ChallengeSession } from './challenge-session.js';
import type { FlowContext } from './types.js';

export type CodeMedium = 'SMS' | 'EMAIL';

const attributeOf = (medium: CodeMedium): ContactAttribute => (medium === 'SMS' ? 'phone_number' : 'email');

/** Where a sign-in code by `medium` would go (the attribute's value; `verified` asks for a verified one). */
export function codeDestination(user: User, medium: CodeMedium, opts: { verified: boolean }): Destination | undefined {
  const attribute = attributeOf(medium);
  const to = user.attributes[attribute];
  if (!to || (opts.verified && user.attributes[`${attribute}_verified`] !== 'true')) return undefined;
  return { attribute, medium, to };
}

/**
 * Issues a code for the challenge Session `jti` and sends it; returns the challenge parameters
 * that say where it went (CODE_DELIVERY_DELIVERY_MEDIUM, CODE_DELIVERY_DESTINATION masked).
 */
export async function sendSignInCode(ctx: FlowContext, user: User, destination: Destination, jti: string): Promise<Record<string, string>> {
  const { users } = ctx.app;
  const code = await users.codes.issue(user, 'sign-in', { attribute: destination.attribute, value: destination.to, session: jti });
  try {
    await users.deliverCode(ctx.pool, user, { purpose: 'sign-in', code, destination }, {
      trigger: 'Authentication',
      clientMetadata: ctx.clientMetadata,
      clientId: ctx.client.id,
    });
  } catch (e) {
    if (!(e instanceof CodeDeliveryFailureException)) throw e;
    throw destination.medium === 'SMS' ? new InvalidSmsRoleAccessPolicyException(e.message) : new InvalidEmailRoleAccessPolicyException(e.message);
  }
  const details = deliveryDetails(destination);
  return { CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium!, CODE_DELIVERY_DESTINATION: details.Destination! };
}

/** Checks the answer to a code challenge and consumes the code and the Session (rules above). */
export async function checkSignInCode(ctx: FlowContext, user: User, s: ChallengeSession, code: string): Promise<{ sentTo?: string }> {
  try {
    const { data } = await ctx.app.users.codes.confirm(user, 'sign-in', code, async (tx, data) => {
      if (data.session !== s.jti) throw new CodeMismatchException(CODE_MISMATCH);
      if (!(await tx.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
    });
    // The address or number the code went to: what a right answer proves.
    return { sentTo: data.value };
  } catch (e) {
    if (e instanceof LimitExceededException) throw new NotAuthorizedException(INVALID_SESSION);
    throw e;
  }
}
