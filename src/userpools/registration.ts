// How users come to exist and get confirmed: SignUp, ConfirmSignUp, ResendConfirmationCode
// (public, per app client), AdminCreateUser and AdminConfirmSignUp (administrative).
//
//   SignUp ──> UNCONFIRMED ──ConfirmSignUp (code) / AdminConfirmSignUp──> CONFIRMED
//   AdminCreateUser ──> FORCE_CHANGE_PASSWORD ──(new password at first sign-in)──> CONFIRMED
//
// Delivery failures: the user and its code are committed first, then the message is sent. If
// sending fails the user is kept (as Cognito keeps it) and the operation answers
// CodeDeliveryFailureException; ResendConfirmationCode / AdminCreateUser RESEND send again.
import {
  CodeMismatchException,
  InvalidParameterException,
  NotAuthorizedException,
  UnsupportedUserStateException,
  UserNotFoundException,
} from '../errors.js';
import type {
  AdminCreateUserRequest,
  CodeDeliveryDetailsType,
  ConfirmSignUpRequest,
  ResendConfirmationCodeRequest,
  SignUpRequest,
  SignUpResponse,
} from '../models/idp-types.js';
import { maskDestination, type DeliveryMedium } from '../messaging/messages.js';
import {
  aliasAttributes,
  autoVerifiedAttributes,
  checkAttributeWrites,
  checkRequiredAttributes,
  looksLikeEmail,
  looksLikePhone,
  usernameAttributes,
} from './attributes.js';
import { CODE_MISMATCH } from './codes.js';
import { mediumOf } from './delivery.js';
import { checkPasswordPolicy, generateTemporaryPassword, makePasswordMaterial } from './passwords.js';
import type { AppClient, UserPool } from './pools.js';
import { checkSecretHash } from './secret-hash.js';
import type { User } from './user.js';
import type { Store } from '../store/store.js';
import { nameValueMap } from '../triggers/event.js';
import { USER_NOT_FOUND, type PendingCode, type Users } from './users.js';
import { CODE_FIRST_FACTORS, mfaMode } from './mfa-config.js';

const NOT_FOUND_FOR_CLIENT = 'Username/client id combination not found.';

/** The pool and client of a public request, after its SECRET_HASH check. */
export async function clientContext(users: Users, clientId: string, username: string, secretHash?: string) {
  const client = await users.pools.getClient(undefined, clientId);
  const pool = await users.pools.get(client.poolId);
  checkSecretHash(client, username, secretHash);
  return { pool, client };
}

const hidesUsers = (client: AppClient) => client.settings.PreventUserExistenceErrors === 'ENABLED';

/**
 * The canonical username and attributes for a new user. UsernameAttributes pools: the given
 * name must be an e-mail / phone (as the pool allows), becomes that attribute, and the username
 * is the new sub (undefined here). AliasAttributes pools refuse a username shaped like an alias.
 */
