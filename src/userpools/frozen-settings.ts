// Changing what Cognito freezes at pool creation (a Tessera addition, outside Cognito's API):
// custom attributes' constraints and mutability, deleting a custom attribute (its values leave
// every user), UsernameConfiguration.CaseSensitive, and UsernameAttributes / AliasAttributes.
//
// `preview` reads every user of the pool and says what the change would do: the usernames and
// aliases that would collide (two users with one sign-in name), values that would break an
// edited constraint, values that would be removed, and users left without a sign-in name other
// than their sub. `apply` does the same under the pool row's lock, refuses while anything
// collides or breaks a constraint, and otherwise rewrites the pool, the changed users (their
// canonical-username key, aliases, attributes) and the app clients' Read/WriteAttributes, all in
// one transaction.
//
// Passwords: a user's SRP verifier is bound to the pool's SRP name and the user's *username as
// stored* (what the server sends as USER_ID_FOR_SRP), never to its normalized key. The change
// never touches `username`, only `username_norm` (the lookup key), so every user signs in with the
// same password afterwards; an imported hash is not bound to a name at all.
//
// Concurrent sign-ups: users.ts takes a key-share lock on the pool row inside each user insert or
// re-indexing write and follows the settings it finds there. `apply` holds the row's update lock
// for its whole transaction, so a sign-up either commits before (and `apply` sees its user when
// it scans) or waits and is then checked against the new rules by the unique indexes. On SQLite
// the one connection runs transactions one at a time.
import { InvalidParameterException } from '../errors.js';
import type { SchemaAttributeType } from '../models/idp-types.js';
import { UniqueViolation } from '../store/connect.js';
import { FrozenRewriteRepo, type UserRewrite } from '../store/frozen.js';
import type { Store } from '../store/store.js';
import type { UserCursor } from '../store/users.js';
import { appendCustomAttributes, CUSTOM_PREFIX } from './custom-attributes.js';
import { aliasEntries, normalizeUsername, searchEntries } from './indexes.js';
import { poolNotFound, type PoolSettings, type UserPool, type UserPools } from './pools.js';
import { userFromRow, type User } from './user.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Clock } from '../clock.js';

/** What may change. A member left out stays as it is; an empty list clears the attributes. */
export interface FrozenChange {
  CaseSensitive?: boolean;
  UsernameAttributes?: string[];
  AliasAttributes?: string[];
  /** Edits of existing custom attributes: Mutable and the type's constraints (data type and DeveloperOnlyAttribute stay). */
  EditCustomAttributes?: SchemaAttributeType[];
  /** Custom attributes to delete, `custom:<name>` or `<name>`. */
  DeleteCustomAttributes?: string[];
}

export interface Collision {
  /** username, email, phone_number or preferred_username */
  kind: string;
  /** The normalized value the users would share. */
  value: string;
  usernames: string[];
}

export interface ConstraintBreak {
  attribute: string;
  username: string;
  value: string;
  rule: string;
}

export interface FrozenPreview {
  poolId: string;
  /** The members that differ from the pool's current settings, as they would become. */
  changes: Record<string, unknown>;
  usersScanned: number;
  /** Users whose stored row would be rewritten. */
  usersChanged: number;
  /** Attribute values removed with deleted custom attributes. */
  valuesRemoved: number;
  collisions: Collision[];
  constraintBreaks: ConstraintBreak[];
  /** Users whose only sign-in name would be their sub (no username of their own, no alias left). */
  subOnly: string[];
  /** Whether `apply` would go ahead. */
  applicable: boolean;
}

/** `apply` refused: the preview says why (collisions or constraint breaks). */
export class FrozenChangeConflict extends Error {
  constructor(readonly preview: FrozenPreview) {
    super(`The change cannot be applied: ${preview.collisions.length} collision(s), ${preview.constraintBreaks.length} constraint break(s).`);
    this.name = 'FrozenChangeConflict';
  }
}

const USERNAME_ATTRS = new Set(['email', 'phone_number']);
const ALIAS_ATTRS = new Set(['email', 'phone_number', 'preferred_username']);
const PAGE = 1000;
/** At most this many entries of each list in a preview (the counts stay exact). */
const SHOWN = 200;

