// Federation: the identity providers of user pools (OIDC, the social presets, SAML), their
// IdpIdentifiers (unique per pool by primary key, which is what DuplicateProviderException rests
// on), and the links from an external identity (provider name + the provider's user id) to a
// user of the pool: written by AdminLinkProviderForUser and by Tessera's verified-e-mail
// auto-link, read by every federated sign-in before it looks for `<ProviderName>_<id>`.
import type { Kysely } from 'kysely';
import { bigint, ctext } from './types.js';

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const ts = bigint(engine);

  await db.schema
    .createTable('identity_providers')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name', ctext(engine), (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    // ProviderDetails as JSON, the client_secret sealed (purpose 'idp-client-secret').
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('attribute_mapping', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_providers_pk', ['pool_id', 'name'])
    .execute();

  await db.schema
    .createTable('identity_provider_identifiers')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('identifier', ctext(engine), (c) => c.notNull())
    .addColumn('provider_name', ctext(engine), (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_provider_identifiers_pk', ['pool_id', 'identifier'])
    .addForeignKeyConstraint('identity_provider_identifiers_provider', ['pool_id', 'provider_name'], 'identity_providers', ['pool_id', 'name'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('federated_links')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('provider_name', ctext(engine), (c) => c.notNull())
    .addColumn('provider_user_id', ctext(engine), (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('federated_links_pk', ['pool_id', 'provider_name', 'provider_user_id'])
    .execute();
  await db.schema.createIndex('federated_links_user').on('federated_links').columns(['user_id']).execute();
}
