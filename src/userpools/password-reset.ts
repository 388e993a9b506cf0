// Forgotten passwords (public, per app client): ForgotPassword sends a reset code to a verified
// contact, ConfirmForgotPassword sets a new password with it.
//
//   CONFIRMED / RESET_REQUIRED ──ForgotPassword──> code (1 hour) ──ConfirmForgotPassword──> CONFIRMED
//
// ForgotPassword, in order:
//   1. the client exists and its SECRET_HASH matches                 ResourceNotFound / NotAuthorized
//   2. the pool lets users recover at all (AccountRecoverySetting
//      admin_only refuses)                                           NotAuthorizedException
//   3. the user: unknown is UserNotFoundException, or with PreventUserExistenceErrors a delivery
//      that looks real (the destination stable per name, masked like a real one) and sends nothing
//   4. the user may reset: enabled, not waiting for a first password NotAuthorizedException
//      (a disabled user, with PreventUserExistenceErrors, is answered as an unknown one)
//   5. a verified contact in the pool's recovery order (delivery.ts) InvalidParameterException
//   6. the code is stored, then sent                                 CodeDeliveryFailureException
// ConfirmForgotPassword: 1, the user (unknown or disabled, with PreventUserExistenceErrors, looks
// like a wrong code), 4, the new password (policy, history) before the code is touched, then the code
// (codes.ts rules) and the new password in the transaction that consumes it.
// resetWithCode is all of ConfirmForgotPassword: that, then every sign-in of the user revoked, the
// failed-password count cleared and PostConfirmation run. The API operation and the hosted
// reset page both call it, as both call forgotPassword.
import { createHmac } from 'node:crypto';
import type { App } from '../app.js';
import { lockSubject } from '../auth/lockout.js';
import { CodeMismatchException, NotAuthorizedException, UserNotFoundException } from '../errors.js';
import type { CodeDeliveryDetailsType, ConfirmForgotPasswordRequest, ForgotPasswordRequest } from '../models/idp-types.js';
import { maskDestination, type DeliveryMedium } from '../messaging/messages.js';
import { autoVerifiedAttributes, looksLikeEmail, looksLikePhone } from './attributes.js';
import { CODE_MISMATCH } from './codes.js';
import { normalizeUsername } from './indexes.js';
import { checkNewPassword, replacePassword } from './password-history.js';
import { checkPasswordPolicy } from './passwords.js';
import type { AppClient, UserPool } from './pools.js';
import { clientContext } from './registration.js';
import type { User } from './user.js';
import type { Users } from './users.js';

const NOT_FOUND_FOR_CLIENT = 'Username/client id combination not found.';

const hidesUsers = (client: AppClient) => client.settings.PreventUserExistenceErrors === 'ENABLED';

/** The pool's recovery mechanisms by priority; without a setting, Cognito's older order. */
function recoveryOrder(pool: UserPool): string[] {
  const mechanisms = pool.settings.AccountRecoverySetting?.RecoveryMechanisms;
  if (!mechanisms?.length) return ['verified_phone_number', 'verified_email'];
  return [...mechanisms].sort((a, b) => a.Priority - b.Priority).map((m) => m.Name);
}

/** Refusals that depend on the user's state (step 4). */
function checkMayReset(user: User): void {
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw new NotAuthorizedException('User password cannot be reset in the current state.');
}

/**
 * ForgotPassword. `fakeKey` gives the server key that simulated deliveries are derived from
 * (app.auth.standInKey): asked only for unknown users under PreventUserExistenceErrors.
 * @example await forgotPassword(app.users, input, () => app.auth.standInKey())
 */
export async function forgotPassword(
  users: Users,
  input: ForgotPasswordRequest,
  fakeKey: () => Promise<Buffer>,
): Promise<CodeDeliveryDetailsType> {
  const { pool, client } = await clientContext(users, input.ClientId, input.Username, input.SecretHash);
  if (recoveryOrder(pool).includes('admin_only')) {
    throw new NotAuthorizedException('Password recovery is done by an administrator in this user pool.');
  }
  // An unknown name: the UserMigration trigger (the pool's old directory) may know it.
  const user =
    (await users.find(pool, input.Username)) ??
    (await users.triggers.migrateUser(users, { pool, clientId: client.id, source: 'ForgotPassword', typed: input.Username, clientMetadata: input.ClientMetadata }));
  if (!user) {
    if (hidesUsers(client)) return simulatedDelivery(pool, input.Username, await fakeKey());
    throw new UserNotFoundException(NOT_FOUND_FOR_CLIENT);
  }
  // Where unknown names are hidden, a disabled user looks like one: no one learns it exists.
  if (!user.enabled && hidesUsers(client)) return simulatedDelivery(pool, input.Username, await fakeKey());
  checkMayReset(user);
  return users.sendCode(pool, user, 'reset', { trigger: 'ForgotPassword', clientMetadata: input.ClientMetadata, clientId: client.id });
}