interface Plan {
  settings: PoolSettings;
  pool: UserPool;
  deleted: Set<string>;
  edited: Map<string, SchemaAttributeType>;
  changes: Record<string, unknown>;
}

export class FrozenSettings {
  constructor(
    private readonly deps: { store: Store; pools: UserPools; sealer: Sealer; clock: Clock },
  ) {}

  /** What `change` would do to the pool, without changing anything. */
  async preview(poolId: string, given: unknown): Promise<FrozenPreview> {
    const change = checkFrozenChange(given);
    const row = await this.deps.store.pools.get(poolId);
    if (!row) throw poolNotFound(poolId);
    const pool = { ...(await this.deps.pools.get(poolId)), settings: JSON.parse(row.config) as PoolSettings };
    const plan = planChange(pool, change);
    return (await this.scan(this.deps.store, pool, plan, false)).preview;
  }

  /** Applies `change` in one transaction, or throws FrozenChangeConflict (nothing changed). */
  async apply(poolId: string, given: unknown): Promise<FrozenPreview> {
    const change = checkFrozenChange(given);
    const base = await this.deps.pools.get(poolId);
    const preview = await this.deps.store.transaction(async (tx) => {
      const row = await tx.pools.getForChange(poolId);
      if (!row) throw poolNotFound(poolId);
      const pool: UserPool = { ...base, settings: JSON.parse(row.config) as PoolSettings };
      const plan = planChange(pool, change);
      const { preview, writes } = await this.scan(tx, pool, plan, true);
      if (!preview.applicable) throw new FrozenChangeConflict(preview);
      try {
        await new FrozenRewriteRepo(tx.db).rewrite(poolId, writes);
      } catch (e) {
        // Not expected under the lock; if a unique index still refuses, nothing is applied.
        if (!(e instanceof UniqueViolation)) throw e;
        const kind = e.table === 'users' ? 'username' : 'alias';
        throw new FrozenChangeConflict({ ...preview, applicable: false, collisions: [{ kind, value: '(taken while the change ran)', usernames: [] }] });
      }
      if (plan.deleted.size) await this.dropFromClients(tx, poolId, plan.deleted);
      await tx.pools.update(poolId, { config: JSON.stringify(plan.settings), updated_at: this.deps.clock.now() });
      return preview;
    });
    this.deps.pools.invalidate(poolId);
    return preview;
  }

  /** Reads every user in pages, working out the new rows, collisions and breaks. */
  private async scan(store: Store, pool: UserPool, plan: Plan, keepWrites: boolean) {
    const owners = new Map<string, string[]>();
    const claim = (key: string, username: string) => {
      const list = owners.get(key);
      if (list) list.push(username);
      else owners.set(key, [username]);
    };
    const breaks: ConstraintBreak[] = [];
    let breakCount = 0;
    const subOnly: string[] = [];
    let scanned = 0;
    let changed = 0;
    let removed = 0;
    const writes: UserRewrite[] = [];
    let cursor: UserCursor | undefined;
    for (;;) {
      const page = await store.users.list(pool.id, undefined, PAGE, cursor);
      for (const r of page.rows) {
        scanned++;
        const user = userFromRow(r, this.deps.sealer);
        const attributes = { ...user.attributes };
        let attrsChanged = false;
        for (const name of Object.keys(attributes)) {
          const base = name.startsWith('dev:') ? name.slice(4) : name;
          if (plan.deleted.has(base)) {
            delete attributes[name];
            attrsChanged = true;
            removed++;
          }
        }
        for (const [name, attr] of plan.edited) {
          const value = attributes[name] ?? attributes[`dev:${name}`];
          const rule = value === undefined ? undefined : brokenRule(attr, value);
          if (rule) {
            breakCount++;
            if (breaks.length < SHOWN) breaks.push({ attribute: name, username: user.username, value, rule });
          }
        }
        const next: User = { ...user, attributes, usernameNorm: normalizeUsername(plan.pool, user.username) };
        claim(`username\u0000${next.usernameNorm}`, user.username);
        const before = aliasEntries(pool, user);
        const after = aliasEntries(plan.pool, next);
        for (const a of after) claim(`${a.kind}\u0000${a.valueNorm}`, user.username);
        if (user.username === user.id && after.length === 0 && before.length > 0 && subOnly.length < SHOWN) subOnly.push(user.username);
        const aliasesChanged = JSON.stringify(before) !== JSON.stringify(after);
        const normChanged = next.usernameNorm !== user.usernameNorm;
        if (attrsChanged || aliasesChanged || normChanged) {
          changed++;
          // Only what changed is written (store/frozen.ts: a few statements per 500 users).
          if (keepWrites) {
            writes.push({
              id: user.id,
              ...(normChanged ? { usernameNorm: next.usernameNorm } : {}),
              ...(attrsChanged ? { attributes: { json: JSON.stringify(attributes), updatedAt: this.deps.clock.now() }, search: searchEntries(next) } : {}),
              ...(aliasesChanged ? { aliases: after } : {}),
            });
          }
        }
      }
      if (page.rows.length < PAGE) break;
      cursor = page.keys[page.keys.length - 1];
    }
    const collisions: Collision[] = [];
    let collisionCount = 0;
    for (const [key, usernames] of owners) {
      if (usernames.length < 2) continue;
      collisionCount++;
      const [kind, value] = key.split('\u0000') as [string, string];
      if (collisions.length < SHOWN) collisions.push({ kind, value, usernames });
    }
    const preview: FrozenPreview = {
      poolId: pool.id,
      changes: plan.changes,
      usersScanned: scanned,
      usersChanged: changed,
      valuesRemoved: removed,
      collisions,
      constraintBreaks: breaks,
      subOnly,
      applicable: collisionCount === 0 && breakCount === 0,
    };
    return { preview, writes };
  }

