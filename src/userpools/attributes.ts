// Attribute writes checked against a pool's schema, as Cognito checks them: known names only
// (standard ones and the pool's custom:/dev: ones), the value's type and constraints, e-mail and
// phone formats, immutability after creation, required attributes, and what an app client may
// write. Pure functions: the Users domain applies the result.
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import type { AttributeType, SchemaAttributeType } from '../models/idp-types.js';
import type { AppClient, UserPool } from './pools.js';
import { STANDARD_ATTRIBUTE_NAMES, standardSchema } from './schema.js';
import { MAX_INDEXED_BYTES, fitsIndexAsAlias } from '../store/indexed.js';

/** Who writes: an administrator (SigV4 operations) or an app client (public operations). */
export type AttributeWriter = 'admin' | AppClient;

export const VERIFIED_FLAGS: Readonly<Record<string, string>> = {
  email_verified: 'email',
  phone_number_verified: 'phone_number',
};

const schemaError = (detail: string) => new InvalidParameterException(`Attributes did not conform to the schema: ${detail}`);
const unauthorizedWrite = () => new NotAuthorizedException('A client attempted to write unauthorized attribute');
const immutable = (name: string) => new InvalidParameterException(`${name}: Attribute cannot be updated.`);

/** Cognito's spelling of a schema entry's attribute name: custom ones carry `custom:` (and `dev:`). */
function attributeNameOf(a: SchemaAttributeType): string {
  const name = a.Name ?? '';
  if (STANDARD_ATTRIBUTE_NAMES.has(name) || name.startsWith('dev:')) return name;
  const custom = name.startsWith('custom:') ? name : `custom:${name}`;
  // Developer-only attributes are written (by administrators only) as dev:custom:<name>.
  return a.DeveloperOnlyAttribute ? `dev:${custom}` : custom;
}

const schemaCache = new WeakMap<object, Map<string, SchemaAttributeType>>();

/**
 * The pool's effective schema by attribute name: the standard attributes, overridden by the
 * pool's own entries for them (Required, Mutable, constraints), plus its custom attributes.
 */
export function poolSchema(pool: UserPool): Map<string, SchemaAttributeType> {
  const hit = schemaCache.get(pool.settings);
  if (hit) return hit;
  const out = new Map<string, SchemaAttributeType>();
  for (const a of standardSchema()) out.set(a.Name!, a);
  for (const a of pool.settings.SchemaAttributes ?? []) {
    const name = attributeNameOf(a);
    out.set(name, { ...out.get(name), ...a, Name: name });
  }
  schemaCache.set(pool.settings, out);
  return out;
}

/**
 * Whether an app client may write `name`: never sub, *_verified, developer-only attributes, nor
 * `identities`, which says which identity providers the user signs in through (federation keeps
 * it; apps read it to tell federated users apart).
 */
export function isClientWritable(pool: UserPool, client: AppClient, name: string): boolean {
  const entry = poolSchema(pool).get(name);
  if (!entry || name === 'sub' || name === 'identities' || name in VERIFIED_FLAGS || name.startsWith('dev:') || entry.DeveloperOnlyAttribute) return false;
  const allowed = client.settings.WriteAttributes;
  // A client created without WriteAttributes may write every attribute it is allowed to at all.
  return !allowed?.length || allowed.includes(name);
}

/**
 * The attribute names an app client may read (ReadAttributes, else all but developer-only
 * ones); `sub` always. Used by GetUser and the ID token.
 */
