// What a signed-in user may do to their own attributes (UpdateUserAttributes, DeleteUserAttributes,
// GetUserAttributeVerificationCode, VerifyUserAttribute). The caller is an app client acting for
// the user, so its WriteAttributes limit what it writes (attributes.ts) and *_verified flags are
// never written directly: they become true only through a code.
//
// A changed e-mail or phone number:
//   - by default takes the new value at once, unverified, and (when the pool auto-verifies that
//     attribute) a code goes to the new value;
//   - when the pool lists it in UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate
//     and the user has a value already, the old value stays (still verified, still the alias the
//     user signs in with) and the new one is *held*: it lives only in the data of the code sent to
//     it, until VerifyUserAttribute with that code puts it in place, verified.
// Setting a held attribute back to its current value, or removing it, drops the held value.
import { CodeMismatchException, InvalidParameterException } from '../errors.js';
import type { AttributeType, CodeDeliveryDetailsType } from '../models/idp-types.js';
import type { Store } from '../store/store.js';
import { autoVerifiedAttributes, checkAttributeWrites, checkRemovals, VERIFIED_FLAGS } from './attributes.js';
import { CODE_MISMATCH, type CodeData, type CodePurpose } from './codes.js';
import { mediumOf, type ContactAttribute } from './delivery.js';
import { aliasEntries, type AliasKind } from './indexes.js';
import type { AppClient, UserPool } from './pools.js';
import type { User } from './user.js';
import type { PendingCode, Users } from './users.js';

/** The data kept with a verification code; `held` marks a value not yet in the user's attributes. */
export interface VerifyCodeData extends CodeData {
  held?: boolean;
}

const CONTACTS: readonly ContactAttribute[] = ['email', 'phone_number'];
const isContact = (name: string): name is ContactAttribute => (CONTACTS as readonly string[]).includes(name);
const verifyPurpose = (attribute: ContactAttribute): CodePurpose => `verify:${attribute}`;

/** The attributes the pool keeps unchanged until the new value is verified. */
export function heldAttributes(pool: UserPool): Set<ContactAttribute> {
  const names = (pool.settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []) as string[];
  return new Set(names.filter(isContact));
}

/** A code to issue in the write's transaction, for `value` of `attribute`. */
interface CodeToIssue {
  attribute: ContactAttribute;
  value: string;
  held: boolean;
}

/**
 * UpdateUserAttributes. Checks the writes (schema, client WriteAttributes, immutability), applies
 * them with the rules in the file comment, and stores the user, its indexes and the codes in one
 * transaction; then sends the codes. A taken alias is AliasExistsException and changes nothing.
 * Returns where codes went.
 * @example await updateOwnAttributes(app.users, pool, client, user, [{ Name: 'email', Value: 'new@example.com' }])
 */
export async function updateOwnAttributes(
  users: Users,
  pool: UserPool,
  client: AppClient,
  user: User,
  attrs: AttributeType[],
  clientMetadata?: Record<string, string>,
): Promise<CodeDeliveryDetailsType[]> {
  const changes = checkAttributeWrites(pool, attrs, { by: client, creating: false });
  const held = heldAttributes(pool);
  const auto = new Set<string>(autoVerifiedAttributes(pool));
  const next = { ...user.attributes };
  const toIssue: CodeToIssue[] = [];
  // Codes that no longer apply: any code of a removed attribute, the code of a held value given up.
  const removed: ContactAttribute[] = [];
  const givenUp: ContactAttribute[] = [];
  // What the request states the attributes now are (a held value is not in place yet).
  const touched: string[] = [...changes.remove];

  for (const name of changes.remove) {
    removeWithFlag(next, name);
    if (isContact(name)) removed.push(name);
  }
  for (const [name, value] of Object.entries(changes.set)) {
    if (!isContact(name)) {
      next[name] = value;
      touched.push(name);
      continue;
    }
    if (next[name] === value) {
      // Held: asking for the current value only gives up the value waiting for its code.
      if (held.has(name)) givenUp.push(name);
      else touched.push(name);
      continue;
    }
    if (held.has(name) && next[name]) {
      toIssue.push({ attribute: name, value, held: true });
      continue;
    }
    touched.push(name);
    next[name] = value;
    next[`${name}_verified`] = 'false';
    if (auto.has(name)) toIssue.push({ attribute: name, value, held: false });
  }

  const updated: User = { ...user, attributes: next, updatedAt: users.clock.now() };
  const pending: PendingCode[] = [];
  await users.save(pool, updated, {
    reindex: true,
    touched,
    conflictKind: changedAliasKind(pool, user, updated),
    then: async (tx) => {
      for (const attribute of removed) await users.codes.discard(updated, verifyPurpose(attribute), tx);
      for (const attribute of givenUp) await dropHeldCode(users, updated, attribute, tx);
      for (const c of toIssue) pending.push(await issueVerifyCode(users, updated, c, tx));
    },
  });
  Object.assign(user, updated);
  const sent: CodeDeliveryDetailsType[] = [];
  for (const p of pending) sent.push(await users.deliverCode(pool, user, p, { trigger: 'UpdateUserAttribute', clientMetadata }));
  return sent;
}

