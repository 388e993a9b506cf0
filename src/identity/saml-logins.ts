// SAML logins of identity pools (identity-and-sync.md A.2): Logins key = the IAM SAML provider ARN
// the pool lists in SamlProviderARNs (`arn:aws:iam::<account>:saml-provider/<name>`), value = the
// base64 SAMLResponse the IdP posted for AWS, as for STS AssumeRoleWithSAML.
//
// IAM keeps such a provider's metadata at AWS. Tessera has no IAM, so the pool carries the IdP's
// metadata URL in a tag, `tessera:saml-metadata:<name>` (TagResource / IdentityPoolTags); a provider
// without one accepts no response. The response is checked on @node-saml/node-saml and app.clock:
//   signature      the response's or the assertion's, by a certificate of the metadata
//   issuer         the metadata's entityID
//   audience       urn:amazon:webservices (AWS's SAML service provider), or its sign-in URL
//   recipient      https://signin.aws.amazon.com/saml (the bearer SubjectConfirmationData)
//   times          NotBefore / NotOnOrAfter of the conditions and the confirmation, 60 s of skew
// An assertion is not single use here: the enhanced flow shows the same login to GetId and then
// to GetCredentialsForIdentity; its NotOnOrAfter bounds how long it serves.
// Subject = the NameID. The roles the assertion offers (attribute
// https://aws.amazon.com/SAML/Attributes/Role, "role ARN,provider ARN" pairs) are given to role
// selection as `cognito:roles`: one role is chosen; several need GetCredentialsForIdentity's
// CustomRoleArn (identity-and-sync.md A.5, roles.ts).
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import { ExternalServiceException, NotAuthorizedException } from '../errors.js';
import { MetadataError, parseIdpMetadata, readMetadataBody, type IdpMetadata } from '../federation/saml-metadata.js';
import type { VerifiedLogin } from './logins.js';
import type { IdentityPool } from './pools.js';
import type { ProviderFetch } from './provider-fetch.js';

export const SAML_METADATA_TAG = 'tessera:saml-metadata:';
export const ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';
const AUDIENCES = ['urn:amazon:webservices', 'https://signin.aws.amazon.com/saml'];
const RECIPIENT = 'https://signin.aws.amazon.com/saml';
const SAML_ARN = /^arn:aws[\w-]*:iam::\d{12}:saml-provider\/([\w+=,.@-]+)$/;
const SKEW_MS = 60_000;
const CACHE_MS = 10 * 60_000;

const invalid = (why: string) => new NotAuthorizedException(`Invalid login token. Invalid SAML response received: ${why}`);

type Xml = { $?: Record<string, string> } & { [child: string]: Xml[] | Record<string, string> | undefined };

/** Whether `key` is a SAML provider ARN this pool lists. */
export function isSamlLoginKey(pool: IdentityPool, key: string): boolean {
  return SAML_ARN.test(key) && (pool.settings.SamlProviderARNs ?? []).includes(key);
}

export class SamlLogins {
  private readonly metadata = new Map<string, { at: number; md: IdpMetadata }>();

  constructor(
    private readonly deps: { clock: Clock; fetchFrom: ProviderFetch; tagsOf: (pool: IdentityPool) => Promise<Record<string, string>> },
  ) {}

