// Rows of threat protection settings (migration 017): the pool's (client_id '') and app clients' own.
import type { Db } from './store.js';
import type { RiskConfigurationRow } from './schema.js';

/** Threat protection settings of pools and app clients (migration 017). */
export class RiskRepo {
  constructor(private readonly db: Db) {}

  get(poolId: string, clientId: string): Promise<RiskConfigurationRow | undefined> {
    return this.db.selectFrom('risk_configurations').selectAll().where('pool_id', '=', poolId).where('client_id', '=', clientId).executeTakeFirst();
  }

  async put(row: RiskConfigurationRow): Promise<void> {
    await this.db
      .insertInto('risk_configurations')
      .values(row)
      .onConflict((oc) => oc.columns(['pool_id', 'client_id']).doUpdateSet({ config: row.config, updated_at: row.updated_at }))
      .execute();
  }

  async delete(poolId: string, clientId: string): Promise<void> {
    await this.db.deleteFrom('risk_configurations').where('pool_id', '=', poolId).where('client_id', '=', clientId).execute();
  }
}
