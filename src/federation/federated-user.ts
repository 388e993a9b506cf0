// Who a verified external identity is in the pool (tokens.md §2 "Federated users"):
//   1. an identity linked to a user (AdminLinkProviderForUser) signs in as that user
//   2. else the user `<ProviderName>_<id>` (status EXTERNAL_PROVIDER), its mapped attributes
//      refreshed, if its identities name this provider and id; a user who merely has that name
//      (a native user who signed up as `Google_123`) is refused, never signed in as
//   3. else, with the provider's auto-link option, the native user with the same verified
//      e-mail, linked now (links.ts)
//   4. else a new `<ProviderName>_<id>` (PreSignUp_ExternalProvider first)
// Either way the user carries the `identities` attribute (a JSON array as a string) and the
// federated user is in the group `<poolId>_<ProviderName>`.
// AttributeMapping is pool attribute <- provider claim; `username` names the claim holding the
// provider's user id (`sub` unless mapped otherwise).
import type { App } from '../app.js';
import { CognitoException } from '../cognito-exception.js';
import { GroupExistsException, InvalidLambdaResponseException, UsernameExistsException } from '../errors.js';
import type { IdpAnswer } from '../triggers/inbound-federation.js';
import type { PreSignUpInput } from '../triggers/pre-sign-up.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { autoLinkTarget, link } from './links.js';
import { FederationError } from './oidc-client.js';
import { codePoints, isStorable } from '../models/validate.js';
import { fitsIndex, fitsIndexAsAlias } from '../store/indexed.js';
import { normalizeUsername } from '../userpools/indexes.js';
import { checkAttributeWrites, poolSchema, usernameAttributes } from '../userpools/attributes.js';
import type { IdentityProvider } from './providers.js';

/** The longest attribute value (AttributeValueType). */
const MAX_ATTRIBUTE_CHARS = 2048;

export interface Identity {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: string;
  dateCreated: string;
}

/** The provider's user id in `claims` (the claim mapped to `username`, else `sub`). */
export function providerUserId(p: IdentityProvider, claims: Record<string, unknown>): string {
  const v = claims[p.attributeMapping.username ?? 'sub'];
  if (v === undefined || v === null || v === '') throw new FederationError(`${p.name} Error - the identity has no user id`);
  const id = String(v);
  // It becomes part of a username and a unique link (store/indexed.ts).
  if (!isStorable(id) || !fitsIndex(id)) throw new FederationError(`${p.name} Error - the user id is not one Tessera can keep (too long, or with a NUL character)`);
  return id;
}

/** Attributes a federated sign-in never writes: the identity's own. */
const NOT_MAPPED = new Set(['username', 'sub', 'identities']);

/**
 * The value a federated sign-in stores for `attribute`, or undefined to leave it out. The verified
 * flags hold 'true' or 'false' (a provider may send a boolean, or "True"); a value that is neither
 * is left out rather than stored as a flag no check understands. What an attribute write through
 * the API could not store is not stored from a provider either.
 */
function storedValue(p: IdentityProvider, attribute: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  let value = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (attribute === 'email_verified' || attribute === 'phone_number_verified') {
    const flag = value.toLowerCase();
    if (flag !== 'true' && flag !== 'false') return undefined;
    value = flag;
  }
  if (!isStorable(value) || codePoints(value) > MAX_ATTRIBUTE_CHARS || ((attribute === 'email' || attribute === 'preferred_username') && !fitsIndexAsAlias(value))) {
    throw new FederationError(`${p.name} Error - the value of ${attribute} is not one Tessera can keep (too long, or with a NUL character)`);
  }
  return value;
}

/** Pool attributes from the provider's claims, per AttributeMapping. */
export function mapAttributes(p: IdentityProvider, claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [attribute, claim] of Object.entries(p.attributeMapping)) {
    if (NOT_MAPPED.has(attribute)) continue;
    const value = storedValue(p, attribute, claims[claim]);
    if (value !== undefined) out[attribute] = value;
  }
  return out;
}

/**
 * The attributes an InboundFederation function decided, held to what an administrator's write
 * may store (the pool's attributes, each value of its type, format and length; "" leaves one
 * out): anything else is the function's error, InvalidLambdaResponseException. `creating`: the
 * user is new; otherwise immutable attributes are left as they are (not written, not checked).
 */
