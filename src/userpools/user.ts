// The user as the domain sees it, and its translation to and from the store's row. Shared by
// every part that reads users: admin operations, ListUsers, sign-in, tokens, self-service.
import type { Sealer } from '../crypto/sealed.js';
import type { Verifier } from '../crypto/srp.js';
import type { AttributeType, UserType } from '../models/idp-types.js';
import type { UserRow } from '../store/schema.js';

export type UserStatus =
  | 'UNCONFIRMED'
  | 'CONFIRMED'
  | 'ARCHIVED'
  | 'COMPROMISED'
  | 'UNKNOWN'
  | 'RESET_REQUIRED'
  | 'FORCE_CHANGE_PASSWORD'
  | 'EXTERNAL_PROVIDER';

/**
 * What is kept of a password: Cognito's clients sign in by SRP, so the salt and verifier
 * (bound to the pool name and the canonical username). `expiresAt` is set on temporary passwords.
 * An imported hash (issue 9) is another kind, replaced by a verifier at the first sign-in.
 */
export type PasswordMaterial =
  | ({ kind: 'srp'; expiresAt?: number } & Verifier)
  | { kind: 'hash'; algorithm: string; hash: string; expiresAt?: number };

/** Per-user MFA and sign-in state, kept as one JSON document. */
export interface UserMfa {
  /** Legacy SMS MFA options / current preferences: which methods are enabled, which preferred. */
  smsEnabled?: boolean;
  totpEnabled?: boolean;
  emailEnabled?: boolean;
  preferred?: 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
  /** Sealed TOTP secret once verified; pending one during enrolment. */
  totpSecret?: string;
  totpPending?: string;
  /** Other per-user state features add (documented where they are used). */
  [key: string]: unknown;
}

export interface User {
  /** The immutable `sub`. */
  id: string;
  poolId: string;
  /** Canonical username (a UUID equal to sub when e-mail/phone are username attributes). */
  username: string;
  usernameNorm: string;
  status: UserStatus;
  enabled: boolean;
  /** Every attribute but `sub`, name -> string value (booleans as "true"/"false"). */
  attributes: Record<string, string>;
  password?: PasswordMaterial;
  mfa: UserMfa;
  createdAt: number;
  updatedAt: number;
  passwordUpdatedAt?: number;
}

export const PASSWORD_PURPOSE = 'password';

export function userFromRow(row: UserRow, sealer: Sealer): User {
  const user: User = {
    id: row.id,
    poolId: row.pool_id,
    username: row.username,
    usernameNorm: row.username_norm,
    status: row.status as UserStatus,
    enabled: !!row.enabled,
    attributes: JSON.parse(row.attributes),
    password: undefined,
    mfa: JSON.parse(row.mfa),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordUpdatedAt: row.password_updated_at ?? undefined,
  };
  // The sealed password is opened when first read: listings and most lookups never read it, and
  // opening it (AES-GCM over ~1 KB, a JSON parse) was a fifth of ListUsers' CPU time. Writes and
  // copies ({ ...user }) see a plain value.
  const sealed = row.password;
  if (sealed) {
    let opened: { value: PasswordMaterial | undefined } | undefined;
    Object.defineProperty(user, 'password', {
      enumerable: true,
      configurable: true,
      get: () => (opened ??= { value: sealer.openJson<PasswordMaterial>(PASSWORD_PURPOSE, sealed) }).value,
      set: (value: PasswordMaterial | undefined) => {
        opened = { value };
      },
    });
  }
  let original: { value: PasswordMaterial | undefined } | undefined;
  (user as UserRead)[AS_READ] = {
    row,
    password: () => (original ??= { value: sealed ? sealer.openJson<PasswordMaterial>(PASSWORD_PURPOSE, sealed) : undefined }).value,
  };
  return user;
}

/**
 * The row a user was read from, kept on the object (and on its spread copies: a symbol-keyed
 * property is copied by `{ ...user }` and left out of JSON), so that a later save writes only the
 * columns the caller changed (changedColumns), never a stale copy of the others.
 */
export const AS_READ = Symbol('user row as read');
type UserRead = User & { [AS_READ]?: { row: UserRow; password(): PasswordMaterial | undefined } };

/**
 * The columns of `row` (userToRow of `user`) that differ from what `user` was read with; all of
 * them when it was not read from the store. The password is compared by value (its sealing is
 * random each time).
 */
export function changedColumns(user: User, row: UserRow): Partial<UserRow> {
  const read = (user as UserRead)[AS_READ];
  if (!read) return row;
  const out: Partial<UserRow> = {};
  for (const k of Object.keys(row) as (keyof UserRow)[]) {
    if (k === 'password') {
      if (JSON.stringify(user.password ?? null) !== JSON.stringify(read.password() ?? null)) out.password = row.password;
    } else if (row[k] !== read.row[k]) {
      (out as Record<string, unknown>)[k] = row[k];
    }
  }
  return out;
}

/**
 * Whether this copy changed its attributes or MFA document since it was read (all of them count
 * as changed for a user not read from the store).
 */