  /** Deleted attributes leave the app clients' ReadAttributes and WriteAttributes. */
  private async dropFromClients(tx: Store, poolId: string, deleted: Set<string>): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const rows = await tx.clients.list(poolId, 100, after);
      for (const c of rows) {
        const config = JSON.parse(c.config) as { ReadAttributes?: string[]; WriteAttributes?: string[] };
        const keep = (list?: string[]) => list?.filter((n) => !deleted.has(n.startsWith('dev:') ? n.slice(4) : n));
        const read = keep(config.ReadAttributes);
        const write = keep(config.WriteAttributes);
        if (read?.length === config.ReadAttributes?.length && write?.length === config.WriteAttributes?.length) continue;
        await tx.clients.update(c.id, { config: JSON.stringify({ ...config, ReadAttributes: read, WriteAttributes: write }), updated_at: this.deps.clock.now() });
        this.deps.pools.invalidate(poolId, c.id);
      }
      if (rows.length < 100) break;
      after = rows[rows.length - 1]!.id;
    }
  }
}

const CHANGE_MEMBERS = ['CaseSensitive', 'UsernameAttributes', 'AliasAttributes', 'EditCustomAttributes', 'DeleteCustomAttributes'];
const EDIT_MEMBERS = ['Name', 'AttributeDataType', 'DeveloperOnlyAttribute', 'Mutable', 'Required', 'StringAttributeConstraints', 'NumberAttributeConstraints'];
const CONSTRAINT_MEMBERS = { StringAttributeConstraints: ['MinLength', 'MaxLength'], NumberAttributeConstraints: ['MinValue', 'MaxValue'] } as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Refuses an object with a member outside `known` (a misspelt member would otherwise be a silent no-op). */
function onlyMembers(where: string, v: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(v).find((k) => !known.includes(k));
  if (unknown !== undefined) throw new InvalidParameterException(`${where} has an unknown member ${JSON.stringify(unknown).slice(0, 80)}; it may have ${known.join(', ')}.`);
}

function stringList(member: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new InvalidParameterException(`${member} must be a list of strings.`);
  return v as string[];
}

/**
 * The change as the admin endpoint and the console send it (parsed JSON of any shape), checked
 * member by member: an object of the members FrozenChange names and no others, each of its type
 * (null is not a value of any member). What the pool makes of the values is planChange's.
 */