/**
 * ConfirmForgotPassword. Returns the user whose password changed (for the caller to sign out
 * everywhere).
 */
export async function confirmForgotPassword(users: Users, input: ConfirmForgotPasswordRequest): Promise<{ pool: UserPool; client: AppClient; user: User }> {
  const { pool, client } = await clientContext(users, input.ClientId, input.Username, input.SecretHash);
  // The policy before the name: a weak password gets the same answer for known and unknown users.
  checkPasswordPolicy(pool, input.Password);
  const user = await users.find(pool, input.Username);
  if (!user) {
    if (hidesUsers(client)) throw new CodeMismatchException(CODE_MISMATCH);
    throw new UserNotFoundException(NOT_FOUND_FOR_CLIENT);
  }
  if (!user.enabled && hidesUsers(client)) throw new CodeMismatchException(CODE_MISMATCH);
  checkMayReset(user);
  await checkNewPassword(users, pool, user, input.Password);
  await users.confirmCode(pool, user, 'reset', input.ConfirmationCode, async (tx) => {
    const fresh = (await users.findBySub(pool, user.id, tx)) ?? user;
    await replacePassword(users, pool, fresh, input.Password, tx);
    Object.assign(user, fresh);
  });
  return { pool, client, user };
}

// ---- simulated deliveries -----------------------------------------------------------------

// Initials of the destinations a made-up delivery shows: letters for a mailbox, the first letters
// of common mail domains (so `j***@g***` rather than something no real address looks like).
const LOCAL_INITIALS = 'abcdefghijklmnopqrstuvwxyz';
const DOMAIN_INITIALS = 'ggggghhiiyyooamcpf';

/**
 * What a delivery to an unknown user looks like: the medium real users of this pool most likely
 * get (the first recovery mechanism the pool verifies automatically), and a destination derived
 * under the server key from the pool and the name, so that asking twice answers the same, and a
 * name shaped like an e-mail address or phone number is masked as itself.
 */
export function simulatedDelivery(pool: UserPool, name: string, key: Buffer): CodeDeliveryDetailsType {
  const auto = new Set<string>(autoVerifiedAttributes(pool));
  const order = recoveryOrder(pool).filter((m) => m !== 'admin_only');
  const attributeOf = (m: string) => (m === 'verified_email' ? 'email' : 'phone_number');
  const mechanism = order.find((m) => auto.has(attributeOf(m))) ?? order[0] ?? 'verified_email';
  const attribute = attributeOf(mechanism);
  const medium: DeliveryMedium = attribute === 'email' ? 'EMAIL' : 'SMS';
  const mac = createHmac('sha256', key).update(`forgot-password\u0000${pool.id}\u0000${normalizeUsername(pool, name)}`, 'utf8').digest();
  let to: string;
  if (medium === 'EMAIL') {
    to = looksLikeEmail(name) ? name : `${LOCAL_INITIALS[mac[0] % LOCAL_INITIALS.length]}x@${DOMAIN_INITIALS[mac[1] % DOMAIN_INITIALS.length]}x.com`;
  } else {
    const digits = Array.from(mac.subarray(2, 12), (b) => String(b % 10)).join('');
    to = looksLikePhone(name) ? name : `+1${digits}`;
  }
  return { Destination: maskDestination(medium, to), DeliveryMedium: medium, AttributeName: attribute };
}

/**
 * ConfirmForgotPassword as a whole, for the API and the hosted reset page: the new password (above),
 * then every sign-in of the user revoked (whoever held the old password may hold tokens), the
 * failed-password count cleared (the code proved control of a verified contact), and last the
 * PostConfirmation function, so that a failing function cannot keep old sessions alive.
 */
export async function resetWithCode(app: App, input: ConfirmForgotPasswordRequest, sourceIp: string): Promise<User> {
  const { pool, client, user } = await confirmForgotPassword(app.users, input);
  await app.tokens.signOutUser(pool.id, user.id);
  await app.store.auth.clearFailures(pool.id, lockSubject({ app, pool, client, admin: false, sourceIp }, user, user.username));
  await app.triggers.postConfirmation({ pool, source: 'ConfirmForgotPassword', user, clientId: client.id, clientMetadata: input.ClientMetadata });
  return user;
}