export function clientReadableAttributes(pool: UserPool, client: AppClient): Set<string> {
  const names = [...poolSchema(pool).keys()].filter((n) => !n.startsWith('dev:'));
  const allowed = client.settings.ReadAttributes;
  const out = new Set(allowed?.length ? names.filter((n) => allowed.includes(n)) : names);
  out.add('sub');
  return out;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/u;
const PHONE = /^\+[0-9]{4,15}$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/** Checks one value against its schema entry; returns the value as stored. */
function checkValue(name: string, entry: SchemaAttributeType, raw: string): string {
  if (name === 'email' && !EMAIL.test(raw)) throw new InvalidParameterException('Invalid email address format.');
  if (name === 'phone_number' && !PHONE.test(raw)) throw new InvalidParameterException('Invalid phone number format.');
  switch (entry.AttributeDataType) {
    case 'Boolean': {
      const v = raw.toLowerCase();
      if (v !== 'true' && v !== 'false') throw schemaError(`${name}: Value must be true or false`);
      return v;
    }
    case 'Number': {
      if (!NUMBER.test(raw)) throw schemaError(`${name}: Number must be a valid number`);
      const { MinValue, MaxValue } = entry.NumberAttributeConstraints ?? {};
      if (MinValue !== undefined && Number(raw) < Number(MinValue)) throw schemaError(`${name}: Number must be no less than ${MinValue}`);
      if (MaxValue !== undefined && Number(raw) > Number(MaxValue)) throw schemaError(`${name}: Number must be no greater than ${MaxValue}`);
      return raw;
    }
    default: {
      const length = [...raw].length;
      const min = Number(entry.StringAttributeConstraints?.MinLength ?? 0);
      const max = Number(entry.StringAttributeConstraints?.MaxLength ?? 2048);
      if (length < min) throw schemaError(`${name}: String must be no shorter than ${min} characters`);
      if (length > max) throw schemaError(`${name}: String must be no longer than ${max} characters`);
      // E-mail and preferred_username can be aliases, kept in a unique index (store/indexed.ts).
      if ((name === 'email' || name === 'preferred_username') && !fitsIndexAsAlias(raw)) {
        throw schemaError(`${name}: String must be no longer than ${MAX_INDEXED_BYTES} bytes in UTF-8`);
      }
      return raw;
    }
  }
}

/** The result of checking a list of attribute writes. */
export interface AttributeChanges {
  /** name -> new value. */
  set: Record<string, string>;
  /** Names written with an empty value: removals (on updates only). */
  remove: string[];
}

/**
 * Checks attribute writes. Rules, in order, per attribute: the name is in the pool's schema;
 * `sub` is never written; a client writes only what isClientWritable allows; after creation an
 * immutable attribute cannot change; the value fits its type, constraints and format. On an
 * update an empty value removes the attribute (checked as a removal). Later duplicates win.
 */
export function checkAttributeWrites(
  pool: UserPool,
  attrs: AttributeType[],
  ctx: { by: AttributeWriter; creating: boolean },
): AttributeChanges {
  const schema = poolSchema(pool);
  const out: AttributeChanges = { set: {}, remove: [] };
  for (const { Name: name, Value: raw = '' } of attrs) {
    const entry = schema.get(name);
    if (!entry) throw schemaError(`Type for attribute {${name}} could not be determined`);
    if (ctx.by !== 'admin' && !isClientWritable(pool, ctx.by, name)) throw unauthorizedWrite();
    if (name === 'sub' || (!ctx.creating && entry.Mutable === false)) throw immutable(name);
    if (raw === '') {
      if (ctx.creating) continue;
      checkRemovals(pool, [name], ctx);
      out.remove.push(name);
      delete out.set[name];
      continue;
    }
    out.set[name] = checkValue(name, entry, raw);
  }
  return out;
}

/**
 * Checks attribute removals: known names, writable by the caller, mutable, and not required
 * (Cognito's wording for the last).
 */
export function checkRemovals(pool: UserPool, names: string[], ctx: { by: AttributeWriter }): void {
  const schema = poolSchema(pool);
  for (const name of names) {
    const entry = schema.get(name);
    if (!entry) throw schemaError(`Type for attribute {${name}} could not be determined`);
    if (ctx.by !== 'admin' && !isClientWritable(pool, ctx.by, name)) throw unauthorizedWrite();
    if (name === 'sub' || entry.Mutable === false) throw immutable(name);
    if (entry.Required) throw schemaError(`${name}: The attribute is required`);
    if ((usernameAttributes(pool) as string[]).includes(name)) {
      throw new InvalidParameterException(`Cannot delete ${name}: it is the user's sign-in username.`);
    }
  }
}

/** Checks that every attribute the schema requires has a value (SignUp). */
export function checkRequiredAttributes(pool: UserPool, attributes: Record<string, string>): void {
  for (const [name, entry] of poolSchema(pool)) {
    if (entry.Required && name !== 'sub' && !attributes[name]) throw schemaError(`${name}: The attribute is required`);
  }
}

/** Whether a string has the shape of an e-mail address / an E.164 phone number. */
export const looksLikeEmail = (s: string): boolean => EMAIL.test(s);
export const looksLikePhone = (s: string): boolean => PHONE.test(s);

// The pool's attribute lists, typed as lists (the generated types mistype these unions).
const listOf = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
/** UsernameAttributes: e-mail and/or phone that replace the username at sign-up. */
export const usernameAttributes = (pool: UserPool): ('email' | 'phone_number')[] =>
  listOf(pool.settings.UsernameAttributes) as ('email' | 'phone_number')[];
/** AliasAttributes: e-mail, phone or preferred_username that sign in besides the username. */
export const aliasAttributes = (pool: UserPool): ('email' | 'phone_number' | 'preferred_username')[] =>
  listOf(pool.settings.AliasAttributes) as ('email' | 'phone_number' | 'preferred_username')[];
/** AutoVerifiedAttributes: where sign-up codes go. */
export const autoVerifiedAttributes = (pool: UserPool): ('email' | 'phone_number')[] =>
  listOf(pool.settings.AutoVerifiedAttributes) as ('email' | 'phone_number')[];