export function checkFrozenChange(v: unknown): FrozenChange {
  if (!isObject(v)) throw new InvalidParameterException('The change must be a JSON object.');
  onlyMembers('The change', v, CHANGE_MEMBERS);
  const out: FrozenChange = {};
  if (v.CaseSensitive !== undefined) {
    if (typeof v.CaseSensitive !== 'boolean') throw new InvalidParameterException('CaseSensitive must be true or false.');
    out.CaseSensitive = v.CaseSensitive;
  }
  if (v.UsernameAttributes !== undefined) out.UsernameAttributes = stringList('UsernameAttributes', v.UsernameAttributes);
  if (v.AliasAttributes !== undefined) out.AliasAttributes = stringList('AliasAttributes', v.AliasAttributes);
  if (v.DeleteCustomAttributes !== undefined) out.DeleteCustomAttributes = stringList('DeleteCustomAttributes', v.DeleteCustomAttributes);
  if (v.EditCustomAttributes !== undefined) {
    if (!Array.isArray(v.EditCustomAttributes)) throw new InvalidParameterException('EditCustomAttributes must be a list of attributes.');
    out.EditCustomAttributes = v.EditCustomAttributes.map((edit, i) => {
      const where = `EditCustomAttributes[${i}]`;
      if (!isObject(edit)) throw new InvalidParameterException(`${where} must be an object.`);
      onlyMembers(where, edit, EDIT_MEMBERS);
      if (typeof edit.Name !== 'string') throw new InvalidParameterException(`${where}.Name must be a string.`);
      if (edit.AttributeDataType !== undefined && typeof edit.AttributeDataType !== 'string') throw new InvalidParameterException(`${where}.AttributeDataType must be a string.`);
      for (const flag of ['DeveloperOnlyAttribute', 'Mutable', 'Required'] as const) {
        if (edit[flag] !== undefined && typeof edit[flag] !== 'boolean') throw new InvalidParameterException(`${where}.${flag} must be true or false.`);
      }
      for (const [member, bounds] of Object.entries(CONSTRAINT_MEMBERS)) {
        const c = edit[member];
        if (c === undefined) continue;
        if (!isObject(c)) throw new InvalidParameterException(`${where}.${member} must be an object.`);
        onlyMembers(`${where}.${member}`, c, bounds);
        for (const b of bounds) {
          if (c[b] !== undefined && typeof c[b] !== 'string') throw new InvalidParameterException(`${where}.${member}.${b} must be a string.`);
        }
      }
      return edit as SchemaAttributeType;
    });
  }
  return out;
}

