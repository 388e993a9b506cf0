// Rows of federation (see migrations/012-federation.ts): identity providers, their identifiers,
// and links from external identities to users. One indexed query each.
import { rethrowUnique } from './connect.js';
import type { FederatedLinkRow, IdentityProviderIdentifierRow, IdentityProviderRow } from './schema.js';
import type { Db, Store } from './store.js';

const num = <T extends { created_at: number }>(r: T): T => ({ ...r, created_at: Number(r.created_at), ...('updated_at' in r ? { updated_at: Number(r.updated_at) } : {}) });

export class FederationRepo {
  constructor(private readonly db: Db) {}

  /** Throws UniqueViolation when the pool already has a provider of that name. */
  async insertProvider(row: IdentityProviderRow): Promise<void> {
    try {
      await this.db.insertInto('identity_providers').values(row).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  async getProvider(poolId: string, name: string): Promise<IdentityProviderRow | undefined> {
    const r = await this.db.selectFrom('identity_providers').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return r && num(r);
  }

  async updateProvider(poolId: string, name: string, patch: Pick<IdentityProviderRow, 'details' | 'attribute_mapping' | 'updated_at'>): Promise<boolean> {
    const r = await this.db.updateTable('identity_providers').set(patch).where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteProvider(poolId: string, name: string): Promise<boolean> {
    await this.db.deleteFrom('identity_provider_identifiers').where('pool_id', '=', poolId).where('provider_name', '=', name).execute();
    const r = await this.db.deleteFrom('identity_providers').where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Providers in name order, after `after`, at most `limit`. */
  async listProviders(poolId: string, limit: number, after?: string): Promise<IdentityProviderRow[]> {
    let q = this.db.selectFrom('identity_providers').selectAll().where('pool_id', '=', poolId);
    if (after !== undefined) q = q.where('name', '>', after);
    const rows = await q.orderBy('name').limit(limit).execute();
    return rows.map(num);
  }

  /** Replaces the identifiers of a provider; throws UniqueViolation when another provider holds one. */
  async setIdentifiers(poolId: string, name: string, identifiers: string[]): Promise<void> {
    await this.db.deleteFrom('identity_provider_identifiers').where('pool_id', '=', poolId).where('provider_name', '=', name).execute();
    if (!identifiers.length) return;
    const rows: IdentityProviderIdentifierRow[] = identifiers.map((identifier) => ({ pool_id: poolId, identifier, provider_name: name }));
    try {
      await this.db.insertInto('identity_provider_identifiers').values(rows).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  async identifiersOf(poolId: string, name: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('identity_provider_identifiers')
      .select('identifier')
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', name)
      .orderBy('identifier')
      .execute();
    return rows.map((r) => r.identifier);
  }

  async providerOfIdentifier(poolId: string, identifier: string): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('identity_provider_identifiers')
      .select('provider_name')
      .where('pool_id', '=', poolId)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
    return r?.provider_name;
  }

  // ---- links ---------------------------------------------------------------------------

  /** Throws UniqueViolation when the external identity is already linked. */
  async insertLink(row: FederatedLinkRow): Promise<void> {
    try {
      await this.db.insertInto('federated_links').values(row).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  async findLink(poolId: string, providerName: string, providerUserId: string): Promise<FederatedLinkRow | undefined> {
    const r = await this.db
      .selectFrom('federated_links')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', providerName)
      .where('provider_user_id', '=', providerUserId)
      .executeTakeFirst();
    return r && num(r);
  }

  async linksOfUser(userId: string): Promise<FederatedLinkRow[]> {
    const rows = await this.db.selectFrom('federated_links').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map(num);
  }

  async deleteLink(poolId: string, providerName: string, providerUserId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('federated_links')
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', providerName)
      .where('provider_user_id', '=', providerUserId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

/** Whether the pool has an identity provider of that name (client SupportedIdentityProviders). */
export async function identityProviderExists(store: Store, poolId: string, name: string): Promise<boolean> {
  return !!(await store.federation.getProvider(poolId, name));
}
