// Classic hosted-UI customization (SetUICustomization / GetUICustomization; hosted-ui-oauth.md
// §10): CSS limited to the documented classes (ui/css.ts) and a PNG or JPEG logo of at most
// 100 KB, for the whole pool (ClientId omitted or "ALL") or one app client, which then wins.
// The logo is served at `${publicUrl}/_ui/<poolId>/<clientId>/logo`, its ImageUrl.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import { InvalidParameterException } from '../errors.js';
import type { SetUICustomizationRequest, UICustomizationType } from '../models/idp-types.js';
import type { UiCustomizationRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { UserPools } from '../userpools/pools.js';
import { CssError, parseCustomCss, serializeCss } from './ui/css.js';

export const POOL_WIDE = 'ALL';
const MAX_IMAGE_BYTES = 100 * 1024;

/** What a page applies: sanitized CSS and where the logo is. */
export interface PageCustomization {
  css?: string;
  logoUrl?: string;
}

/** PNG or JPEG by their magic bytes, else undefined. */
export function imageType(bytes: Buffer): 'image/png' | 'image/jpeg' | undefined {
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

export class UiCustomizations {
  constructor(private readonly deps: { store: Store; clock: Clock; config: Config; pools: UserPools }) {}

  async set(input: SetUICustomizationRequest): Promise<UICustomizationType> {
    const pool = await this.deps.pools.get(input.UserPoolId);
    const clientId = input.ClientId && input.ClientId !== POOL_WIDE ? input.ClientId : POOL_WIDE;
    if (clientId !== POOL_WIDE) await this.deps.pools.getClient(pool.id, clientId);
    if (input.CSS) {
      try {
        parseCustomCss(input.CSS);
      } catch (e) {
        if (e instanceof CssError) throw new InvalidParameterException(e.message);
        throw e;
      }
    }
    let image: Buffer | undefined;
    let type: string | undefined;
    if (input.ImageFile) {
      image = Buffer.from(input.ImageFile, 'base64');
      if (image.length > MAX_IMAGE_BYTES) throw new InvalidParameterException(`The logo must be at most ${MAX_IMAGE_BYTES / 1024} KB.`);
      type = imageType(image);
      if (!type) throw new InvalidParameterException('The logo must be a PNG or JPEG image.');
    }
    const now = this.deps.clock.now();
    const existing = await this.deps.store.oauth.getUiCustomization(pool.id, clientId);
    const row: UiCustomizationRow = {
      pool_id: pool.id,
      client_id: clientId,
      css: input.CSS || null,
      image: image ? image.toString('base64') : null,
      image_type: type ?? null,
      version: createHash('sha256').update(`${now}|${input.CSS ?? ''}|${input.ImageFile ?? ''}`).digest('hex').slice(0, 16),
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    await this.deps.store.oauth.putUiCustomization(row);
    return this.toType(row);
  }

  /** GetUICustomization: the client's own, else the pool's, else an empty one. */
  async get(poolId: string, clientId?: string): Promise<UICustomizationType> {
    const pool = await this.deps.pools.get(poolId);
    const wanted = clientId && clientId !== POOL_WIDE ? clientId : POOL_WIDE;
    if (wanted !== POOL_WIDE) await this.deps.pools.getClient(pool.id, wanted);
    const row = await this.effective(pool.id, wanted);
    return row ? this.toType(row) : { UserPoolId: pool.id, ClientId: wanted };
  }

  /** The logo of a customization row, for serving. */
  async logo(poolId: string, clientId: string): Promise<{ bytes: Buffer; type: string } | undefined> {
    const row = await this.deps.store.oauth.getUiCustomization(poolId, clientId);
    if (!row?.image || !row.image_type) return undefined;
    return { bytes: Buffer.from(row.image, 'base64'), type: row.image_type };
  }

  /** What the pages of this client show: its customization, else the pool's. CSS re-serialized from the parse. */
  async forPage(poolId: string, clientId: string): Promise<PageCustomization> {
    const row = await this.effective(poolId, clientId);
    if (!row) return {};
    let css: string | undefined;
    try {
      css = row.css ? serializeCss(parseCustomCss(row.css)) : undefined;
    } catch {
      css = undefined;
    }
    return { css, logoUrl: row.image ? this.imageUrl(row) : undefined };
  }

  private async effective(poolId: string, clientId: string): Promise<UiCustomizationRow | undefined> {
    if (clientId !== POOL_WIDE) {
      const own = await this.deps.store.oauth.getUiCustomization(poolId, clientId);
      if (own) return own;
    }
    return this.deps.store.oauth.getUiCustomization(poolId, POOL_WIDE);
  }

  private imageUrl(row: UiCustomizationRow): string {
    return `${this.deps.config.publicUrl}/_ui/${row.pool_id}/${encodeURIComponent(row.client_id)}/logo?v=${row.version}`;
  }

  private toType(row: UiCustomizationRow): UICustomizationType {
    return {
      UserPoolId: row.pool_id,
      ClientId: row.client_id,
      ...(row.image ? { ImageUrl: this.imageUrl(row) } : {}),
      ...(row.css ? { CSS: row.css } : {}),
      CSSVersion: row.version,
      CreationDate: row.created_at / 1000,
      LastModifiedDate: row.updated_at / 1000,
    };
  }
}
