// Users of a pool: lookups (by username or alias), writes that keep the unique alias and search
// indexes in step, passwords, attributes, and the codes sent to users. The flows built on them
// (sign-up, confirmation, admin creation) are in registration.ts.
//
// Writes of more than one row run in one transaction; uniqueness comes from the store's
// constraints, mapped here to Cognito's exceptions. Inside a transaction only the `tx` store is
// used: on SQLite a query on the root store would wait for the transaction forever.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { KeyedHash } from '../crypto/keyed-hash.js';
import type { Sealer } from '../crypto/sealed.js';
import type { CryptoWorkers } from '../crypto/workers.js';
import { checkPassword as checkSrpPassword } from '../auth/srp-server.js';
import { AliasExistsException, CodeDeliveryFailureException, InvalidParameterException, UserNotFoundException, UsernameExistsException } from '../errors.js';
import { newUuid } from '../ids.js';
import { verifyImportedHash, type HashAlgorithm } from '../import/password-hashes.js';
import type { AttributeType, CodeDeliveryDetailsType, MFAOptionType } from '../models/idp-types.js';
import type { MessageTrigger, Messages } from '../messaging/messages.js';
import { UniqueViolation } from '../store/connect.js';
import type { Store } from '../store/store.js';
import {
  aliasAttributes,
  autoVerifiedAttributes,
  checkAttributeWrites,
  checkRemovals,
  usernameAttributes,
  VERIFIED_FLAGS,
  type AttributeWriter,
} from './attributes.js';
import { Codes, type CodeData, type CodePurpose } from './codes.js';
import { deliveryDetails, destinationFor, type ContactAttribute, type Destination } from './delivery.js';
import { aliasEntries, normalizeAlias, normalizeUsername, searchEntries, type AliasKind } from './indexes.js';
import { checkPasswordPolicy, makePasswordMaterial } from './passwords.js';
import type { PoolSettings, UserPool, UserPools } from './pools.js';
import { sameUserRules } from './frozen-settings.js';
import { PASSWORD_PURPOSE, changedColumns, changedDocuments, markSaved, mergeDocuments, userFromRow, userToRow, type User, type UserStatus } from './user.js';
import type { Triggers } from '../triggers/triggers.js';
import type { AuthFailureRow, GroupRow, UserRow } from '../store/schema.js';
import { sortGroups } from './groups.js';
import { isTriggerError } from '../triggers/errors.js';
import { MAX_INDEXED_BYTES, fitsIndex } from '../store/indexed.js';
import type { AliasEntry } from '../store/users.js';

export const USER_NOT_FOUND = 'User does not exist.';

/** A code made and stored, not yet sent. */
export interface PendingCode {
  purpose: CodePurpose;
  code: string;
  destination: Destination;
}

export interface SaveOptions {
  /** Rewrite the alias and search entries (after attribute changes). */
  reindex?: boolean;
  /** Run inside the caller's transaction. */
  store?: Store;
  /** The alias to name if the write breaks alias uniqueness (inside a transaction we cannot look). */
  conflictKind?: AliasKind;
  /** More writes for the same transaction (a code that goes with the change). */
  then?: (tx: Store) => Promise<void>;
  /**
   * Attribute names the request set or removed: written as this copy has them even where the copy
   * read the same value (user.ts mergeDocuments).
   */
  touched?: readonly string[];
}

/** The alias kinds of the pool a sign-in name may be: an e-mail only with '@', a phone number only with '+'. */
function aliasKindsFor(pool: UserPool, typed: string): AliasKind[] {
  const kinds = new Set<AliasKind>([...usernameAttributes(pool), ...aliasAttributes(pool)]);
  return [...kinds].filter((kind) => !(kind === 'email' && !typed.includes('@')) && !(kind === 'phone_number' && !typed.startsWith('+')));
}

/** What a password step read along with its user (findForSignIn): groups in claim order, lockout counters. */
export interface SignInPrefetch {
  groups: GroupRow[];
  /** The counters of `user:<sub>` and of the other subject asked for. */
  failures: [AuthFailureRow | undefined, AuthFailureRow | undefined];
}