export function changedDocuments(user: User): boolean {
  const read = (user as UserRead)[AS_READ];
  return !read || JSON.stringify(user.attributes) !== read.row.attributes || JSON.stringify(user.mfa) !== read.row.mfa;
}

/**
 * Keys that only make sense together, merged as one (mergeDocuments): a verification flag with the
 * value it vouches for, a TOTP authenticator's secret with its state and name. Every other key
 * stands alone.
 */
function groupOf(doc: 'attributes' | 'mfa', key: string): string {
  if (doc === 'attributes') return key.replace(/_verified$/, '');
  return key.startsWith('totp') ? 'totp' : key;
}

/** The flag that enables each preferable MFA method. */
const PREFERABLE: Record<string, keyof UserMfa> = { SMS_MFA: 'smsEnabled', SOFTWARE_TOKEN_MFA: 'totpEnabled', EMAIL_OTP: 'emailEnabled' };

/**
 * Two requests that each read a user and change different keys of one of its JSON documents (the
 * attributes, the MFA settings and password history) must not undo each other, as writing the
 * whole document from the copy each read would. This puts what this copy changed since it was read
 * onto `stored` (the documents as they stand now, read under the row's lock) and makes the result
 * this copy's documents, so that the save writes them and the indexes follow them.
 *
 * The unit is a group of keys (groupOf). A group is written as this copy has it when the copy
 * changed any of its keys, or the request named one in `touched` (attribute names it set or
 * removed: "set email to A" holds even if the copy read A already); a group both wrote goes to the
 * later save. Except: a verification flag is about the value it was set beside, so a copy that
 * changed (or named) only the flag, while the value itself changed since it read it, writes
 * nothing of that group. An MFA preference left pointing at a method that is off is dropped.
 */
export function mergeDocuments(user: User, stored: Pick<UserRow, 'attributes' | 'mfa'>, touched: readonly string[] = []): void {
  const read = (user as UserRead)[AS_READ];
  if (!read) return;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const merge = <T extends object>(doc: 'attributes' | 'mfa', before: string, mine: T, now: string, named: readonly string[]): T => {
    const was = JSON.parse(before) as Record<string, unknown>;
    const out = JSON.parse(now) as Record<string, unknown>;
    const own = mine as Record<string, unknown>;
    const keys = new Set([...Object.keys(was), ...Object.keys(own), ...Object.keys(out)]);
    const written = new Set<string>();
    for (const k of keys) if (!same(was[k], own[k])) written.add(groupOf(doc, k));
    for (const k of named) written.add(groupOf(doc, k));
    if (doc === 'attributes') {
      for (const g of written) {
        const valueWritten = !same(was[g], own[g]) || named.includes(g);
        if (!valueWritten && !same(was[g], out[g])) written.delete(g);
      }
    }
    for (const k of keys) {
      if (!written.has(groupOf(doc, k))) continue;
      if (own[k] === undefined) delete out[k];
      else out[k] = own[k];
    }
    return out as T;
  };
  user.attributes = merge('attributes', read.row.attributes, user.attributes, stored.attributes, touched);
  user.mfa = merge('mfa', read.row.mfa, user.mfa, stored.mfa, []);
  // A preference set by one request for a method another turned off goes with the method.
  const flag = user.mfa.preferred && PREFERABLE[user.mfa.preferred];
  if (flag && user.mfa[flag] !== true) delete user.mfa.preferred;
}

/**
 * After a committed save: the row it wrote becomes what `user` counts its changes from, so a later
 * save of the same object writes only what changes after this one (and never re-applies this
 * one's merge). Columns the save did not write may hold other values by now; they count as
 * unchanged, as they did.
 */
export function markSaved(user: User, row: UserRow): void {
  const read = (user as UserRead)[AS_READ];
  if (!read) return;
  const password = structuredClone(user.password);
  (user as UserRead)[AS_READ] = { row: { ...row }, password: () => password };
}

export function userToRow(user: User, sealer: Sealer): UserRow {
  return {
    id: user.id,
    pool_id: user.poolId,
    username: user.username,
    username_norm: user.usernameNorm,
    status: user.status,
    enabled: user.enabled ? 1 : 0,
    attributes: JSON.stringify(user.attributes),
    password: user.password ? sealer.sealJson(PASSWORD_PURPOSE, user.password) : null,
    mfa: JSON.stringify(user.mfa),
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    password_updated_at: user.passwordUpdatedAt ?? null,
  };
}

/** The attribute list as the API returns it: `sub` first, then the rest. */
export function attributeList(user: User, only?: ReadonlySet<string>): AttributeType[] {
  const all: AttributeType[] = [{ Name: 'sub', Value: user.id }];
  for (const [Name, Value] of Object.entries(user.attributes)) all.push({ Name, Value });
  return only ? all.filter((a) => only.has(a.Name)) : all;
}

/** UserType of ListUsers and friends. */
export function toUserType(user: User, only?: ReadonlySet<string>): UserType {
  return {
    Username: user.username,
    Attributes: attributeList(user, only),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