/**
 * DeleteUserAttributes: removes attributes the client may write that are neither required nor
 * immutable (attributes.ts), with their verification flags and any code for them.
 */
export async function deleteOwnAttributes(users: Users, pool: UserPool, client: AppClient, user: User, names: string[]): Promise<void> {
  checkRemovals(pool, names, { by: client });
  const next = { ...user.attributes };
  for (const name of names) removeWithFlag(next, name);
  const updated: User = { ...user, attributes: next, updatedAt: users.clock.now() };
  await users.save(pool, updated, {
    reindex: true,
    touched: names,
    then: async (tx) => {
      for (const name of names) if (isContact(name)) await users.codes.discard(updated, verifyPurpose(name), tx);
    },
  });
  Object.assign(user, updated);
}

/**
 * GetUserAttributeVerificationCode: a new code (replacing any live one) for e-mail or phone
 * number, sent to the held value when one is waiting, else to the current value.
 * InvalidParameterException for another attribute or one the user does not have.
 */
export async function sendOwnAttributeCode(
  users: Users,
  pool: UserPool,
  user: User,
  attributeName: string,
  clientMetadata?: Record<string, string>,
): Promise<CodeDeliveryDetailsType> {
  const attribute = contactAttribute(attributeName);
  const waiting = await heldValue(users, user, attribute);
  const value = waiting ?? user.attributes[attribute];
  if (!value) throw new InvalidParameterException(`The user has no ${attribute} to verify.`);
  const pending = await issueVerifyCode(users, user, { attribute, value, held: waiting !== undefined });
  return users.deliverCode(pool, user, pending, { trigger: 'VerifyUserAttribute', clientMetadata });
}

/**
 * VerifyUserAttribute: checks the code (codes.ts: expiry, attempts, single use) and, in the
 * transaction that consumes it, puts a held value in place and marks the attribute verified. A
 * code sent to a value the user no longer has is CodeMismatchException. Once verified, the value
 * may become an alias another user holds: AliasExistsException, and nothing changes (the code
 * stays usable).
 */
export async function verifyOwnAttribute(users: Users, pool: UserPool, user: User, attributeName: string, code: string): Promise<void> {
  const attribute = contactAttribute(attributeName);
  await users.confirmCode(pool, user, verifyPurpose(attribute), code, async (tx, data: VerifyCodeData) => {
    // Read under the row's lock (the pool's first, the order of every user write): a change of the
    // address committed meanwhile is seen here (and the code, sent to the old one, does not match).
    await tx.pools.getForUserWrite(pool.id);
    const fresh = (await users.findBySub(pool, user.id, tx, { forUpdate: true })) ?? user;
    if (data.held && data.value) fresh.attributes[attribute] = data.value;
    else if (data.value !== undefined && fresh.attributes[attribute] !== data.value) throw new CodeMismatchException(CODE_MISMATCH);
    fresh.attributes[`${attribute}_verified`] = 'true';
    fresh.updatedAt = users.clock.now();
    await users.save(pool, fresh, { reindex: true, store: tx, conflictKind: attribute });
  });
}

// ---- helpers ------------------------------------------------------------------------------

function contactAttribute(name: string): ContactAttribute {
  if (!isContact(name)) throw new InvalidParameterException(`Only email and phone_number can be verified, not ${name}.`);
  return name;
}

/** Removing e-mail or phone removes its verification flag with it. */
function removeWithFlag(attributes: Record<string, string>, name: string): void {
  delete attributes[name];
  const flag = Object.entries(VERIFIED_FLAGS).find(([, base]) => base === name)?.[0];
  if (flag) delete attributes[flag];
}

async function issueVerifyCode(users: Users, user: User, c: CodeToIssue, store?: Store): Promise<PendingCode> {
  const purpose = verifyPurpose(c.attribute);
  const data: VerifyCodeData = { attribute: c.attribute, value: c.value, ...(c.held ? { held: true } : {}) };
  const code = await users.codes.issue(user, purpose, data, store);
  return { purpose, code, destination: { attribute: c.attribute, medium: mediumOf(c.attribute), to: c.value } };
}

/** The value waiting for verification for `attribute`, if any (kept with its code, expired or not). */
async function heldValue(users: Users, user: User, attribute: ContactAttribute, store: Store = users.store): Promise<string | undefined> {
  const row = await store.codes.get(user.id, verifyPurpose(attribute));
  if (!row) return undefined;
  const data = JSON.parse(row.data) as VerifyCodeData;
  return data.held ? data.value : undefined;
}

async function dropHeldCode(users: Users, user: User, attribute: ContactAttribute, tx: Store): Promise<void> {
  if ((await heldValue(users, user, attribute, tx)) !== undefined) await users.codes.discard(user, verifyPurpose(attribute), tx);
}

/** The first alias whose value the update changes: what a uniqueness failure is about. */
function changedAliasKind(pool: UserPool, before: User, after: User): AliasKind | undefined {
  const old = new Map(aliasEntries(pool, before).map((a) => [a.kind, a.valueNorm]));
  return aliasEntries(pool, after).find((a) => old.get(a.kind) !== a.valueNorm)?.kind as AliasKind | undefined;
}
