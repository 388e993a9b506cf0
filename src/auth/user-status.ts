// After the password is proven: what the user's state allows. In order:
//   disabled                   -> NotAuthorizedException "User is disabled."
//   UNCONFIRMED                -> UserNotConfirmedException "User is not confirmed."
//   RESET_REQUIRED             -> PasswordResetRequiredException "Password reset required for the user"
//   FORCE_CHANGE_PASSWORD      -> temporary password expired: NotAuthorizedException "Temporary
//                                 password has expired and must be reset by an administrator.";
//                                 else the NEW_PASSWORD_REQUIRED challenge (new-password.ts)
//   anything else (CONFIRMED)  -> the second factor, device or tokens (mfa.ts)
// (The post-authentication trigger will come in between, in its issue.)
import { NotAuthorizedException, PasswordResetRequiredException, UserNotConfirmedException } from '../errors.js';
import type { User } from '../userpools/user.js';
import { afterFirstFactor } from './mfa.js';
import { newPasswordChallenge } from './new-password.js';
import type { AuthStep, FlowContext } from './types.js';

export const USER_DISABLED = 'User is disabled.';
export const TEMPORARY_PASSWORD_EXPIRED = 'Temporary password has expired and must be reset by an administrator.';

/** How the user got here: the name typed (for SECRET_HASH on the next step), the DEVICE_KEY sent. */
export interface ProvenBy {
  typed: string;
  deviceKey?: string;
}

/** Refusals that depend only on the user's state, not on the step being answered. */
export function checkUserMaySignIn(ctx: FlowContext, user: User): void {
  if (!user.enabled) throw new NotAuthorizedException(USER_DISABLED);
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
  if (user.status === 'FORCE_CHANGE_PASSWORD' && ctx.app.users.isPasswordExpired(user)) {
    throw new NotAuthorizedException(TEMPORARY_PASSWORD_EXPIRED);
  }
}

/** The step after a proven password: a refusal, the new-password challenge, or tokens. */
export async function afterPasswordProven(ctx: FlowContext, user: User, by: ProvenBy): Promise<AuthStep> {
  checkUserMaySignIn(ctx, user);
  if (user.status === 'FORCE_CHANGE_PASSWORD') return newPasswordChallenge(ctx, user, by);
  return afterFirstFactor(ctx, user, by);
}

/** The end of every successful sign-in. */
export async function issueTokens(ctx: FlowContext, user: User): Promise<AuthStep> {
  // ClientMetadata of RespondToAuthChallenge goes on to PostAuthentication and PreTokenGeneration.
  const trigger = { source: 'TokenGeneration_Authentication', clientMetadata: ctx.clientMetadata };
  const result = await ctx.app.tokens.issueForSignIn({ pool: ctx.pool, client: ctx.client, user, trigger, context: { ip: ctx.sourceIp, userAgent: ctx.userAgent } });
  return { kind: 'tokens', result };
}