function decidedAttributes(pool: UserPool, decided: Record<string, string>, creating: boolean): Record<string, string> {
  const schema = poolSchema(pool);
  const wrong = (why: string) => new InvalidLambdaResponseException(`Invalid lambda function output : ${why}`);
  const writes = Object.entries(decided)
    .filter(([name, value]) => !NOT_MAPPED.has(name) && value !== '' && (creating || schema.get(name)?.Mutable !== false))
    .map(([Name, Value]) => ({ Name, Value }));
  for (const { Name, Value } of writes) {
    if (!schema.has(Name)) throw wrong(`${Name} is not an attribute of the user pool`);
    if (!isStorable(Value) || codePoints(Value) > MAX_ATTRIBUTE_CHARS || ((Name === 'email' || Name === 'preferred_username') && !fitsIndexAsAlias(Value))) {
      throw wrong(`the value of ${Name} is too long or holds a NUL character`);
    }
  }
  try {
    return checkAttributeWrites(pool, writes, { by: 'admin', creating }).set;
  } catch (e) {
    throw e instanceof CognitoException ? wrong(e.message) : e;
  }
}

/** `issuer`: what the sign-in saw (a SAML IdP's entity id); else what the details say. */
export function identityOf(p: IdentityProvider, userId: string, primary: boolean, at: number, seenIssuer?: string): Identity {
  const issuer = seenIssuer ?? (p.type === 'OIDC' ? p.details.oidc_issuer : p.type === 'SAML' ? (p.details.MetadataURL ?? null) : null);
  return { userId, providerName: p.name, providerType: p.type, issuer: issuer ?? null, primary: String(primary), dateCreated: String(at) };
}

