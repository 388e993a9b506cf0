// Links between external identities and users of the pool.
//
// AdminLinkProviderForUser: DestinationUser is a native user (ProviderName `Cognito`, the value
// its username); SourceUser is ProviderName + ProviderAttributeName `Cognito_Subject` + the
// provider's user id. Refused (InvalidParameterException): an unknown provider, another
// attribute name than Cognito_Subject, a federated destination, a source that already has its
// own federated user (Cognito does not merge) or is linked to another user. Linking the same
// pair twice is a no-op. Tessera sets no cap on identities per user (Cognito's is five).
// The destination's `identities` attribute lists each link (primary "false").
//
// AdminDisableProviderForUser: a linked identity is unlinked (and leaves `identities`); an
// unlinked federated user `<ProviderName>_<id>` is disabled. Nothing found: UserNotFoundException.
//
// Auto-link (Tessera only, ProviderDetails `tessera_auto_link_verified_email: "true"`): a first
// federated sign-in whose ID token says email_verified true links to the one native user with
// that e-mail verified; never on an unverified e-mail on either side.
import type { App } from '../app.js';
import { InvalidParameterException, UserNotFoundException } from '../errors.js';
import type { ProviderUserIdentifierType } from '../models/idp-types.js';
import { UniqueViolation } from '../store/connect.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { USER_NOT_FOUND } from '../userpools/users.js';
import { identitiesOf, identityOf } from './federated-user.js';
import { federationOf } from './index.js';
import { AUTO_LINK_KEY } from './presets.js';
import type { IdentityProvider } from './providers.js';
import { MAX_INDEXED_BYTES, fitsIndex } from '../store/indexed.js';
import { searchKey } from '../userpools/indexes.js';

const SUBJECT = 'Cognito_Subject';

export async function linkProviderForUser(app: App, poolId: string, destination: ProviderUserIdentifierType, source: ProviderUserIdentifierType): Promise<void> {
  const pool = await app.pools.get(poolId);
  if (destination.ProviderName !== undefined && destination.ProviderName.toLowerCase() !== 'cognito') {
    throw new InvalidParameterException('DestinationUser must be a user of the pool (ProviderName Cognito).');
  }
  const user = await app.users.find(pool, destination.ProviderAttributeValue ?? '');
  if (!user) throw new UserNotFoundException(USER_NOT_FOUND);
  if (user.status === 'EXTERNAL_PROVIDER') throw new InvalidParameterException('DestinationUser cannot be a federated user.');
  const { provider, userId } = await sourceOf(app, pool, source);
  const own = await app.users.find(pool, `${provider.name}_${userId}`);
  if (own && own.username === `${provider.name}_${userId}`) {
    throw new InvalidParameterException('Merging is not currently supported, provide a SourceUser that has not been already linked to a user of the pool.');
  }
  await link(app, pool, provider, userId, user);
}

export async function disableProviderForUser(app: App, poolId: string, who: ProviderUserIdentifierType): Promise<void> {
  const pool = await app.pools.get(poolId);
  const { provider, userId } = await sourceOf(app, pool, who);
  const found = await app.store.federation.findLink(pool.id, provider.name, userId);
  if (found) {
    await app.store.transaction(async (tx) => {
      // Pool, then user, then the link (the order of every user write): concurrent unlinks and
      // links of one user queue here, and each reads `identities` as the one before left it. The
      // link is read again in here: unlinked and linked to someone else meanwhile, it is theirs.
      await tx.pools.getForUserWrite(pool.id);
      const current = await tx.federation.findLink(pool.id, provider.name, userId);
      if (!current) return;
      const user = await app.users.findBySub(pool, current.user_id, tx, { forUpdate: true });
      await tx.federation.deleteLink(pool.id, provider.name, userId);
      if (!user) return;
      const rest = identitiesOf(user).filter((i) => !(i.providerName === provider.name && i.userId === userId));
      const attributes = { ...user.attributes };
      if (rest.length) attributes.identities = JSON.stringify(rest);
      else delete attributes.identities;
      await app.users.save(pool, { ...user, attributes, updatedAt: app.clock.now() }, { store: tx });
    });
    return;
  }
  const own = await app.users.find(pool, `${provider.name}_${userId}`);
  if (!own || own.username !== `${provider.name}_${userId}`) throw new UserNotFoundException(USER_NOT_FOUND);
  await app.users.setEnabled(pool, own, false);
}

