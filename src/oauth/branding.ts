// Managed-login branding (CreateManagedLoginBranding & co.; hosted-ui-oauth.md §10): one per app
// client. `Settings` is stored as given and returned unchanged; Tessera applies the documented
// subset in ui/branding-css.ts (colours, logo, background). Assets are kept as sent and served
// at `${publicUrl}/_ui/<poolId>/<clientId>/<category in lower case>`.
//
// Refusals: unknown pool or client or branding (ResourceNotFoundException); Settings together
// with UseCognitoProvidedValues, or neither (InvalidParameterException); a second branding for
// a client (ManagedLoginBrandingExistsException, from the store's unique constraint).
import type { Clock } from '../clock.js';
import { InvalidParameterException, ManagedLoginBrandingExistsException, ResourceNotFoundException } from '../errors.js';
import { newUuid } from '../ids.js';
import type { AssetType, CreateManagedLoginBrandingRequest, ManagedLoginBrandingType, UpdateManagedLoginBrandingRequest } from '../models/idp-types.js';
import { UniqueViolation } from '../store/connect.js';
import type { ManagedLoginBrandingRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { UserPools } from '../userpools/pools.js';

export interface Branding {
  id: string;
  poolId: string;
  clientId: string;
  useCognitoValues: boolean;
  settings?: unknown;
  assets: AssetType[];
}

const MEDIA_TYPES: Record<AssetType['Extension'], string> = {
  ICO: 'image/x-icon',
  JPEG: 'image/jpeg',
  PNG: 'image/png',
  SVG: 'image/svg+xml',
  WEBP: 'image/webp',
};

export class Brandings {
  constructor(private readonly deps: { store: Store; clock: Clock; pools: UserPools }) {}

  async create(input: CreateManagedLoginBrandingRequest): Promise<ManagedLoginBrandingType> {
    const pool = await this.deps.pools.get(input.UserPoolId);
    await this.deps.pools.getClient(pool.id, input.ClientId);
    const useCognito = checkChoice(input.UseCognitoProvidedValues, input.Settings, true);
    const now = this.deps.clock.now();
    const row: ManagedLoginBrandingRow = {
      id: newUuid(),
      pool_id: pool.id,
      client_id: input.ClientId,
      use_cognito_values: useCognito ? 1 : 0,
      settings: useCognito || input.Settings === undefined ? null : JSON.stringify(input.Settings),
      assets: JSON.stringify(checkAssets(input.Assets ?? [])),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.store.oauth.insertBranding(row);
    } catch (e) {
      if (e instanceof UniqueViolation) {
        throw new ManagedLoginBrandingExistsException(`App client ${input.ClientId} already has a managed login branding style.`);
      }
      throw e;
    }
    return toType(row);
  }

  async describe(poolId: string, id: string): Promise<ManagedLoginBrandingType> {
    await this.deps.pools.get(poolId);
    return toType(await this.row(poolId, id));
  }

  async describeByClient(poolId: string, clientId: string): Promise<ManagedLoginBrandingType> {
    await this.deps.pools.get(poolId);
    await this.deps.pools.getClient(poolId, clientId);
    const row = await this.deps.store.oauth.brandingOfClient(poolId, clientId);
    if (!row) throw new ResourceNotFoundException(`App client ${clientId} has no managed login branding style.`);
    return toType(row);
  }

  async update(input: UpdateManagedLoginBrandingRequest): Promise<ManagedLoginBrandingType> {
    if (!input.UserPoolId || !input.ManagedLoginBrandingId) {
      throw new InvalidParameterException('UserPoolId and ManagedLoginBrandingId are required.');
    }
    await this.deps.pools.get(input.UserPoolId);
    const row = await this.row(input.UserPoolId, input.ManagedLoginBrandingId);
    const useCognito = checkChoice(input.UseCognitoProvidedValues, input.Settings, false);
    const patch = {
      use_cognito_values: useCognito ? 1 : input.Settings !== undefined ? 0 : row.use_cognito_values,
      settings: useCognito ? null : input.Settings !== undefined ? JSON.stringify(input.Settings) : row.settings,
      assets: input.Assets ? JSON.stringify(checkAssets(input.Assets)) : row.assets,
      updated_at: this.deps.clock.now(),
    };
    await this.deps.store.oauth.updateBranding(row.pool_id, row.id, patch);
    return toType({ ...row, ...patch });
  }

  async delete(poolId: string, id: string): Promise<void> {
    await this.deps.pools.get(poolId);
    if (!(await this.deps.store.oauth.deleteBranding(poolId, id))) throw notFound(id);
  }

  /** The client's branding as pages apply it, or undefined. */
  async ofClient(poolId: string, clientId: string): Promise<Branding | undefined> {
    const row = await this.deps.store.oauth.brandingOfClient(poolId, clientId);
    return row ? toBranding(row) : undefined;
  }

  /** One asset of the client's branding, for serving (LIGHT or DYNAMIC preferred). */
  async asset(poolId: string, clientId: string, category: string): Promise<{ bytes: Buffer; type: string } | undefined> {
    const b = await this.ofClient(poolId, clientId);
    const matching = (b?.assets ?? []).filter((a) => a.Category === category && a.Bytes);
    const a = matching.find((x) => x.ColorMode !== 'DARK') ?? matching[0];
    return a ? { bytes: Buffer.from(a.Bytes!, 'base64'), type: MEDIA_TYPES[a.Extension] } : undefined;
  }

  private async row(poolId: string, id: string): Promise<ManagedLoginBrandingRow> {
    const row = await this.deps.store.oauth.getBranding(poolId, id);
    if (!row) throw notFound(id);
    return row;
  }
}

/** UseCognitoProvidedValues and Settings exclude each other; a new branding needs one of them. */
function checkChoice(useCognito: boolean | undefined, settings: unknown, creating: boolean): boolean {
  if (useCognito && settings !== undefined) {
    throw new InvalidParameterException('Settings cannot be given when UseCognitoProvidedValues is true.');
  }
  if (creating && !useCognito && settings === undefined) {
    throw new InvalidParameterException('Either Settings or UseCognitoProvidedValues must be given.');
  }
  return !!useCognito;
}

function checkAssets(assets: AssetType[]): AssetType[] {
  const seen = new Set<string>();
  for (const a of assets) {
    const key = `${a.Category}/${a.ColorMode}`;
    if (seen.has(key)) throw new InvalidParameterException(`Duplicate asset for ${a.Category} in ${a.ColorMode} mode.`);
    seen.add(key);
    if (!a.Bytes && !a.ResourceId) throw new InvalidParameterException(`The asset ${a.Category} needs Bytes.`);
  }
  return assets.map((a) => ({ Category: a.Category, ColorMode: a.ColorMode, Extension: a.Extension, Bytes: a.Bytes, ResourceId: a.ResourceId }));
}

function toBranding(row: ManagedLoginBrandingRow): Branding {
  return {
    id: row.id,
    poolId: row.pool_id,
    clientId: row.client_id,
    useCognitoValues: !!row.use_cognito_values,
    settings: row.settings === null ? undefined : JSON.parse(row.settings),
    assets: JSON.parse(row.assets) as AssetType[],
  };
}

function toType(row: ManagedLoginBrandingRow): ManagedLoginBrandingType {
  const b = toBranding(row);
  return {
    ManagedLoginBrandingId: b.id,
    UserPoolId: b.poolId,
    UseCognitoProvidedValues: b.useCognitoValues,
    ...(b.settings !== undefined ? { Settings: b.settings } : {}),
    Assets: b.assets,
    CreationDate: row.created_at / 1000,
    LastModifiedDate: row.updated_at / 1000,
  };
}

function notFound(id: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Managed login branding ${id} does not exist.`);
}
