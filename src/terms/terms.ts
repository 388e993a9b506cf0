// Terms documents (CreateTerms & co.): per app client, a `terms-of-use` and a `privacy-policy`
// document, each a set of links by language (`cognito:default` for every language without its
// own). The hosted UI's sign-up page links to them in the page's language (src/oauth/ui/sign-up.ts).
import type { Clock } from '../clock.js';
import { InvalidParameterException, ResourceNotFoundException, TermsExistsException } from '../errors.js';
import { newUuid } from '../ids.js';
import type { TermsDescriptionType, TermsType } from '../models/idp-types.js';
import { UniqueViolation } from '../store/connect.js';
import type { TermsRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import type { Sealer } from '../crypto/sealed.js';
import type { UserPools } from '../userpools/pools.js';
import type { Lang } from '../oauth/ui/messages.js';

export interface TermsInput {
  TermsName?: string;
  TermsSource?: string;
  Enforcement?: string;
  Links?: Record<string, string>;
}

/** The language id of terms links for each language of the hosted UI. */
const LANGUAGE_IDS: Record<Lang, string> = { en: 'cognito:english', de: 'cognito:german' };

export class Terms {
  constructor(private readonly deps: { store: Store; clock: Clock; pools: UserPools; sealer: Sealer }) {}

  async create(poolId: string, clientId: string, input: Required<Pick<TermsInput, 'TermsName' | 'TermsSource' | 'Enforcement'>> & TermsInput): Promise<TermsType> {
    const client = await this.deps.pools.getClient(poolId, clientId);
    const links = checkLinks(input.Links);
    const now = this.deps.clock.now();
    const row: TermsRow = {
      id: newUuid(),
      pool_id: poolId,
      client_id: client.id,
      name: input.TermsName,
      source: input.TermsSource,
      enforcement: input.Enforcement,
      links: JSON.stringify(links),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.store.terms.insert(row);
    } catch (e) {
      if (e instanceof UniqueViolation) throw exists(input.TermsName, client.id);
      throw e;
    }
    return toTermsType(row);
  }

  async describe(poolId: string, id: string): Promise<TermsType> {
    await this.deps.pools.get(poolId);
    return toTermsType(await this.get(poolId, id));
  }

  /** DescribeTermsByClient: the client's document of that name. */
  async ofClient(poolId: string, clientId: string, name: string): Promise<TermsType> {
    const client = await this.deps.pools.getClient(poolId, clientId);
    const row = (await this.deps.store.terms.ofClient(client.id)).find((r) => r.name === name);
    if (!row) throw new ResourceNotFoundException(`App client ${client.id} has no ${name} terms.`);
    return toTermsType(row);
  }

  async list(poolId: string, maxResults = 60, nextToken?: string): Promise<{ Terms: TermsDescriptionType[]; NextToken?: string }> {
    await this.deps.pools.get(poolId);
    const scope = `ListTerms|${poolId}`;
    const after = decodePageToken<string>(this.deps.sealer, scope, nextToken);
    const rows = await this.deps.store.terms.list(poolId, maxResults + 1, after);
    const shown = rows.slice(0, maxResults);
    return {
      Terms: shown.map((r) => ({ TermsId: r.id, TermsName: r.name as TermsDescriptionType['TermsName'], Enforcement: r.enforcement as 'NONE', CreationDate: r.created_at / 1000, LastModifiedDate: r.updated_at / 1000 })),
      ...(rows.length > maxResults ? { NextToken: encodePageToken(this.deps.sealer, scope, shown[shown.length - 1]!.id) } : {}),
    };
  }

  /** UpdateTerms: the members given replace the stored ones. */
  async update(poolId: string, id: string, input: TermsInput): Promise<TermsType> {
    const row = await this.get(poolId, id);
    const patch = {
      ...(input.TermsName !== undefined ? { name: input.TermsName } : {}),
      ...(input.TermsSource !== undefined ? { source: input.TermsSource } : {}),
      ...(input.Enforcement !== undefined ? { enforcement: input.Enforcement } : {}),
      ...(input.Links !== undefined ? { links: JSON.stringify(checkLinks(input.Links)) } : {}),
      updated_at: this.deps.clock.now(),
    };
    try {
      if (!(await this.deps.store.terms.update(poolId, id, patch))) throw notFound(id);
    } catch (e) {
      if (e instanceof UniqueViolation) throw exists(input.TermsName ?? row.name, row.client_id);
      throw e;
    }
    return toTermsType({ ...row, ...patch });
  }

  async delete(poolId: string, id: string): Promise<void> {
    await this.deps.pools.get(poolId);
    if (!(await this.deps.store.terms.delete(poolId, id))) throw notFound(id);
  }

  /** The links the sign-up page shows to a client's users in `lang`: the language's, else the default. */
  async linksFor(clientId: string, lang: Lang): Promise<{ termsOfUse?: string; privacyPolicy?: string }> {
    const out: { termsOfUse?: string; privacyPolicy?: string } = {};
    for (const row of await this.deps.store.terms.ofClient(clientId)) {
      const links = JSON.parse(row.links) as Record<string, string>;
      const url = links[LANGUAGE_IDS[lang]] ?? links['cognito:default'];
      if (!url) continue;
      if (row.name === 'terms-of-use') out.termsOfUse = url;
      else if (row.name === 'privacy-policy') out.privacyPolicy = url;
    }
    return out;
  }

  private async get(poolId: string, id: string): Promise<TermsRow> {
    const row = await this.deps.store.terms.get(poolId, id);
    if (!row) throw notFound(id);
    return row;
  }
}

const notFound = (id: string) => new ResourceNotFoundException(`Terms ${id} do not exist.`);
const exists = (name: string, clientId: string) => new TermsExistsException(`App client ${clientId} already has ${name} terms.`);

/** Links must be absolute https (or http for localhost) URLs, `cognito:default` among them. */
function checkLinks(links: Record<string, string> | undefined): Record<string, string> {
  if (!links || !Object.keys(links).length) throw new InvalidParameterException('Links must name at least one URL.');
  if (!links['cognito:default']) throw new InvalidParameterException('Links must include cognito:default, shown for every language without its own.');
  for (const [lang, url] of Object.entries(links)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new InvalidParameterException(`The link for ${lang} is not a URL.`);
    }
    const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1';
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) throw new InvalidParameterException(`The link for ${lang} must be an https URL.`);
  }
  return links;
}

function toTermsType(r: TermsRow): TermsType {
  return {
    TermsId: r.id,
    UserPoolId: r.pool_id,
    ClientId: r.client_id,
    TermsName: r.name as TermsType['TermsName'],
    TermsSource: r.source as 'LINK',
    Enforcement: r.enforcement as 'NONE',
    Links: JSON.parse(r.links) as Record<string, string>,
    CreationDate: r.created_at / 1000,
    LastModifiedDate: r.updated_at / 1000,
  };
}