/**
 * The native user a first federated sign-in links to under the auto-link option: the one user
 * whose verified e-mail equals the provider's verified e-mail; undefined otherwise.
 */
export async function autoLinkTarget(app: App, pool: UserPool, p: IdentityProvider, claims: Record<string, unknown>): Promise<User | undefined> {
  if (p.details[AUTO_LINK_KEY] !== 'true') return undefined;
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
  if (!email || (claims.email_verified !== true && claims.email_verified !== 'true')) return undefined;
  // The index holds e-mails cut to a length (indexes.ts); the loop compares the whole ones.
  const { rows } = await app.store.users.list(pool.id, { on: 'search', attr: 'email', op: '=', value: searchKey(email) }, 10);
  const matches: User[] = [];
  for (const row of rows) {
    const u = await app.users.findBySub(pool, row.id);
    if (u && u.status !== 'EXTERNAL_PROVIDER' && u.attributes.email_verified === 'true' && u.attributes.email?.toLowerCase() === email) matches.push(u);
  }
  return matches.length === 1 ? matches[0] : undefined;
}

/** Records the link and adds the identity to the user's `identities`, in one transaction. */
export async function link(app: App, pool: UserPool, provider: IdentityProvider, userId: string, user: User): Promise<void> {
  const existing = await app.store.federation.findLink(pool.id, provider.name, userId);
  if (existing?.user_id === user.id) return;
  if (existing) throw new InvalidParameterException('The SourceUser is already linked to another user of the pool.');
  const now = app.clock.now();
  try {
    await app.store.transaction(async (tx) => {
      // Pool, then user (locked), then the link row, as disableProviderForUser.
      await tx.pools.getForUserWrite(pool.id);
      const fresh = await app.users.findBySub(pool, user.id, tx, { forUpdate: true });
      if (!fresh) throw new UserNotFoundException(USER_NOT_FOUND);
      await tx.federation.insertLink({ pool_id: pool.id, provider_name: provider.name, provider_user_id: userId, user_id: user.id, created_at: now });
      const identities = [...identitiesOf(fresh), identityOf(provider, userId, false, now)];
      await app.users.save(pool, { ...fresh, attributes: { ...fresh.attributes, identities: JSON.stringify(identities) }, updatedAt: now }, { store: tx });
    });
  } catch (e) {
    if (e instanceof UniqueViolation) throw new InvalidParameterException('The SourceUser is already linked to another user of the pool.');
    throw e;
  }
}

async function sourceOf(app: App, pool: UserPool, source: ProviderUserIdentifierType): Promise<{ provider: IdentityProvider; userId: string }> {
  const provider = source.ProviderName ? await federationOf(app).providers.find(pool.id, source.ProviderName) : undefined;
  if (!provider) throw new InvalidParameterException(`The provider ${source.ProviderName ?? ''} does not exist for User Pool ${pool.id}`);
  if (source.ProviderAttributeName !== undefined && source.ProviderAttributeName !== SUBJECT) {
    throw new InvalidParameterException(`Only ${SUBJECT} is supported as ProviderAttributeName.`);
  }
  if (!source.ProviderAttributeValue) throw new InvalidParameterException('ProviderAttributeValue is required.');
  if (!fitsIndex(source.ProviderAttributeValue)) {
    throw new InvalidParameterException(`ProviderAttributeValue must be no longer than ${MAX_INDEXED_BYTES} bytes in UTF-8.`);
  }
  return { provider, userId: source.ProviderAttributeValue };
}