export function identitiesOf(user: User): Identity[] {
  try {
    const v = JSON.parse(user.attributes.identities ?? '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** Who signs in: the user, and whether this sign-in made it (the identity's first). */
export interface FederatedUser {
  user: User;
  created: boolean;
}

/** What a sign-in knows beyond the claims. */
export interface IdentityOptions {
  /** What the sign-in saw as the issuer (a SAML IdP's entity id). */
  issuer?: string;
  /** Runs for a user who exists already (PreAuthentication), before this sign-in writes to it. */
  signingIn?: (existing: User) => Promise<void>;
  /** The provider's answer, for the InboundFederation trigger. */
  answer?: IdpAnswer;
}

/**
 * The user this verified identity signs in as (created or refreshed as the file comment says).
 * The pool's InboundFederation function, when it has one, sees the provider's answer first and
 * may decide the attributes instead of the AttributeMapping. `signingIn` runs for a user who
 * exists already before anything of this sign-in is written to it: a refusal leaves its
 * attributes and links as they were.
 */
export async function userForIdentity(app: App, pool: UserPool, p: IdentityProvider, claims: Record<string, unknown>, clientId: string, opts: IdentityOptions = {}): Promise<FederatedUser> {
  const { issuer, signingIn = async () => {} } = opts;
  const userId = providerUserId(p, claims);
  const username = `${p.name}_${userId}`;
  const linked = await app.store.federation.findLink(pool.id, p.name, userId);
  const linkedUser = linked ? await app.users.findBySub(pool, linked.user_id) : undefined;
  if (!linkedUser && !fitsIndex(normalizeUsername(pool, username))) {
    throw new FederationError(`${p.name} Error - the user id is not one Tessera can keep (too long, or with a NUL character)`);
  }
  const found = linkedUser ? undefined : await app.users.find(pool, username);
  const existing = found && found.username === username ? found : undefined;
  const target = linkedUser || existing ? undefined : await autoLinkTarget(app, pool, p, claims);
  // The function sees the sign-in of the user it will be: linked, auto-linked, returning or new.
  const decided = await app.triggers.inboundFederation({
    pool,
    clientId,
    userName: (linkedUser ?? existing ?? target)?.username ?? username,
    providerName: p.name,
    providerType: p.type,
    answer: opts.answer ?? {},
  });
  if (linkedUser) {
    // A linked (native) user keeps its own attributes: neither the mapping nor the function writes them.
    await signingIn(linkedUser);
    return { user: linkedUser, created: false };
  }
  const replace = decided !== undefined;
  // What this sign-in writes: only a federated user's own attributes are written (below), so the
  // mapping and the function's answer are read only then.
  const attributesFor = (creating: boolean) => (decided ? decidedAttributes(pool, decided, creating) : mapAttributes(p, claims));
  const now = app.clock.now();
  if (existing) {
    // Only this identity's own user signs in (refreshed refuses another who has the name).
    await signingIn(existing);
    return { user: await refreshed(app, pool, p, userId, existing, attributesFor(false), now, replace), created: false };
  }
  if (target) {
    // Auto-linked: the native user keeps its attributes, as a linked user does.
    await signingIn(target);
    await link(app, pool, p, userId, target);
    return { user: (await app.users.findBySub(pool, target.id)) ?? target, created: false };
  }
  const attributes = attributesFor(true);
  const user = app.users.build(pool, {
    username,
    attributes: { ...attributes, identities: JSON.stringify([identityOf(p, userId, true, now, issuer)]) },
    status: 'EXTERNAL_PROVIDER',
  });
  // The triggers module names only SignUp and AdminCreateUser; the event it builds is
  // `PreSignUp_<source>`, which is what a function expects on a first federated sign-in.
  await app.triggers.preSignUp({ pool, source: 'ExternalProvider' as PreSignUpInput['source'], user, clientId });
  try {
    await app.users.insert(pool, user);
  } catch (e) {
    // A first sign-in of the same upstream user in another tab or process made it meanwhile.
    const raced = e instanceof UsernameExistsException ? await app.users.find(pool, username) : undefined;
    if (!raced) throw e;
    await signingIn(raced);
    return { user: await refreshed(app, pool, p, userId, raced, attributes, now, replace), created: false };
  }
  await joinProviderGroup(app, pool, p, user);
  return { user, created: true };
}

/**
 * The pool's user named `<provider>_<id>` signing in again: only the federated user of that very
 * identity. A user who merely has that name (a native user who signed up as `Google_123…`, an
 * administrator's user) is refused: taking it would hand the upstream user someone else's account,
 * or the other way round.
 */
async function refreshed(app: App, pool: UserPool, p: IdentityProvider, userId: string, existing: User, attributes: Record<string, string>, now: number, replace: boolean): Promise<User> {
  const own = existing.status === 'EXTERNAL_PROVIDER' && identitiesOf(existing).some((i) => i.providerName === p.name && i.userId === userId);
  if (!own) throw new FederationError(`${p.name} Error - the user name ${existing.username} is taken by a user who is not this ${p.name} user`);
  // An immutable attribute keeps what it was given when the user was made: later sign-ins write
  // only mutable ones, as any write after creation may.
  const schema = poolSchema(pool);
  const next = { ...existing.attributes };
  for (const [k, v] of Object.entries(attributes)) {
    if (next[k] === v || schema.get(k)?.Mutable === false) continue;
    next[k] = v;
    // A new address is not verified because the old one was: its flag goes unless this sign-in set it.
    const flag = VERIFIED_FLAG_OF[k];
    if (flag && attributes[flag] === undefined) delete next[flag];
  }
  // The function's answer is the whole set (AWS: what it leaves out is dropped), as far as a write
  // may drop: not the identities, an immutable or required attribute, or the sign-in username.
  if (replace) {
    const keep = new Set<string>(['identities', ...usernameAttributes(pool)]);
    for (const k of Object.keys(existing.attributes)) {
      const entry = schema.get(k);
      if (k in attributes || keep.has(k) || !entry || entry.Mutable === false || entry.Required) continue;
      delete next[k];
    }
  }
  const changed = Object.keys({ ...next, ...existing.attributes }).some((k) => next[k] !== existing.attributes[k]);
  if (changed) await app.users.save(pool, { ...existing, attributes: next, updatedAt: now }, { reindex: true });
  await joinProviderGroup(app, pool, p, existing);
  return (await app.users.findBySub(pool, existing.id)) ?? existing;
}

/** The verification flag of a contact attribute. */
const VERIFIED_FLAG_OF: Record<string, string> = { email: 'email_verified', phone_number: 'phone_number_verified' };

/** Puts the user in `<poolId>_<ProviderName>`, creating the group on first use. */
async function joinProviderGroup(app: App, pool: UserPool, p: IdentityProvider, user: User): Promise<void> {
  const name = `${pool.id}_${p.name}`;
  try {
    await app.groups.create(pool.id, name, { description: `Autogenerated group for users who sign in using ${p.name}` });
  } catch (e) {
    if (!(e instanceof GroupExistsException)) throw e;
  }
  await app.groups.addUser(pool.id, name, user.id);
}