/** Checks the request against the pool and works out the new settings. */
export function planChange(pool: UserPool, change: FrozenChange): Plan {
  const current = pool.settings;
  const settings: PoolSettings = { ...current };
  const changes: Record<string, unknown> = {};
  if (change.CaseSensitive !== undefined) {
    if (typeof change.CaseSensitive !== 'boolean') throw new InvalidParameterException('CaseSensitive must be true or false.');
    if ((current.UsernameConfiguration?.CaseSensitive ?? false) !== change.CaseSensitive) {
      settings.UsernameConfiguration = { ...current.UsernameConfiguration, CaseSensitive: change.CaseSensitive };
      changes.UsernameConfiguration = settings.UsernameConfiguration;
    }
  }
  const list = (member: 'UsernameAttributes' | 'AliasAttributes', allowed: Set<string>) => {
    const given = change[member];
    if (given === undefined) return;
    if (!Array.isArray(given) || given.some((v) => typeof v !== 'string' || !allowed.has(v)) || new Set(given).size !== given.length) {
      throw new InvalidParameterException(`${member} may list ${[...allowed].join(', ')}, each once.`);
    }
    const next = given.length ? [...given].sort() : undefined;
    const now = current[member]?.length ? [...current[member]!].sort() : undefined;
    if (JSON.stringify(next) === JSON.stringify(now)) return;
    (settings as Record<string, unknown>)[member] = next;
    changes[member] = next ?? [];
  };
  list('UsernameAttributes', USERNAME_ATTRS);
  list('AliasAttributes', ALIAS_ATTRS);
  if (settings.UsernameAttributes?.length && settings.AliasAttributes?.length) {
    throw new InvalidParameterException('Only one of AliasAttributes or UsernameAttributes can be set in a user pool.');
  }

  let schema = [...(current.SchemaAttributes ?? [])];
  const customNamed = (raw: string) => {
    const name = raw.startsWith(CUSTOM_PREFIX) ? raw : `${CUSTOM_PREFIX}${raw}`;
    const i = schema.findIndex((a) => a.Name === name);
    if (i < 0) throw new InvalidParameterException(`The user pool has no custom attribute ${name}.`);
    return { name, i };
  };
  const edited = new Map<string, SchemaAttributeType>();
  for (const edit of change.EditCustomAttributes ?? []) {
    const { name, i } = customNamed(String(edit?.Name ?? ''));
    const existing = schema[i]!;
    if (edit.AttributeDataType !== undefined && edit.AttributeDataType !== existing.AttributeDataType) {
      throw new InvalidParameterException(`The data type of ${name} is ${existing.AttributeDataType} and cannot be changed.`);
    }
    if (edit.Required) throw new InvalidParameterException('Required custom attributes are not supported currently.');
    // Developer-only values are stored under another name (dev:custom:<name>): the flag stays.
    if (edit.DeveloperOnlyAttribute !== undefined && edit.DeveloperOnlyAttribute !== (existing.DeveloperOnlyAttribute ?? false)) {
      throw new InvalidParameterException(`DeveloperOnlyAttribute of ${name} cannot be changed.`);
    }
    const merged: SchemaAttributeType = {
      ...existing,
      ...(edit.Mutable !== undefined ? { Mutable: edit.Mutable } : {}),
      ...(edit.StringAttributeConstraints ? { StringAttributeConstraints: edit.StringAttributeConstraints } : {}),
      ...(edit.NumberAttributeConstraints ? { NumberAttributeConstraints: edit.NumberAttributeConstraints } : {}),
      Name: name.slice(CUSTOM_PREFIX.length),
    };
    // The checks AddCustomAttributes makes (name, type, constraints' sense), on the merged entry.
    const checked = appendCustomAttributes([], [merged])[0]!;
    schema[i] = checked;
    edited.set(name, checked);
  }
  const deleted = new Set<string>();
  for (const raw of change.DeleteCustomAttributes ?? []) {
    const { name } = customNamed(String(raw));
    deleted.add(name);
    edited.delete(name);
    schema = schema.filter((a) => a.Name !== name);
  }
  if (edited.size || deleted.size) {
    settings.SchemaAttributes = schema;
    changes.SchemaAttributes = {
      edited: [...edited.values()],
      deleted: [...deleted],
    };
  }
  return { settings, pool: { ...pool, settings }, deleted, edited, changes };
}

/** The rule of `attr` that `value` breaks, in words, or undefined. */
function brokenRule(attr: SchemaAttributeType, value: string): string | undefined {
  if (attr.AttributeDataType === 'String' && attr.StringAttributeConstraints) {
    const { MinLength, MaxLength } = attr.StringAttributeConstraints;
    const n = [...value].length;
    if (MinLength !== undefined && n < Number(MinLength)) return `shorter than ${MinLength}`;
    if (MaxLength !== undefined && n > Number(MaxLength)) return `longer than ${MaxLength}`;
  }
  if (attr.AttributeDataType === 'Number' && attr.NumberAttributeConstraints) {
    const { MinValue, MaxValue } = attr.NumberAttributeConstraints;
    const x = Number(value);
    if (MinValue !== undefined && x < Number(MinValue)) return `less than ${MinValue}`;
    if (MaxValue !== undefined && x > Number(MaxValue)) return `more than ${MaxValue}`;
  }
  return undefined;
}

/**
 * The members of a pool's settings that decide user lookups and stored attributes: when they
 * differ between the pool a write began with and the row it locked, the write follows the row.
 */
export function sameUserRules(a: PoolSettings, b: PoolSettings): boolean {
  const key = (s: PoolSettings) => JSON.stringify([s.UsernameConfiguration?.CaseSensitive ?? false, s.UsernameAttributes ?? [], s.AliasAttributes ?? [], s.SchemaAttributes ?? []]);
  return key(a) === key(b);
}