  async verify(pool: IdentityPool, key: string, samlResponse: string): Promise<VerifiedLogin> {
    const name = SAML_ARN.exec(key)![1];
    const url = (await this.deps.tagsOf(pool))[SAML_METADATA_TAG + name];
    if (!url) throw invalid(`no metadata is known for ${key} (tag ${SAML_METADATA_TAG}${name}).`);
    const md = await this.metadataOf(url);
    const sp = new SAML({
      issuer: AUDIENCES[0],
      audience: false, // checked below: either of AWS's two names
      callbackUrl: RECIPIENT,
      idpCert: md.certificates,
      idpIssuer: md.entityId,
      wantAuthnResponseSigned: false, // the response or its assertion: node-saml wants one signed
      wantAssertionsSigned: false,
      acceptedClockSkewMs: -1, // times are checked below, on app.clock
      validateInResponseTo: ValidateInResponseTo.never,
    });
    let profile;
    try {
      ({ profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (e) {
      throw invalid((e as Error).message);
    }
    if (!profile?.getAssertion) throw invalid('no assertion');
    if (profile.issuer !== md.entityId) throw invalid('the issuer is not the identity provider of the metadata');
    const assertion = (profile.getAssertion() as { Assertion: Xml }).Assertion;
    this.checkAssertion(assertion);
    if (!profile.nameID) throw invalid('no NameID');
    const roles = rolesOf((profile.attributes as Record<string, unknown> | undefined)?.[ROLE_ATTRIBUTE], key);
    const claims: JWTPayload = { sub: profile.nameID, ...(roles.length ? { 'cognito:roles': roles } : {}) };
    return { key, provider: key, subject: profile.nameID, exclusive: true, claims, mappingKeys: [key], amr: [key, `${key}:${profile.nameID}`], offeredRoles: roles };
  }

  /** Audience, recipient and time window. */
  private checkAssertion(a: Xml): void {
    const now = this.deps.clock.now();
    const conditions = (a.Conditions as Xml[] | undefined)?.[0];
    const audiences = ((conditions?.AudienceRestriction as Xml[] | undefined) ?? []).flatMap((r) => ((r.Audience as unknown[] | undefined) ?? []).map(textOf));
    if (!audiences.some((x) => AUDIENCES.includes(x))) throw invalid('the audience is not urn:amazon:webservices');
    const window = (attrs: Record<string, string> | undefined, what: string) => {
      if (!attrs) return;
      if (attrs.NotBefore !== undefined && now + SKEW_MS < Date.parse(attrs.NotBefore)) throw invalid(`${what} is not yet valid`);
      if (attrs.NotOnOrAfter !== undefined) {
        const t = Date.parse(attrs.NotOnOrAfter);
        if (!(now - SKEW_MS < t)) throw invalid(`${what} has expired`);
      }
    };
    window(conditions?.$, 'the assertion');
    const confirmations = ((a.Subject as Xml[] | undefined)?.[0]?.SubjectConfirmation as Xml[] | undefined) ?? [];
    const data = (confirmations.find((c) => c.$?.Method === 'urn:oasis:names:tc:SAML:2.0:cm:bearer')?.SubjectConfirmationData as Xml[] | undefined)?.[0]?.$;
    if (!data) throw invalid('no bearer SubjectConfirmationData');
    if (data.Recipient !== RECIPIENT) throw invalid('wrong Recipient');
    if (data.NotOnOrAfter === undefined) throw invalid('the subject confirmation has no NotOnOrAfter');
    window(data, 'the subject confirmation');
  }

  private async metadataOf(url: string): Promise<IdpMetadata> {
    const now = this.deps.clock.now();
    const hit = this.metadata.get(url);
    if (hit && now - hit.at < CACHE_MS) return hit.md;
    const res = await this.deps.fetchFrom(url, 'The SAML metadata');
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new ExternalServiceException(`The SAML metadata could not be read (HTTP ${res.status}).`);
    }
    let md: IdpMetadata;
    try {
      // The body is read inside: a stalled, broken or oversized one is the provider's failure too.
      md = parseIdpMetadata(await readMetadataBody(res, 'of the provider'), now);
    } catch (e) {
      if (e instanceof MetadataError) throw new ExternalServiceException(e.message);
      throw e;
    }
    this.metadata.set(url, { at: now, md });
    return md;
  }
}

const textOf = (x: unknown): string => (typeof x === 'string' ? x : typeof (x as { _?: unknown })?._ === 'string' ? (x as { _: string })._ : '');

/** Role ARNs of "role,provider" pairs (either order) naming this provider. */
function rolesOf(value: unknown, providerArn: string): string[] {
  const values = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  const out: string[] = [];
  for (const v of values) {
    const parts = v.split(',').map((p) => p.trim());
    const role = parts.find((p) => /:role\//.test(p));
    const provider = parts.find((p) => /:saml-provider\//.test(p));
    if (role && provider === providerArn) out.push(role);
  }
  return out;
}
