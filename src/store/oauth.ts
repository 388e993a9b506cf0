// Rows of the hosted UI and OAuth (see migrations/007-oauth.ts): domains, resource servers, UI
// customizations, managed-login brandings, ended hosted-UI sessions. One indexed query each.
import { rethrowUnique } from './connect.js';
import type { HostedSessionEndedRow, ManagedLoginBrandingRow, ResourceServerRow, UiCustomizationRow, UserPoolDomainRow } from './schema.js';
import type { Db } from './store.js';

const num = <T extends { created_at: number; updated_at: number }>(r: T): T => ({
  ...r,
  created_at: Number(r.created_at),
  updated_at: Number(r.updated_at),
});

export class OAuthRepo {
  constructor(private readonly db: Db) {}

  // ---- domains ------------------------------------------------------------------------

  /** Throws UniqueViolation when the name is taken or the pool has a domain of that kind. */
  async insertDomain(row: UserPoolDomainRow): Promise<void> {
    try {
      await this.db.insertInto('user_pool_domains').values(row).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  async getDomain(domain: string): Promise<UserPoolDomainRow | undefined> {
    const r = await this.db.selectFrom('user_pool_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
    return r && num(r);
  }

  async domainsOfPool(poolId: string): Promise<UserPoolDomainRow[]> {
    const rows = await this.db.selectFrom('user_pool_domains').selectAll().where('pool_id', '=', poolId).execute();
    return rows.map(num);
  }

  async updateDomain(domain: string, patch: Pick<UserPoolDomainRow, 'config' | 'updated_at'>): Promise<boolean> {
    const r = await this.db.updateTable('user_pool_domains').set(patch).where('domain', '=', domain).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteDomain(domain: string, poolId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('user_pool_domains').where('domain', '=', domain).where('pool_id', '=', poolId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // ---- resource servers ---------------------------------------------------------------

  /** Throws UniqueViolation when the pool has a resource server with that identifier. */
  async insertResourceServer(row: ResourceServerRow): Promise<void> {
    try {
      await this.db.insertInto('resource_servers').values(row).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  async getResourceServer(poolId: string, identifier: string): Promise<ResourceServerRow | undefined> {
    const r = await this.db
      .selectFrom('resource_servers')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
    return r && num(r);
  }

  async updateResourceServer(poolId: string, identifier: string, patch: Pick<ResourceServerRow, 'name' | 'scopes' | 'updated_at'>): Promise<boolean> {
    const r = await this.db
      .updateTable('resource_servers')
      .set(patch)
      .where('pool_id', '=', poolId)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteResourceServer(poolId: string, identifier: string): Promise<boolean> {
    const r = await this.db.deleteFrom('resource_servers').where('pool_id', '=', poolId).where('identifier', '=', identifier).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The pool's resource servers in identifier order, after `afterIdentifier`. */
  async listResourceServers(poolId: string, limit: number, afterIdentifier?: string): Promise<ResourceServerRow[]> {
    let q = this.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId).orderBy('identifier').limit(limit);
    if (afterIdentifier !== undefined) q = q.where('identifier', '>', afterIdentifier);
    return (await q.execute()).map(num);
  }

  // ---- UI customization ---------------------------------------------------------------

  async putUiCustomization(row: UiCustomizationRow): Promise<void> {
    await this.db
      .insertInto('ui_customizations')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['pool_id', 'client_id']).doUpdateSet({
          css: row.css,
          image: row.image,
          image_type: row.image_type,
          version: row.version,
          updated_at: row.updated_at,
        }),
      )
      .execute();
  }

  async getUiCustomization(poolId: string, clientId: string): Promise<UiCustomizationRow | undefined> {
    const r = await this.db
      .selectFrom('ui_customizations')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return r && num(r);
  }

  // ---- managed login branding ---------------------------------------------------------

  /** Throws UniqueViolation when the client has a branding already. */
  async insertBranding(row: ManagedLoginBrandingRow): Promise<void> {
    try {
      await this.db.insertInto('managed_login_brandings').values(row).execute();
    } catch (e) {
      rethrowUnique(e);
    }
  }

  async getBranding(poolId: string, id: string): Promise<ManagedLoginBrandingRow | undefined> {
    const r = await this.db.selectFrom('managed_login_brandings').selectAll().where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
    return r && num(r);
  }

  async brandingOfClient(poolId: string, clientId: string): Promise<ManagedLoginBrandingRow | undefined> {
    const r = await this.db
      .selectFrom('managed_login_brandings')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return r && num(r);
  }

  async updateBranding(
    poolId: string,
    id: string,
    patch: Pick<ManagedLoginBrandingRow, 'use_cognito_values' | 'settings' | 'assets' | 'updated_at'>,
  ): Promise<boolean> {
    const r = await this.db.updateTable('managed_login_brandings').set(patch).where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteBranding(poolId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('managed_login_brandings').where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // ---- hosted-UI sessions ended by /logout --------------------------------------------

  async endSession(row: HostedSessionEndedRow): Promise<void> {
    await this.db.insertInto('hosted_sessions_ended').values(row).onConflict((oc) => oc.column('sid').doNothing()).execute();
  }

  async isSessionEnded(sid: string): Promise<boolean> {
    const r = await this.db.selectFrom('hosted_sessions_ended').select('sid').where('sid', '=', sid).executeTakeFirst();
    return !!r;
  }

  /** Ids of ended-session records beginning with `prefix` (which must hold no LIKE wildcards). */
  async endedSessionsStartingWith(prefix: string): Promise<string[]> {
    const rows = await this.db.selectFrom('hosted_sessions_ended').select('sid').where('sid', 'like', `${prefix}%`).execute();
    return rows.map((r) => r.sid);
  }

  async pruneEndedSessions(now: number): Promise<void> {
    await this.db.deleteFrom('hosted_sessions_ended').where('expires_at', '<', now).execute();
  }
}
