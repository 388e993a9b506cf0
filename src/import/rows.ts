// One CSV file of a user import job, checked as Cognito checks it: the header first (the job fails
// on a bad one), then each row on its own (a bad row fails alone, with the reason recorded).
//
// Header: `cognito:username` and `cognito:mfa_enabled` are required; every other column must be an
// attribute of the pool (GetCSVHeader's names) or `tessera:password_hash`; no column twice. Columns
// of GetCSVHeader may be left out. Order does not matter.
//
// Row, in order:
//   cognito:username present                    "cognito:username is required"
//   attributes fit the schema (as an admin's)   the attribute's own message (type, length, format)
//   required attributes present                 "<name>: The attribute is required"
//   username fits the pool (e-mail/phone usernames, aliases)   AdminCreateUser's message
//   cognito:mfa_enabled empty, true or false; true needs a phone_number (SMS MFA, as in Cognito)
//   *_verified true needs the value it verifies
//   a password hash (Tessera): well-formed and of the job's PasswordHashingAlgorithm -> CONFIRMED
//   no hash: a verified e-mail or phone among the pool's AutoVerifiedAttributes (any verified one
//   if it has none), so the user can reset the password -> RESET_REQUIRED
import { CognitoException } from '../errors.js';
import { autoVerifiedAttributes, checkAttributeWrites, checkRequiredAttributes } from '../userpools/attributes.js';
import type { UserPool } from '../userpools/pools.js';
import { resolveUsername } from '../userpools/registration.js';
import type { User } from '../userpools/user.js';
import type { Users } from '../userpools/users.js';
import { attributeColumns, HASH_COLUMN, MFA_COLUMN, USERNAME_COLUMN } from './csv-header.js';
import { HashFormatError, parseImportedHash } from './password-hashes.js';
import { model as idpModel } from '../models/idp.js';
import { validateInput } from '../models/validate.js';

/** A header the job cannot run with; its message becomes the job's CompletionMessage. */
export class HeaderError extends Error {}
/** A row that cannot be imported; the message is recorded with its line. */
export class RowError extends Error {}

/** Where each known column is in the file. */
export interface Layout {
  username: number;
  mfa: number;
  hash: number;
  /** [column index, attribute name] */
  attributes: [number, string][];
}

export function readHeader(pool: UserPool, header: string[]): Layout {
  const known = new Set(attributeColumns(pool));
  const seen = new Set<string>();
  const unknown: string[] = [];
  const layout: Layout = { username: -1, mfa: -1, hash: -1, attributes: [] };
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (seen.has(name)) throw new HeaderError(`The CSV header names ${name} twice.`);
    seen.add(name);
    if (name === USERNAME_COLUMN) layout.username = i;
    else if (name === MFA_COLUMN) layout.mfa = i;
    else if (name === HASH_COLUMN) layout.hash = i;
    else if (known.has(name)) layout.attributes.push([i, name]);
    else unknown.push(name);
  });
  if (unknown.length) throw new HeaderError(`The CSV header names columns the user pool does not have: ${unknown.slice(0, 10).join(', ')}.`);
  if (layout.username < 0) throw new HeaderError(`The CSV header has no ${USERNAME_COLUMN} column.`);
  if (layout.mfa < 0) throw new HeaderError(`The CSV header has no ${MFA_COLUMN} column.`);
  return layout;
}

/** The username a row names (for the error record), if any. */
export function usernameOf(layout: Layout, record: string[]): string | undefined {
  return record[layout.username]?.trim() || undefined;
}

/** The user a row describes, not yet stored; RowError says why it cannot be one. */
export function userFromRow(users: Users, pool: UserPool, layout: Layout, record: string[], declared?: string): User {
  const name = usernameOf(layout, record);
  if (!name) throw new RowError(`${USERNAME_COLUMN} is required`);
  const given = layout.attributes.filter(([i]) => record[i]).map(([i, Name]) => ({ Name, Value: record[i]! }));
  let user: User;
  try {
    // The username and values as AdminCreateUser takes them (pattern and 128 characters for the
    // name; no NUL and at most 2,048 characters for a value). A row is written by the import's own
    // batch insert, not through Users.insert.
    validateInput(idpModel, 'AdminCreateUserRequest', { UserPoolId: pool.id, Username: name, UserAttributes: given });
    const written = checkAttributeWrites(pool, given, { by: 'admin', creating: true });
    checkRequiredAttributes(pool, written.set);
    const { username, attributes } = resolveUsername(pool, name, written.set);
    user = users.build(pool, { username, attributes, status: 'RESET_REQUIRED' });
  } catch (e) {
    if (e instanceof CognitoException) throw new RowError(e.message);
    throw e;
  }
  const a = user.attributes;
  const mfa = (record[layout.mfa] ?? '').trim().toLowerCase();
  if (mfa !== '' && mfa !== 'true' && mfa !== 'false') throw new RowError(`${MFA_COLUMN} must be true or false`);
  if (mfa === 'true') {
    if (!a.phone_number) throw new RowError(`${MFA_COLUMN} is true but the user has no phone_number`);
    user.mfa.smsEnabled = true;
  }
  for (const contact of ['email', 'phone_number'] as const) {
    if (a[`${contact}_verified`] === 'true' && !a[contact]) throw new RowError(`${contact}_verified is true but ${contact} is empty`);
  }
  const hash = layout.hash >= 0 ? record[layout.hash]?.trim() : undefined;
  if (hash) {
    try {
      const parsed = parseImportedHash(hash, declared);
      user.password = { kind: 'hash', algorithm: parsed.algorithm, hash: parsed.hash };
    } catch (e) {
      if (e instanceof HashFormatError) throw new RowError(`${HASH_COLUMN}: ${e.message}`);
      throw e;
    }
    user.status = 'CONFIRMED';
    user.passwordUpdatedAt = user.createdAt;
    return user;
  }
  const auto = autoVerifiedAttributes(pool);
  const candidates = auto.length ? auto : (['email', 'phone_number'] as const);
  if (!candidates.some((c) => a[`${c}_verified`] === 'true')) {
    throw new RowError(`the user needs a verified ${candidates.join(' or ')} to reset the password (or a ${HASH_COLUMN})`);
  }
  return user;
}
