// UserMigration: brings a user in from an old directory the first time the pool hears of them.
//   UserMigration_Authentication   a password sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH)
//                                  of a name that designates nobody; never SRP (no password seen)
//   UserMigration_ForgotPassword   ForgotPassword of such a name (password empty)
//   request   password, validationData (InitiateAuth ClientMetadata), clientMetadata; userName is
//             what the user typed
//   response  userAttributes (required: no map means "unknown to me too"), finalUserStatus
//             (CONFIRMED | RESET_REQUIRED), messageAction, desiredDeliveryMediums,
//             forceAliasCreation, enableSMSMFA; `userAttributes.username` may name the username in
//             pools with aliases (else a name typed in an alias's shape gets a UUID username)
// The user is created with those attributes (checked as an admin's would be), the status, and for
// _Authentication the password just proven (so the sign-in goes on as for any user, and a
// RESET_REQUIRED user is refused by the usual status check: PasswordResetRequiredException). A user Tessera cannot create
// from the answer (unknown attributes, an alias another user holds) is
// InvalidLambdaResponseException. No welcome message is sent (messageAction is accepted but,
// like Cognito for sign-in migrations, nothing is delivered).
import { InvalidLambdaResponseException, InvalidParameterException, UsernameExistsException } from '../errors.js';
import { aliasAttributes, checkAttributeWrites, looksLikeEmail, looksLikePhone } from '../userpools/attributes.js';
import { makePasswordMaterial } from '../userpools/passwords.js';
import type { UserPool } from '../userpools/pools.js';
import { resolveUsername } from '../userpools/registration.js';
import type { User } from '../userpools/user.js';
import type { Users } from '../userpools/users.js';
import { envelope, optBool, optString, optStringArray, optStringMap, responseOf, unrecognizable } from './event.js';
import type { TriggerRunner } from './invoke.js';

export interface MigrationInput {
  pool: UserPool;
  clientId: string;
  source: 'Authentication' | 'ForgotPassword';
  typed: string;
  /** The password of the sign-in; absent for ForgotPassword. */
  password?: string;
  validationData?: Record<string, string>;
  clientMetadata?: Record<string, string>;
}

/** The migrated user, stored; undefined when there is no trigger or it knows nobody by that name. */
export async function runUserMigration(runner: TriggerRunner, users: Users, a: MigrationInput): Promise<User | undefined> {
  if (!runner.has(a.pool, 'UserMigration')) return undefined;
  const event = envelope({
    pool: a.pool,
    triggerSource: `UserMigration_${a.source}`,
    userName: a.typed,
    clientId: a.clientId,
    request: { password: a.password ?? '', validationData: a.validationData, clientMetadata: a.clientMetadata },
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
  });
  const r = responseOf(await runner.invoke(a.pool, 'UserMigration', event));
  const attributes = optStringMap(r.userAttributes);
  if (!attributes) return undefined;
  const status = optString(r.finalUserStatus) ?? 'CONFIRMED';
  if (status !== 'CONFIRMED' && status !== 'RESET_REQUIRED') throw unrecognizable();
  optString(r.messageAction);
  optStringArray(r.desiredDeliveryMediums);
  const forceAliases = optBool(r.forceAliasCreation) ?? false;
  const enableSms = optBool(r.enableSMSMFA) ?? false;

  const { username: named, sub: _sub, ...given } = attributes;
  const user = await buildUser(users, a, named ?? a.typed, named !== undefined, given, a.source === 'ForgotPassword' ? 'RESET_REQUIRED' : status);
  if (enableSms) user.mfa.smsEnabled = true;
  try {
    await users.insert(a.pool, user, { forceAliases });
  } catch (e) {
    if (!(e instanceof UsernameExistsException)) throw e;
    // Migrated meanwhile by a concurrent sign-in: that user it is. Otherwise an alias is taken.
    const now = await users.find(a.pool, a.typed);
    if (now) return now;
    throw new InvalidLambdaResponseException(`Invalid lambda function output : ${e.message}`);
  }
  return user;
}

async function buildUser(users: Users, a: MigrationInput, name: string, explicit: boolean, given: Record<string, string>, status: 'CONFIRMED' | 'RESET_REQUIRED'): Promise<User> {
  try {
    const written = checkAttributeWrites(a.pool, Object.entries(given).map(([Name, Value]) => ({ Name, Value })), { by: 'admin', creating: true });
    // In an alias pool the name typed may be the alias itself; then the username is a new UUID
    // (as in pools with e-mail/phone as username) unless the function named one.
    const byAlias = !explicit && aliasAttributes(a.pool).some((k) => (k === 'email' ? looksLikeEmail(name) : k === 'phone_number' && looksLikePhone(name)));
    const { username, attributes } = byAlias ? { username: undefined, attributes: written.set } : resolveUsername(a.pool, name, written.set);
    const user = users.build(a.pool, { username, attributes, status });
    if (a.password) {
      user.password = await makePasswordMaterial(a.pool, user.username, a.password, { temporary: false, now: user.createdAt, modPow: users.modPow });
      user.passwordUpdatedAt = user.createdAt;
    }
    return user;
  } catch (e) {
    if (e instanceof InvalidParameterException) throw new InvalidLambdaResponseException(`Invalid lambda function output : ${e.message}`);
    throw e;
  }
}