export class Users {
  /** Rows written by saves inside a caller's transaction, for the caller to mark after its commit. */
  private readonly savedInTransaction = new WeakMap<User, UserRow>();

  readonly codes: Codes;
  /** The pool's Lambda triggers (PreSignUp, PostConfirmation, UserMigration ...). */
  readonly triggers: Triggers;
  /** The crypto worker pool (app.auth's): password verifiers are computed there, off the event loop. */
  readonly modPow: CryptoWorkers;
  private readonly log: Logger;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly sealer: Sealer,
    readonly pools: UserPools,
    readonly messages: Messages,
    readonly config: Config,
    deps: { hasher: KeyedHash; log: Logger; triggers: Triggers; modPow: CryptoWorkers },
  ) {
    this.codes = new Codes(store, clock, deps.hasher);
    this.log = deps.log;
    this.triggers = deps.triggers;
    this.modPow = deps.modPow;
  }

  // ---- lookups --------------------------------------------------------------------------

  /**
   * The user a sign-in name designates: the username (compared per the pool's case setting),
   * else an alias of the pool (its UsernameAttributes and AliasAttributes: e-mail, phone,
   * preferred_username). Each step is one indexed query.
   * @example await app.users.find(pool, 'Alice@Example.com')
   */
  async find(pool: UserPool, usernameOrAlias: string, store: Store = this.store): Promise<User | undefined> {
    const row = await store.users.getByUsername(pool.id, normalizeUsername(pool, usernameOrAlias));
    if (row) return userFromRow(row, this.sealer);
    return this.findByAlias(pool, usernameOrAlias, store);
  }

  /** The user an alias of the pool designates (find's second step). */
  private async findByAlias(pool: UserPool, usernameOrAlias: string, store: Store = this.store): Promise<User | undefined> {
    for (const kind of aliasKindsFor(pool, usernameOrAlias)) {
      const r = await store.users.getByAlias(pool.id, kind, normalizeAlias(pool, kind, usernameOrAlias));
      if (r) return userFromRow(r, this.sealer);
    }
    return undefined;
  }

  /** As find, but UserNotFoundException 'User does not exist.' when there is none. */
  async get(pool: UserPool, usernameOrAlias: string): Promise<User> {
    const user = await this.find(pool, usernameOrAlias);
    if (!user) throw new UserNotFoundException(USER_NOT_FOUND);
    return user;
  }

  /** The user with this `sub` (tokens carry it), or undefined. */
  async findBySub(pool: UserPool, sub: string, store: Store = this.store, opts: { forUpdate?: boolean } = {}): Promise<User | undefined> {
    const row = opts.forUpdate ? await store.users.getByIdForUpdate(pool.id, sub) : await store.users.getById(pool.id, sub);
    return row ? userFromRow(row, this.sealer) : undefined;
  }

  /**
   * A password step's user read: as find (by name or alias, `{ typed }`) or findBySub (`{ sub }`),
   * and in the same statement the user's groups and the lockout counters of `user:<sub>` and of
   * `otherSubject` (`prefetched`). With `claim`, the challenge id is recorded as used (`claimed`:
   * false for a replay), in the same statement where the engine can (store/users.ts getForSignIn).
   */
  async findForSignIn(
    pool: UserPool,
    by: { typed: string } | { sub: string },
    otherSubject: string,
    claim?: { jti: string; expiresAt: number },
  ): Promise<{ user?: User; prefetched?: SignInPrefetch; claimed?: boolean }> {
    const keys =
      'sub' in by
        ? [{ id: by.sub }]
        : [{ usernameNorm: normalizeUsername(pool, by.typed) }, ...aliasKindsFor(pool, by.typed).map((kind) => ({ alias: { kind, valueNorm: normalizeAlias(pool, kind, by.typed) } }))];
    let claimed: boolean | undefined;
    for (const [i, key] of keys.entries()) {
      const r = await this.store.users.getForSignIn(pool.id, key, otherSubject, i === 0 ? claim : undefined);
      if (i === 0) claimed = r.claimed;
      if (r.read) return { user: userFromRow(r.read.row, this.sealer), prefetched: { groups: sortGroups(r.read.groups), failures: r.read.failures }, claimed };
    }
    return { claimed };
  }

  // ---- writes ---------------------------------------------------------------------------

  /** A new user, not yet stored: a fresh sub; the username given, else (UsernameAttributes pools) the sub. */
  build(pool: UserPool, fields: { username?: string; attributes: Record<string, string>; status: UserStatus }): User {
    const id = newUuid();
    const username = fields.username ?? id;
    const now = this.clock.now();
    return {
      id,
      poolId: pool.id,
      username,
      usernameNorm: normalizeUsername(pool, username),
      status: fields.status,
      enabled: true,
      attributes: fields.attributes,
      mfa: {},
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Stores a new user with its indexes, and runs `then` in the same transaction. A taken
   * username is UsernameExistsException (`usernameTaken`, default 'User already exists'); a
   * taken alias is UsernameExistsException naming it, as SignUp and AdminCreateUser answer.
   */
  async insert(
    pool: UserPool,
    user: User,
    opts: { then?: (tx: Store) => Promise<void>; usernameTaken?: string; forceAliases?: boolean } = {},
  ): Promise<void> {
    try {
      await this.store.transaction(async (tx) => {
        const current = await this.followPool(pool, user, tx);
        const aliases = aliasEntries(current, user);
        refuseUnindexable(user, aliases);
        if (opts.forceAliases) await this.takeOverAliases(current, user, tx);
        await tx.users.insert(userToRow(user, this.sealer), aliases, searchEntries(user));
        await opts.then?.(tx);
      });
    } catch (e) {
      if (!(e instanceof UniqueViolation)) throw e;
      if (e.table === 'users') throw new UsernameExistsException(opts.usernameTaken ?? 'User already exists');
      const kind = await this.conflictKind(pool, user);
      throw new UsernameExistsException(`An account with the given ${kind} already exists.`);
    }
  }

  /**
   * Writes the user's row (and with `reindex`, its aliases and search entries) and runs `then`,
   * in one transaction. A taken alias is AliasExistsException.
   */
  async save(pool: UserPool, user: User, opts: SaveOptions = {}): Promise<void> {
    // The merge below rewrites the copy's documents; a save that fails leaves them as they were.
    const { attributes, mfa } = user;
    let written: UserRow | undefined;
    try {
      await (opts.store ?? this.store).transaction(async (tx) => {
        const current = await this.followPool(pool, user, tx);
        // Rules changed since `pool` was read: the indexes follow the new ones.
        const reindex = opts.reindex || current !== pool;
        // The JSON documents are merged group by group with what they hold now (user.ts
        // mergeDocuments); a re-indexing save writes the attributes whole, so it merges too.
        if (reindex || changedDocuments(user) || opts.touched?.length) {
          const stored = await tx.users.getByIdForUpdate(user.poolId, user.id);
          if (stored) mergeDocuments(user, stored, opts.touched);
        }
        // Only the columns this caller changed since the user was read (user.ts changedColumns): a
        // save of a copy read earlier must not put back what another request wrote meanwhile (a
        // password an administrator replaced, MFA set up, ...). `enabled` is setEnabled's alone.
        const full = userToRow(user, this.sealer);
        const { enabled: _enabled, ...changed } = changedColumns(user, full);
        // Rebuilt indexes come from this copy: its attributes and name go with them, so that the
        // row and its aliases and search entries never disagree.
        const row = { ...changed, ...(reindex ? { attributes: full.attributes, username_norm: full.username_norm } : {}), id: user.id, pool_id: user.poolId };
        const aliases = reindex ? aliasEntries(current, user) : undefined;
        if (aliases) refuseUnindexable(user, aliases);
        await tx.users.update(row, aliases, reindex ? searchEntries(user) : undefined);
        await opts.then?.(tx);
        written = full;
      });
      // Marked as saved once the write is committed: by this call when the transaction is its own,
      // else by its owner (modify) after its commit; a rolled-back save leaves the copy as it was.
      if (written && !opts.store) markSaved(user, written);
      else if (written) this.savedInTransaction.set(user, written);
    } catch (e) {
      user.attributes = attributes;
      user.mfa = mfa;
      if (!(e instanceof UniqueViolation) || e.table !== 'user_aliases') throw e;
      const kind = opts.conflictKind ?? (opts.store ? aliasEntries(pool, user)[0]?.kind : await this.conflictKind(pool, user));
      throw new AliasExistsException(`An account with the given ${kind ?? 'alias'} already exists.`);
    }
  }

  /**
   * A read-modify-write of one user that must not undo a concurrent change of another part of it
   * (AssociateSoftwareToken beside AdminSetUserMFAPreference, say): the pool's lock, then the user
   * read again row-locked (PostgreSQL), `change` applied to that fresh copy and saved, all in one
   * transaction. `change` may throw to write nothing; it must not use the root store (SQLite has
   * one connection, held by this transaction). Returns the saved user.
   */
  async modify(pool: UserPool, sub: string, change: (fresh: User) => void | Promise<void>, opts: { reindex?: boolean } = {}): Promise<User> {
    const fresh = await this.store.transaction(async (tx) => {
      await tx.pools.getForUserWrite(pool.id);
      const fresh = await this.findBySub(pool, sub, tx, { forUpdate: true });
      if (!fresh) throw new UserNotFoundException(USER_NOT_FOUND);
      await change(fresh);
      await this.save(pool, fresh, { store: tx, reindex: opts.reindex });
      return fresh;
    });
    const written = this.savedInTransaction.get(fresh);
    if (written) markSaved(fresh, written);
    return fresh;
  }

  /**
   * The pool as its row stands inside `tx`, key-share locked on PostgreSQL, so that a change of
   * the frozen settings (frozen-settings.ts) and this write run one after the other. When the
   * rules for users changed since `pool` was read, `user` follows them: its username key is
   * normalized anew and attributes no longer in the schema are dropped.
   */
  private async followPool(pool: UserPool, user: User, tx: Store): Promise<UserPool> {
    const row = await tx.pools.getForUserWrite(pool.id);
    if (!row || row.updated_at === pool.updatedAt) return pool;
    const settings = JSON.parse(row.config) as PoolSettings;
    if (sameUserRules(pool.settings, settings)) return pool;
    const current: UserPool = { ...pool, settings, updatedAt: row.updated_at };
    user.usernameNorm = normalizeUsername(current, user.username);
    const custom = new Set((settings.SchemaAttributes ?? []).map((a) => a.Name).filter((n) => n?.startsWith('custom:')));
    for (const name of Object.keys(user.attributes)) {
      const base = name.startsWith('dev:') ? name.slice(4) : name;
      if (base.startsWith('custom:') && !custom.has(base)) delete user.attributes[name];
    }
    return current;
  }

  /** Which of the user's aliases another user holds (read after the failed write rolled back). */
  private async conflictKind(pool: UserPool, user: User): Promise<string> {
    const entries = aliasEntries(pool, user);
    for (const a of entries) {
      const owner = await this.store.users.aliasOwner(pool.id, a.kind, a.valueNorm);
      if (owner && owner.user_id !== user.id) return a.kind;
    }
    return entries[0]?.kind ?? 'alias';
  }

  /**
   * ForceAliasCreation: an e-mail or phone alias (AliasAttributes) that another user holds moves
   * to `user`; the other user's attribute becomes unverified, so it is no longer an alias.
   * Aliases that are username attributes never move.
   */
  async takeOverAliases(pool: UserPool, user: User, tx: Store): Promise<void> {
    const usernameAttrs = new Set<string>(usernameAttributes(pool));
    for (const a of aliasEntries(pool, user)) {
      if (a.kind === 'preferred_username' || usernameAttrs.has(a.kind)) continue;
      const owner = await tx.users.aliasOwner(pool.id, a.kind, a.valueNorm);
      if (!owner || owner.user_id === user.id) continue;
      const other = await this.findBySub(pool, owner.user_id, tx);
      if (!other) continue;
      other.attributes[`${a.kind}_verified`] = 'false';
      other.updatedAt = this.clock.now();
      await this.save(pool, other, { reindex: true, store: tx });
    }
  }

  /** Deletes the user; its aliases, codes and memberships go with it (foreign keys). */
  async delete(pool: UserPool, user: User): Promise<void> {
    if (!(await this.store.users.delete(user.id))) throw new UserNotFoundException(USER_NOT_FOUND);
  }

  /** AdminEnableUser / AdminDisableUser. (Revoking a disabled user's tokens belongs to the tokens work.) */
  /**
   * Writes only the flag (and updated_at): a whole-row save from a copy read earlier would undo a
   * password or attributes another request wrote meanwhile.
   */
  async setEnabled(pool: UserPool, user: User, enabled: boolean): Promise<void> {
    await this.store.users.update({ id: user.id, pool_id: pool.id, enabled: enabled ? 1 : 0, updated_at: this.clock.now() });
  }

  // ---- passwords ------------------------------------------------------------------------

  /**
   * Sets a password after checking the pool's policy (InvalidPasswordException naming the rule).
   * Permanent: the user becomes CONFIRMED. Temporary: FORCE_CHANGE_PASSWORD, and the password
   * expires after the policy's TemporaryPasswordValidityDays. Mutates `user` and saves it.
   * @example await app.users.setPassword(pool, user, 'N3w-Passw0rd!', { permanent: true })
   */
  async setPassword(pool: UserPool, user: User, password: string, opts: { permanent: boolean; store?: Store }): Promise<void> {
    checkPasswordPolicy(pool, password);
    const now = this.clock.now();
    user.password = await makePasswordMaterial(pool, user.username, password, { temporary: !opts.permanent, now, modPow: this.modPow });
    user.status = opts.permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    user.passwordUpdatedAt = now;
    user.updatedAt = now;
    await this.save(pool, user, { store: opts.store });
  }

  /**
   * Whether `password` is the user's: its SRP verifier recomputed and compared in constant time,
   * or an imported hash (src/import/password-hashes.ts) verified on the libuv thread pool. The
   * first match on an imported hash replaces it with an SRP verifier (DESIGN.md, Secrets), so the
   * user signs in by SRP from then on; only the password column is written.
   */
  async checkPassword(pool: UserPool, user: User, password: string): Promise<boolean> {
    const material = user.password;
    if (material?.kind === 'srp') return checkSrpPassword(this.modPow, pool.srpName, user.username, password, material);
    if (material?.kind !== 'hash') return false;
    if (!(await verifyImportedHash({ algorithm: material.algorithm as HashAlgorithm, hash: material.hash }, password))) return false;
    user.password = await makePasswordMaterial(pool, user.username, password, { temporary: false, now: this.clock.now(), modPow: this.modPow });
    await this.store.users.update({ id: user.id, pool_id: user.poolId, password: this.sealer.sealJson(PASSWORD_PURPOSE, user.password) });
    return true;
  }

  /** Whether the user's password is a temporary one past its validity. */
  isPasswordExpired(user: User): boolean {
    const at = user.password?.expiresAt;
    return at !== undefined && at <= this.clock.now();
  }

  // ---- attributes -----------------------------------------------------------------------

  /**
   * Applies attribute writes checked by attributes.ts. A changed e-mail or phone number becomes
   * unverified unless the same request (an admin's) sets its *_verified flag; if it is an
   * auto-verified attribute, a verification code is stored with the change (one transaction)
   * and then sent to the new value. Removing e-mail or phone removes its flag too. Returns
   * where codes went.
   */
  async updateAttributes(
    pool: UserPool,
    user: User,
    attrs: AttributeType[],
    opts: { by: AttributeWriter; clientMetadata?: Record<string, string> },
  ): Promise<CodeDeliveryDetailsType[]> {
    const changes = checkAttributeWrites(pool, attrs, { by: opts.by, creating: false });
    const next = { ...user.attributes };
    const toVerify: ContactAttribute[] = [];
    for (const name of changes.remove) removeAttribute(next, name);
    for (const [name, value] of Object.entries(changes.set)) {
      const contact = name === 'email' || name === 'phone_number';
      if (contact && next[name] !== value && changes.set[`${name}_verified`] === undefined) {
        next[`${name}_verified`] = 'false';
        if (autoVerifiedAttributes(pool).includes(name)) toVerify.push(name);
      }
      next[name] = value;
    }
    const updated: User = { ...user, attributes: next, updatedAt: this.clock.now() };
    const pending: PendingCode[] = [];
    const issue = async (tx: Store) => {
      await this.discardVerifyCodes(updated, changes.remove, tx);
      for (const attribute of toVerify) {
        const p = await this.issueCode(pool, updated, `verify:${attribute}`, tx);
        if (p) pending.push(p);
      }
    };
    await this.save(pool, updated, { reindex: true, then: issue, touched: [...changes.remove, ...Object.keys(changes.set)] });
    Object.assign(user, updated);
    const sent: CodeDeliveryDetailsType[] = [];
    for (const p of pending) {
      try {
        sent.push(await this.deliverCode(pool, user, p, { trigger: 'UpdateUserAttribute', clientMetadata: opts.clientMetadata }));
      } catch (e) {
        // AdminUpdateUserAttributes cannot report a failed delivery (its model lists no such
        // error); the attribute stays unverified and GetUserAttributeVerificationCode re-sends.
        if (opts.by !== 'admin') throw e;
      }
    }
    return sent;
  }

  /** Removes attributes (checked by attributes.ts: not required, mutable, writable by the caller). */
  async deleteAttributes(pool: UserPool, user: User, names: string[], opts: { by: AttributeWriter }): Promise<void> {
    checkRemovals(pool, names, opts);
    const next = { ...user.attributes };
    for (const name of names) removeAttribute(next, name);
    const updated: User = { ...user, attributes: next, updatedAt: this.clock.now() };
    await this.save(pool, updated, { reindex: true, then: (tx) => this.discardVerifyCodes(updated, names, tx), touched: names });
    Object.assign(user, updated);
  }

  /** A removed e-mail or phone number takes its pending verification code with it. */
  private async discardVerifyCodes(user: User, removed: string[], tx: Store): Promise<void> {
    for (const name of removed) {
      if (name === 'email' || name === 'phone_number') await this.codes.discard(user, `verify:${name}`, tx);
    }
  }

  // ---- codes and messages ---------------------------------------------------------------

  /**
   * Makes and stores a code for `purpose` if the user has a destination for it (see
   * delivery.ts); undefined otherwise. Pass `store` to write in a caller's transaction.
   */
  async issueCode(pool: UserPool, user: User, purpose: CodePurpose, store?: Store): Promise<PendingCode | undefined> {
    const destination = destinationFor(pool, user, purpose);
    if (!destination) return undefined;
    const data: CodeData = { attribute: destination.attribute, value: destination.to };
    return { purpose, destination, code: await this.codes.issue(user, purpose, data, store) };
  }

  /** Sends a stored code; a failed send is CodeDeliveryFailureException (logged without the code). */
  async deliverCode(
    pool: UserPool,
    user: User,
    pending: PendingCode,
    opts: { trigger: MessageTrigger; clientMetadata?: Record<string, string>; clientId?: string },
  ): Promise<CodeDeliveryDetailsType> {
    const { destination } = pending;
    try {
      await this.messages.deliver(
        { pool, trigger: opts.trigger, user: this.messageUser(pool, user), code: pending.code, clientMetadata: opts.clientMetadata, clientId: opts.clientId },
        destination.medium,
        destination.to,
      );
    } catch (e) {
      // A CustomMessage function's failure is its own error (UserLambdaValidationException ...).
      if (isTriggerError(e)) throw e;
      this.log.warn({ poolId: pool.id, medium: destination.medium, err: (e as Error).message }, 'code delivery failed');
      throw new CodeDeliveryFailureException(`Unable to deliver the code by ${destination.medium === 'EMAIL' ? 'e-mail' : 'SMS'}.`);
    }
    return deliveryDetails(destination);
  }

  /**
   * Issues and sends a code: `signup` (auto-verified destination), `reset` (verified recovery
   * contact) or `verify:email` / `verify:phone_number`. No destination is
   * InvalidParameterException; a failed send is CodeDeliveryFailureException.
   * @example await app.users.sendCode(pool, user, 'reset', { trigger: 'ForgotPassword' })
   */
  async sendCode(
    pool: UserPool,
    user: User,
    purpose: CodePurpose,
    opts: { trigger: MessageTrigger; clientMetadata?: Record<string, string>; clientId?: string },
  ): Promise<CodeDeliveryDetailsType> {
    const pending = await this.issueCode(pool, user, purpose);
    if (!pending) throw new InvalidParameterException(noDestinationMessage(purpose));
    return this.deliverCode(pool, user, pending, opts);
  }

  /**
   * Checks a code (codes.ts rules: expiry, attempts, constant-time comparison, single use) and
   * runs `onConfirmed` in the transaction that consumes it. Returns what the code was sent to.
   * @example await app.users.confirmCode(pool, user, 'reset', code, (tx) => app.users.setPassword(pool, user, pw, { permanent: true, store: tx }))
   */
  async confirmCode<T = void>(
    pool: UserPool,
    user: User,
    purpose: CodePurpose,
    code: string,
    onConfirmed?: (tx: Store, data: CodeData) => Promise<T>,
  ): Promise<CodeData> {
    return (await this.codes.confirm(user, purpose, code, onConfirmed)).data;
  }

  /** The user as messages name them: `{username}` is the sign-in name (e-mail/phone in UsernameAttributes pools). */
  messageUser(pool: UserPool, user: User): { username: string; displayName: string; attributes: Record<string, string>; sub: string; status: UserStatus } {
    const byAttribute = usernameAttributes(pool).map((a) => user.attributes[a]).find(Boolean);
    return { username: user.username, displayName: byAttribute ?? user.username, attributes: user.attributes, sub: user.id, status: user.status };
  }
}

/** Removing a contact attribute removes its verification flag with it. */
function removeAttribute(attributes: Record<string, string>, name: string): void {
  delete attributes[name];
  const flag = Object.entries(VERIFIED_FLAGS).find(([, base]) => base === name)?.[0];
  if (flag) delete attributes[flag];
}

function noDestinationMessage(purpose: CodePurpose): string {
  if (purpose === 'reset') return 'Cannot reset password for the user as there is no registered/verified email or phone_number';
  if (purpose === 'signup') return 'Cannot send a confirmation code: the user has no auto-verified email or phone_number.';
  return `The user has no ${purpose.slice('verify:'.length)} to verify.`;
}

/**
 * The MFA part of AdminGetUser / GetUser from the user's settings: the enabled methods, the
 * preferred one, and the legacy MFAOptions (SMS to phone_number when SMS MFA is on).
 */
export function mfaSettings(user: User): { MFAOptions?: MFAOptionType[]; PreferredMfaSetting?: string; UserMFASettingList?: string[] } {
  const list = [
    ...(user.mfa.smsEnabled ? ['SMS_MFA'] : []),
    ...(user.mfa.totpEnabled ? ['SOFTWARE_TOKEN_MFA'] : []),
    ...(user.mfa.emailEnabled ? ['EMAIL_OTP'] : []),
  ];
  return {
    ...(user.mfa.smsEnabled ? { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] } : {}),
    ...(user.mfa.preferred ? { PreferredMfaSetting: user.mfa.preferred } : {}),
    ...(list.length ? { UserMFASettingList: list } : {}),
  };
}

/**
 * The username and aliases of a user go into unique indexes (store/indexed.ts). The API's models
 * keep them short; this catches what comes another way (a migration function's answer, an
 * identity provider) before PostgreSQL refuses it with an error of its own. (CSV imports write in
 * batches of their own and check their rows in import/rows.ts.)
 */
function refuseUnindexable(user: User, aliases: AliasEntry[]): void {
  if (!fitsIndex(user.usernameNorm)) throw new InvalidParameterException(`The username must be no longer than ${MAX_INDEXED_BYTES} bytes in UTF-8.`);
  for (const a of aliases) {
    if (!fitsIndex(a.valueNorm)) throw new InvalidParameterException(`The ${a.kind} must be no longer than ${MAX_INDEXED_BYTES} bytes in UTF-8.`);
  }
}