export function resolveUsername(pool: UserPool, given: string, attributes: Record<string, string>): { username?: string; attributes: Record<string, string> } {
  const byAttr = usernameAttributes(pool);
  if (byAttr.length) {
    if (byAttr.includes('email') && looksLikeEmail(given)) return { attributes: { ...attributes, email: given } };
    if (byAttr.includes('phone_number') && looksLikePhone(given)) return { attributes: { ...attributes, phone_number: given } };
    if (byAttr.length === 2) throw new InvalidParameterException('Username should be either an email or a phone number.');
    throw new InvalidParameterException(byAttr[0] === 'email' ? 'Username should be an email.' : 'Username should be a phone number.');
  }
  const aliases = aliasAttributes(pool);
  if (aliases.includes('email') && looksLikeEmail(given)) {
    throw new InvalidParameterException('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliases.includes('phone_number') && looksLikePhone(given)) {
    throw new InvalidParameterException('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
  return { username: given, attributes };
}

/**
 * A pool may take sign-ups without a password when such a user has a first factor to sign in
 * with: a one-time code (EMAIL_OTP, SMS_OTP), which a pool with MFA ON does not offer
 * (auth/user-auth.ts). A passkey is no such factor: registering one needs a signed-in user.
 */
function allowsPasswordless(pool: UserPool): boolean {
  if (mfaMode(pool) === 'ON') return false;
  const factors = (pool.settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? []) as string[];
  return factors.some((f) => CODE_FIRST_FACTORS.has(f));
}

/**
 * SignUp. Rules, in order: the client exists and its SECRET_HASH matches; the pool allows
 * self sign-up; attributes are known, writable by the client and well-formed; the username
 * fits the pool's username/alias settings; required attributes are present; the password
 * meets the policy. The user (UNCONFIRMED) and its sign-up code are stored in one transaction;
 * a concurrent sign-up of the same name loses on the unique constraint (UsernameExistsException).
 */
export async function signUp(users: Users, input: SignUpRequest): Promise<SignUpResponse> {
  const { pool, client } = await clientContext(users, input.ClientId, input.Username, input.SecretHash);
  if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw new NotAuthorizedException('SignUp is not permitted for this user pool');
  const written = checkAttributeWrites(pool, input.UserAttributes ?? [], { by: client, creating: true });
  const { username, attributes } = resolveUsername(pool, input.Username, written.set);
  checkRequiredAttributes(pool, attributes);
  if (input.Password === undefined && !allowsPasswordless(pool)) throw new InvalidParameterException('A password is required to sign up to this user pool.');
  if (input.Password !== undefined) checkPasswordPolicy(pool, input.Password);

  const user = users.build(pool, { username, attributes, status: 'UNCONFIRMED' });
  if (input.Password !== undefined) {
    user.password = await makePasswordMaterial(pool, user.username, input.Password, { temporary: false, now: user.createdAt, modPow: users.modPow });
    user.passwordUpdatedAt = user.createdAt;
  }
  // PreSignUp may refuse (nothing is stored yet), auto-confirm and auto-verify.
  const confirmed = await users.triggers.preSignUp({
    pool,
    source: 'SignUp',
    user,
    clientId: client.id,
    validationData: nameValueMap(input.ValidationData),
    clientMetadata: input.ClientMetadata,
  });
  let pending: PendingCode | undefined;
  const issue = async (tx: Store) => void (pending = await users.issueCode(pool, user, 'signup', tx));
  await users.insert(pool, user, confirmed ? {} : { then: issue });
  // Confirmed by PreSignUp: the confirmation has happened, and PostConfirmation runs for it as it
  // would after ConfirmSignUp (a function that provisions the new user must not miss these).
  if (confirmed) await users.triggers.postConfirmation({ pool, source: 'ConfirmSignUp', user, clientId: client.id, clientMetadata: input.ClientMetadata });
  const delivery = pending
    ? await users.deliverCode(pool, user, pending, { trigger: 'SignUp', clientMetadata: input.ClientMetadata, clientId: client.id })
    : undefined;
  return { UserConfirmed: confirmed, UserSub: user.id, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
}

/**
 * ConfirmSignUp: the user must be UNCONFIRMED; the code is checked (codes.ts) and, in the
 * transaction that consumes it, the user becomes CONFIRMED and the attribute the code went to
 * becomes verified (if it still holds that value), which makes it an alias where the pool says
 * so. A taken alias is AliasExistsException unless ForceAliasCreation moves it.
 */
export async function confirmSignUp(users: Users, input: ConfirmSignUpRequest): Promise<void> {
  const { pool, client } = await clientContext(users, input.ClientId, input.Username, input.SecretHash);
  const user = await users.find(pool, input.Username);
  if (!user) {
    // With PreventUserExistenceErrors an unknown user looks like a wrong code.
    if (hidesUsers(client)) throw new CodeMismatchException(CODE_MISMATCH);
    throw new UserNotFoundException(NOT_FOUND_FOR_CLIENT);
  }
  if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  let confirmed: User = user;
  await users.confirmCode(pool, user, 'signup', input.ConfirmationCode, async (tx, data) => {
    // Pool, then the user row locked: the address checked below is the one this save writes beside.
    await tx.pools.getForUserWrite(pool.id);
    const fresh = (await users.findBySub(pool, user.id, tx, { forUpdate: true })) ?? user;
    fresh.status = 'CONFIRMED';
    fresh.updatedAt = users.clock.now();
    if (data.attribute && fresh.attributes[data.attribute] === data.value) fresh.attributes[`${data.attribute}_verified`] = 'true';
    if (input.ForceAliasCreation) await users.takeOverAliases(pool, fresh, tx);
    await users.save(pool, fresh, { reindex: true, store: tx, conflictKind: data.attribute });
    confirmed = fresh;
  });
  await users.triggers.postConfirmation({ pool, source: 'ConfirmSignUp', user: confirmed, clientId: client.id, clientMetadata: input.ClientMetadata });
}

/**
 * ResendConfirmationCode: a new sign-up code (replacing the old) to the auto-verified
 * destination. Refused when the pool verifies nothing or the user is already confirmed. With
 * PreventUserExistenceErrors an unknown user gets a plausible, simulated delivery.
 */
export async function resendConfirmationCode(users: Users, input: ResendConfirmationCodeRequest): Promise<CodeDeliveryDetailsType> {
  const { pool, client } = await clientContext(users, input.ClientId, input.Username, input.SecretHash);
  const auto = autoVerifiedAttributes(pool);
  if (!auto.length) throw new InvalidParameterException('Cannot resend codes. Auto verification not turned on.');
  const user = await users.find(pool, input.Username);
  if (!user) {
    if (hidesUsers(client)) return simulatedDelivery(auto.includes('email') ? 'EMAIL' : 'SMS', input.Username);
    throw new UserNotFoundException(NOT_FOUND_FOR_CLIENT);
  }
  if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
  return users.sendCode(pool, user, 'signup', { trigger: 'ResendCode', clientMetadata: input.ClientMetadata, clientId: client.id });
}

/** What a code delivery to a made-up destination looks like (derived from the name, so stable). */
function simulatedDelivery(medium: DeliveryMedium, name: string): CodeDeliveryDetailsType {
  const attribute = medium === 'EMAIL' ? 'email' : 'phone_number';
  const fake = medium === 'EMAIL' ? (looksLikeEmail(name) ? name : `${name}@example.com`) : looksLikePhone(name) ? name : '+10000000000';
  return { Destination: maskDestination(medium, fake), DeliveryMedium: medium, AttributeName: attribute };
}

/** AdminConfirmSignUp: an UNCONFIRMED user becomes CONFIRMED (no attribute gets verified). */
export async function adminConfirmSignUp(users: Users, pool: UserPool, username: string, clientMetadata?: Record<string, string>): Promise<void> {
  const user = await users.get(pool, username);
  if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  const confirmed: User = { ...user, status: 'CONFIRMED', updatedAt: users.clock.now() };
  await users.store.transaction(async (tx) => {
    await users.save(pool, confirmed, { store: tx });
    await users.codes.discard(user, 'signup', tx);
  });
  await users.triggers.postConfirmation({ pool, source: 'ConfirmSignUp', user: confirmed, clientMetadata });
}

/**
 * AdminCreateUser: a FORCE_CHANGE_PASSWORD user with a temporary password (given, checked
 * against the policy, or generated to satisfy it), invited by the pool's InviteMessageTemplate
 * over DesiredDeliveryMediums (SMS when unset; a medium the user has no attribute for is
 * skipped). SUPPRESS sends nothing. RESEND re-invites an existing FORCE_CHANGE_PASSWORD user
 * with a new temporary password. Admins may set *_verified and need not give required attributes.
 */
export async function adminCreateUser(users: Users, pool: UserPool, input: AdminCreateUserRequest): Promise<User> {
  if (input.MessageAction === 'RESEND') return resendInvitation(users, pool, input);
  const written = checkAttributeWrites(pool, input.UserAttributes ?? [], { by: 'admin', creating: true });
  const { username, attributes } = resolveUsername(pool, input.Username, written.set);
  const temporary = temporaryPassword(pool, input.TemporaryPassword);
  const user = users.build(pool, { username, attributes, status: 'FORCE_CHANGE_PASSWORD' });
  user.password = await makePasswordMaterial(pool, user.username, temporary, { temporary: true, now: user.createdAt, modPow: users.modPow });
  user.passwordUpdatedAt = user.createdAt;
  await users.triggers.preSignUp({ pool, source: 'AdminCreateUser', user, validationData: nameValueMap(input.ValidationData), clientMetadata: input.ClientMetadata });
  await users.insert(pool, user, { usernameTaken: 'User account already exists', forceAliases: input.ForceAliasCreation });
  if (input.MessageAction !== 'SUPPRESS') await sendInvitation(users, pool, user, temporary, input);
  return user;
}

async function resendInvitation(users: Users, pool: UserPool, input: AdminCreateUserRequest): Promise<User> {
  const user = await users.find(pool, input.Username);
  if (!user) throw new UserNotFoundException(USER_NOT_FOUND);
  if (user.status !== 'FORCE_CHANGE_PASSWORD') {
    throw new UnsupportedUserStateException(`Resend not possible. ${input.Username} status is not FORCE_CHANGE_PASSWORD`);
  }
  const temporary = temporaryPassword(pool, input.TemporaryPassword);
  await users.setPassword(pool, user, temporary, { permanent: false });
  await sendInvitation(users, pool, user, temporary, input);
  return user;
}

function temporaryPassword(pool: UserPool, given: string | undefined): string {
  if (given === undefined) return generateTemporaryPassword(pool);
  checkPasswordPolicy(pool, given);
  return given;
}

/** Sends the invitation over each desired medium the user has an attribute for. */
async function sendInvitation(users: Users, pool: UserPool, user: User, temporary: string, input: AdminCreateUserRequest) {
  const mediums = ((input.DesiredDeliveryMediums as unknown as DeliveryMedium[] | undefined) ?? ['SMS']).filter((m, i, all) => all.indexOf(m) === i);
  for (const medium of mediums) {
    const attribute = medium === 'EMAIL' ? 'email' : 'phone_number';
    const to = user.attributes[attribute];
    if (!to) continue;
    // The temporary password travels where a code would: deliverCode fills it into {####}.
    const pending: PendingCode = { purpose: 'signup', code: temporary, destination: { attribute, medium: mediumOf(attribute), to } };
    await users.deliverCode(pool, user, pending, { trigger: 'AdminCreateUser', clientMetadata: input.ClientMetadata });
  }
}

/**
 * AdminResetUserPassword: the user needs a verified recovery contact; it becomes
 * RESET_REQUIRED (sign-in then demands ConfirmForgotPassword) and a reset code is sent. The
 * model lists no delivery error here, so a failed send is logged and the user can ask again
 * with ForgotPassword.
 */
export async function adminResetUserPassword(users: Users, pool: UserPool, username: string, clientMetadata?: Record<string, string>): Promise<void> {
  const user = await users.get(pool, username);
  let pending: PendingCode | undefined;
  await users.store.transaction(async (tx) => {
    pending = await users.issueCode(pool, user, 'reset', tx);
    if (!pending) throw new InvalidParameterException('Cannot reset password for the user as there is no registered/verified email or phone_number');
    await users.save(pool, { ...user, status: 'RESET_REQUIRED', updatedAt: users.clock.now() }, { store: tx });
  });
  try {
    await users.deliverCode(pool, user, pending!, { trigger: 'ForgotPassword', clientMetadata });
  } catch {
    /* logged by deliverCode; see above */
  }
}
