// Identity providers of a user pool (CreateIdentityProvider & co.). Rules:
//   name       OIDC/SAML: any name but COGNITO and the social type names; social: the type's name
//   details    the type's required keys present, unknown keys refused, presets filled in
//              (presets.ts); SAML: exactly one of MetadataURL / MetadataFile
//   mapping    keys are `username` or attributes of the pool's schema
//   ids        IdpIdentifiers unique per pool (primary key -> DuplicateProviderException)
//   secrets    client_secret / private_key sealed at rest, given back by Describe
// Update replaces the details given (a secret left out is kept) and the mapping or identifiers
// when given. Names in `identities` and usernames are `<ProviderName>_<id>`, so names never hold `_`
// at either end (the model's pattern).
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import { DuplicateProviderException, InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import type { IdentityProviderType, ProviderDescription } from '../models/idp-types.js';
import { UniqueViolation } from '../store/connect.js';
import type { IdentityProviderRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import type { UserPool, UserPools } from '../userpools/pools.js';
import { PRESETS, SOCIAL, type ProviderType } from './presets.js';
import { certificateBody, spKeyOf } from './saml-keys.js';
import { MetadataError, idpMetadataOf } from './saml-metadata.js';
import { SOCIAL_USER_ID_CLAIM, isApplePrivateKey } from './social.js';

const SECRET_PURPOSE = 'idp-client-secret';

/** A provider as the domain uses it: details with secrets opened. */
export interface IdentityProvider {
  poolId: string;
  name: string;
  type: ProviderType;
  details: Record<string, string>;
  attributeMapping: Record<string, string>;
  identifiers: string[];
  createdAt: number;
  updatedAt: number;
}

export interface ProviderInput {
  UserPoolId: string;
  ProviderName: string;
  ProviderType?: ProviderType;
  ProviderDetails?: Record<string, string>;
  AttributeMapping?: Record<string, string>;
  IdpIdentifiers?: string[];
}

export class IdentityProviders {
  constructor(private readonly deps: { store: Store; clock: Clock; sealer: Sealer; pools: UserPools }) {}

  async create(input: ProviderInput & { ProviderType: ProviderType }): Promise<IdentityProvider> {
    const pool = await this.deps.pools.get(input.UserPoolId);
    checkName(input.ProviderName, input.ProviderType);
    let details = checkDetails(input.ProviderType, input.ProviderDetails ?? {});
    if (input.ProviderType === 'SAML') details = await this.samlDetails(pool.id, details);
    const mapping = checkMapping(pool, input.AttributeMapping ?? {}, input.ProviderType);
    const identifiers = checkIdentifiers(input.IdpIdentifiers ?? []);
    const now = this.deps.clock.now();
    const row: IdentityProviderRow = {
      pool_id: pool.id,
      name: input.ProviderName,
      type: input.ProviderType,
      details: this.sealDetails(input.ProviderType, details),
      attribute_mapping: JSON.stringify(mapping),
      created_at: now,
      updated_at: now,
    };
    await this.deps.store.transaction(async (tx) => {
      try {
        await tx.federation.insertProvider(row);
      } catch (e) {
        if (e instanceof UniqueViolation) throw new DuplicateProviderException(`A provider with the name ${input.ProviderName} already exists in this user pool.`);
        throw e;
      }
      await setIdentifiers(tx, pool.id, input.ProviderName, identifiers, DuplicateProviderException);
    });
    return this.get(pool.id, input.ProviderName);
  }

  /** The provider, or ResourceNotFoundException. */
  async get(poolId: string, name: string): Promise<IdentityProvider> {
    await this.deps.pools.get(poolId);
    const found = await this.find(poolId, name);
    if (!found) throw notFound(name);
    return found;
  }

  async find(poolId: string, name: string): Promise<IdentityProvider | undefined> {
    const row = await this.deps.store.federation.getProvider(poolId, name);
    if (!row) return undefined;
    const p = this.toProvider(row, await this.deps.store.federation.identifiersOf(poolId, name));
    // The certificate the IdP encrypts to is the pool's newest (saml-keys.ts renews it yearly).
    // A key that cannot be opened leaves the stored one, so the provider can still be described
    // and updated (e.g. EncryptedResponses turned off).
    if (p.details.EncryptedResponses === 'true') {
      const key = await spKeyOf(this.deps, poolId).catch(() => undefined);
      if (key) p.details = { ...p.details, ActiveEncryptionCertificate: certificateBody(key.certificate) };
    }
    return p;
  }

  async byIdentifier(poolId: string, identifier: string): Promise<IdentityProvider> {
    await this.deps.pools.get(poolId);
    const name = await this.deps.store.federation.providerOfIdentifier(poolId, identifier);
    const found = name ? await this.find(poolId, name) : undefined;
    if (!found) throw new ResourceNotFoundException(`Identity provider with identifier ${identifier} does not exist.`);
    return found;
  }

  async update(input: ProviderInput): Promise<IdentityProvider> {
    const pool = await this.deps.pools.get(input.UserPoolId);
    const current = await this.get(pool.id, input.ProviderName);
    let details = current.details;
    if (input.ProviderDetails) {
      const given = { ...input.ProviderDetails };
      for (const key of PRESETS[current.type].secret) if (given[key] === undefined && current.details[key] !== undefined) given[key] = current.details[key];
      details = checkDetails(current.type, given);
      if (current.type === 'SAML') details = await this.samlDetails(pool.id, details);
    }
    const mapping = input.AttributeMapping ? checkMapping(pool, input.AttributeMapping, current.type) : current.attributeMapping;
    const identifiers = input.IdpIdentifiers ? checkIdentifiers(input.IdpIdentifiers) : undefined;
    await this.deps.store.transaction(async (tx) => {
      const patch = { details: this.sealDetails(current.type, details), attribute_mapping: JSON.stringify(mapping), updated_at: this.deps.clock.now() };
      if (!(await tx.federation.updateProvider(pool.id, current.name, patch))) throw notFound(current.name);
      // UpdateIdentityProvider's model lists no DuplicateProviderException.
      if (identifiers) await setIdentifiers(tx, pool.id, current.name, identifiers, InvalidParameterException);
    });
    return this.get(pool.id, current.name);
  }

  async delete(poolId: string, name: string): Promise<void> {
    await this.deps.pools.get(poolId);
    const gone = await this.deps.store.transaction((tx) => tx.federation.deleteProvider(poolId, name));
    if (!gone) throw notFound(name);
  }

  async list(poolId: string, maxResults: number, nextToken?: string): Promise<{ items: ProviderDescription[]; nextToken?: string }> {
    await this.deps.pools.get(poolId);
    const scope = `ListIdentityProviders|${poolId}`;
    const after = decodePageToken<string>(this.deps.sealer, scope, nextToken);
    const rows = await this.deps.store.federation.listProviders(poolId, maxResults + 1, after);
    const shown = rows.slice(0, maxResults);
    return {
      items: shown.map((r) => ({ ProviderName: r.name, ProviderType: r.type as ProviderType, CreationDate: r.created_at / 1000, LastModifiedDate: r.updated_at / 1000 })),
      ...(rows.length > maxResults ? { nextToken: encodePageToken(this.deps.sealer, scope, shown[shown.length - 1]!.name) } : {}),
    };
  }

  /**
   * SAML details completed from the metadata, read now (a MetadataURL fetched afresh): the
   * redirect-binding endpoints as Describe shows them, and with EncryptedResponses the pool's
   * certificate the IdP encrypts to. A document that cannot be used is InvalidParameterException.
   */
  private async samlDetails(poolId: string, details: Record<string, string>): Promise<Record<string, string>> {
    const out = { ...details };
    delete out.SSORedirectBindingURI;
    delete out.SLORedirectBindingURI;
    delete out.ActiveEncryptionCertificate;
    try {
      const md = await idpMetadataOf(out, this.deps.clock.now(), true);
      if (md.ssoRedirect) out.SSORedirectBindingURI = md.ssoRedirect;
      if (md.sloRedirect) out.SLORedirectBindingURI = md.sloRedirect;
      else if (out.IDPSignout === 'true') throw new MetadataError('IDPSignout needs a SingleLogoutService with the HTTP-Redirect binding in the SAML metadata.');
    } catch (e) {
      if (e instanceof MetadataError) throw new InvalidParameterException(e.message);
      throw e;
    }
    if (out.EncryptedResponses === 'true') out.ActiveEncryptionCertificate = certificateBody((await spKeyOf(this.deps, poolId)).certificate);
    return out;
  }

  private sealDetails(type: ProviderType, details: Record<string, string>): string {
    const out = { ...details };
    for (const key of PRESETS[type].secret) if (out[key] !== undefined) out[key] = this.deps.sealer.seal(SECRET_PURPOSE, out[key]);
    return JSON.stringify(out);
  }

  private toProvider(row: IdentityProviderRow, identifiers: string[]): IdentityProvider {
    const type = row.type as ProviderType;
    const details = JSON.parse(row.details) as Record<string, string>;
    for (const key of PRESETS[type].secret) {
      if (details[key] !== undefined) details[key] = this.deps.sealer.open(SECRET_PURPOSE, details[key])?.toString('utf8') ?? '';
    }
    return {
      poolId: row.pool_id,
      name: row.name,
      type,
      details,
      attributeMapping: JSON.parse(row.attribute_mapping),
      identifiers,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

/** The wire shape (IdentityProviderType). */
export function toIdentityProviderType(p: IdentityProvider): IdentityProviderType {
  return {
    UserPoolId: p.poolId,
    ProviderName: p.name,
    ProviderType: p.type,
    ProviderDetails: p.details,
    AttributeMapping: p.attributeMapping,
    IdpIdentifiers: p.identifiers,
    CreationDate: p.createdAt / 1000,
    LastModifiedDate: p.updatedAt / 1000,
  };
}

function checkName(name: string, type: ProviderType): void {
  if (SOCIAL.has(type)) {
    if (name !== type) throw new InvalidParameterException(`The provider name of a ${type} identity provider must be ${type}.`);
    return;
  }
  if (name.toUpperCase() === 'COGNITO' || SOCIAL.has(name)) throw new InvalidParameterException(`${name} is a reserved provider name.`);
  if (name.startsWith('_') || name.endsWith('_') || /\s/.test(name)) throw new InvalidParameterException(`Invalid provider name: ${name}`);
}

function checkDetails(type: ProviderType, given: Record<string, string>): Record<string, string> {
  const preset = PRESETS[type];
  const known = new Set([...preset.required, ...preset.optional, ...Object.keys(preset.fixed)]);
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw new InvalidParameterException(`ProviderDetails key ${key} is not supported for ${type} identity providers.`);
  }
  for (const key of preset.required) {
    if (!given[key]) throw new InvalidParameterException(`ProviderDetails must contain ${key} for ${type} identity providers.`);
  }
  if (type === 'SAML' && !!given.MetadataURL === !!given.MetadataFile) {
    throw new InvalidParameterException('ProviderDetails must contain exactly one of MetadataURL and MetadataFile.');
  }
  if (type === 'OIDC') {
    if (!['GET', 'POST'].includes(given.attributes_request_method)) throw new InvalidParameterException('attributes_request_method must be GET or POST.');
    checkUrl('oidc_issuer', given.oidc_issuer);
    for (const key of ['authorize_url', 'token_url', 'attributes_url', 'jwks_uri']) if (given[key] !== undefined) checkUrl(key, given[key]);
  }
  if (type === 'SAML' && given.RequestSigningAlgorithm !== undefined && given.RequestSigningAlgorithm !== 'rsa-sha256') {
    throw new InvalidParameterException('RequestSigningAlgorithm must be rsa-sha256.');
  }
  if (type === 'SAML' && given.MetadataURL) checkUrl('MetadataURL', given.MetadataURL);
  if (type === 'SignInWithApple' && !isApplePrivateKey(given.private_key)) {
    throw new InvalidParameterException('private_key must be the P-256 private key of the .p8 file from Apple (PKCS #8).');
  }
  for (const key of ['IDPSignout', 'IDPInit', 'EncryptedResponses', 'attributes_url_add_attributes']) {
    if (given[key] !== undefined && given[key] !== 'true' && given[key] !== 'false') throw new InvalidParameterException(`${key} must be true or false.`);
  }
  return { ...preset.defaults, ...given, ...preset.fixed };
}

function checkUrl(key: string, value: string): void {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InvalidParameterException(`${key} must be a URL.`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))) {
    throw new InvalidParameterException(`${key} must be an https URL.`);
  }
}

function checkMapping(pool: UserPool, mapping: Record<string, string>, type: ProviderType): Record<string, string> {
  const names = new Set((pool.settings.SchemaAttributes ?? []).map((a: { Name?: string }) => a.Name));
  for (const key of Object.keys(mapping)) {
    if (key === 'username' || key === 'sub') continue;
    // Tessera writes it (which providers the user signs in through): a claim must not.
    if (key === 'identities') throw new InvalidParameterException('The identities attribute cannot be mapped: it is kept by the user pool.');
    if (!names.has(key)) throw new InvalidParameterException(`The attribute ${key} is not in the schema of user pool ${pool.id}.`);
  }
  // Cognito maps the provider's user id to `username` unless told otherwise (SAML: the NameID;
  // Facebook: id; Login with Amazon: user_id; the others: sub).
  const userId = type === 'SAML' ? 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier' : (SOCIAL_USER_ID_CLAIM[type] ?? 'sub');
  return { username: userId, ...mapping };
}

function checkIdentifiers(ids: string[]): string[] {
  if (new Set(ids).size !== ids.length) throw new InvalidParameterException('IdpIdentifiers must be unique.');
  return ids;
}

async function setIdentifiers(tx: Store, poolId: string, name: string, ids: string[], Refusal: new (m: string) => Error): Promise<void> {
  try {
    await tx.federation.setIdentifiers(poolId, name, ids);
  } catch (e) {
    if (e instanceof UniqueViolation) throw new Refusal('An IdpIdentifier is already used by another provider of this user pool.');
    throw e;
  }
}

function notFound(name: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Identity provider ${name} does not exist.`);
}
