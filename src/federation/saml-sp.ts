// Tessera as a SAML 2.0 service provider of one pool, on @node-saml/node-saml:
//   entity id        urn:amazon:cognito:sp:<poolId> (as Cognito names it; the audience)
//   ACS              <domain>/saml2/idpresponse (HTTP-POST)
//   single logout    <domain>/saml2/logout (HTTP-Redirect or POST)
// node-saml checks the XML signature (the response's or the assertion's, against the metadata's
// certificates), decrypts an EncryptedAssertion with the pool's key, checks the audience and
// InResponseTo (through a cache that knows only the request id sealed into the relay state).
// Tessera checks the rest itself, on app.clock: the Issuer is the metadata's entityID, the
// Destination and the bearer SubjectConfirmationData's Recipient are this ACS, NotBefore /
// NotOnOrAfter of the conditions and of the confirmation hold within SKEW_MS, and the assertion
// ID was never used before (replay; kept until its NotOnOrAfter has passed).
import { SAML, ValidateInResponseTo, generateServiceProviderMetadata, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import type { App } from '../app.js';
import type { Hosted } from '../oauth/http.js';
import { FederationError } from './oidc-client.js';
import type { IdentityProvider } from './providers.js';
import { certificateBody, spKeyOf } from './saml-keys.js';
import { MetadataError, idpMetadataOf, type IdpMetadata } from './saml-metadata.js';

export const NAME_ID_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';
const SKEW_MS = 60_000;
const REPLAY_FALLBACK_MS = 60 * 60_000;

export const spEntityId = (poolId: string) => `urn:amazon:cognito:sp:${poolId}`;
export const acsUrl = (h: Hosted) => `${h.baseUrl}/saml2/idpresponse`;
export const sloUrl = (h: Hosted) => `${h.baseUrl}/saml2/logout`;

/** A verified sign-in: the claims AttributeMapping reads, and what single logout needs later. */
export interface SamlSignIn {
  claims: Record<string, unknown>;
  nameID: string;
  nameIDFormat?: string;
  sessionIndex?: string;
}

/** The provider's metadata, or a FederationError with Cognito's kind of text. */
export async function metadataFor(app: App, p: IdentityProvider): Promise<IdpMetadata> {
  try {
    return await idpMetadataOf(p.details, app.clock.now());
  } catch (e) {
    if (e instanceof MetadataError) throw new FederationError(`${p.name} Error - ${e.message}`);
    throw e;
  }
}

/** A node-saml SP for this request, provider and (optionally) the one request id it may answer. */
async function spFor(h: Hosted, p: IdentityProvider, md: IdpMetadata, o: { requestId?: string; inResponseTo: ValidateInResponseTo }): Promise<SAML> {
  const key = await spKeyOf(h.app, p.poolId);
  const sign = p.details.RequestSigningAlgorithm === 'rsa-sha256' || md.wantAuthnRequestsSigned;
  const cache: CacheProvider = {
    saveAsync: async () => null,
    // node-saml compares this "issued at" with its own wall clock; the state's expiry (on app.clock)
    // is what bounds the request's life.
    getAsync: async (id) => (o.requestId !== undefined && id === o.requestId ? new Date().toISOString() : null),
    removeAsync: async () => null,
  };
  return new SAML({
    issuer: spEntityId(p.poolId),
    audience: spEntityId(p.poolId),
    callbackUrl: acsUrl(h),
    entryPoint: md.ssoRedirect ?? md.ssoPost,
    logoutUrl: md.sloRedirect ?? md.ssoRedirect ?? md.ssoPost,
    // HTTP-POST: the AuthnRequest goes as base64 XML (not deflated), signed inside the XML.
    ...(md.ssoRedirect ? {} : { authnRequestBinding: 'HTTP-POST', skipRequestCompression: true }),
    logoutCallbackUrl: sloUrl(h),
    idpCert: md.certificates,
    idpIssuer: md.entityId,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    wantAuthnResponseSigned: false, // the response or its assertion: node-saml wants one of them signed
    wantAssertionsSigned: false,
    acceptedClockSkewMs: -1, // times are checked below, on app.clock
    validateInResponseTo: o.inResponseTo,
    cacheProvider: cache,
    generateUniqueId: () => o.requestId ?? `_${Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString('hex')}`,
    decryptionPvk: key.privateKey,
    ...(sign ? { privateKey: key.privateKey, signatureAlgorithm: 'sha256' as const } : {}),
  });
}

/** How the AuthnRequest reaches the IdP: a redirect, or a form the browser posts. */
export type AuthnRequestDelivery = { redirect: string } | { post: { action: string; fields: Record<string, string> } };

/**
 * The AuthnRequest of id `requestId` (signed when configured): the IdP's SSO URL carrying it
 * deflated (HTTP-Redirect), or, for an IdP with only the HTTP-POST binding, the form fields.
 */
export async function authnRequest(h: Hosted, p: IdentityProvider, md: IdpMetadata, requestId: string, relayState: string): Promise<AuthnRequestDelivery> {
  const sp = await spFor(h, p, md, { requestId, inResponseTo: ValidateInResponseTo.never });
  if (md.ssoRedirect) return { redirect: await sp.getAuthorizeUrlAsync(relayState, undefined, {}) };
  const message = await sp.getAuthorizeMessageAsync(relayState, undefined, {});
  return { post: { action: md.ssoPost!, fields: Object.fromEntries(Object.entries(message).map(([k, v]) => [k, String(v)])) } };
}

/**
 * Verifies a posted SAMLResponse. With `requestId` (SP-initiated) the response must answer that
 * request; without (IdP-initiated) it must answer none.
 */
export async function verifySamlResponse(h: Hosted, p: IdentityProvider, md: IdpMetadata, samlResponse: string, requestId?: string): Promise<SamlSignIn> {
  const invalid = (why: string) => new FederationError(`Invalid SAML response received: ${why}`);
  const sp = await spFor(h, p, md, { requestId, inResponseTo: requestId ? ValidateInResponseTo.always : ValidateInResponseTo.ifPresent });
  let profile: Profile | null;
  try {
    ({ profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (e) {
    throw invalid(libraryReason(e));
  }
  if (!profile?.getAssertion) throw invalid('no assertion');
  const outer = responseOutline(samlResponse);
  if (p.details.EncryptedResponses === 'true' && !outer.encrypted) throw invalid('the assertion is not encrypted');
  if (profile.issuer !== md.entityId) throw invalid('the issuer is not the identity provider of the metadata');
  if (outer.destination !== undefined && outer.destination !== acsUrl(h)) throw invalid('wrong Destination');
  const assertion = (profile.getAssertion() as { Assertion: Xml }).Assertion;
  const now = h.app.clock.now();
  const notAfter = checkWindow(assertion, now, acsUrl(h), invalid);
  const id = assertion.$?.ID;
  if (!id) throw invalid('the assertion has no ID');
  if (!(await h.app.store.auth.useOnce(`saml-assertion:${p.poolId}:${md.entityId}:${id}`, (notAfter ?? now + REPLAY_FALLBACK_MS) + SKEW_MS))) {
    throw invalid('the assertion was already used');
  }
  if (!profile.nameID) throw invalid('no NameID');
  // It travels in the hosted session's cookie: browsers keep cookies of up to 4 KB.
  if (Buffer.byteLength(profile.nameID) > MAX_NAME_ID_BYTES) throw invalid(`the NameID is longer than ${MAX_NAME_ID_BYTES} bytes`);
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries((profile.attributes as Record<string, unknown> | undefined) ?? {})) {
    claims[name] = Array.isArray(value) ? value.map(String).join(',') : value;
  }
  claims[NAME_ID_CLAIM] = profile.nameID;
  return { claims, nameID: profile.nameID, nameIDFormat: profile.nameIDFormat, sessionIndex: profile.sessionIndex };
}

/** The longest NameID taken (SAML's e-mail and X.509 subject forms are far shorter). */
const MAX_NAME_ID_BYTES = 1024;

/**
 * Why the SAML library refused a response, fit to show the app: the XML parser's own messages
 * (positions, the input it choked on) become one plain reason; others keep their first line.
 */
function libraryReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/\[xmldom |invalid doc source|not well-formed/i.test(message)) return 'the message is not well-formed XML';
  const first = message.split('\n')[0]!.trim();
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

type Xml = { $?: Record<string, string> } & { [child: string]: Xml[] | Record<string, string> | undefined };

/** The time window and recipient checks of the file comment; returns the latest NotOnOrAfter. */
function checkWindow(a: Xml, now: number, acs: string, invalid: (why: string) => Error): number | undefined {
  const times: number[] = [];
  const check = (attrs: Record<string, string> | undefined, what: string) => {
    if (!attrs) return;
    if (attrs.NotBefore !== undefined && now + SKEW_MS < Date.parse(attrs.NotBefore)) throw invalid(`${what} is not yet valid`);
    if (attrs.NotOnOrAfter !== undefined) {
      const t = Date.parse(attrs.NotOnOrAfter);
      if (!(now - SKEW_MS < t)) throw invalid(`${what} has expired`);
      times.push(t);
    }
  };
  check((a.Conditions as Xml[] | undefined)?.[0]?.$, 'the assertion');
  const confirmations = ((a.Subject as Xml[] | undefined)?.[0]?.SubjectConfirmation as Xml[] | undefined) ?? [];
  const bearer = confirmations.find((c) => c.$?.Method === 'urn:oasis:names:tc:SAML:2.0:cm:bearer');
  const data = (bearer?.SubjectConfirmationData as Xml[] | undefined)?.[0]?.$;
  if (!data) throw invalid('no bearer SubjectConfirmationData');
  if (data.Recipient !== acs) throw invalid('wrong Recipient');
  if (data.NotOnOrAfter === undefined) throw invalid('the subject confirmation has no NotOnOrAfter');
  check(data, 'the subject confirmation');
  return times.length ? Math.max(...times) : undefined;
}

/** The Response element's Destination and whether its assertion came as an EncryptedAssertion. */
function responseOutline(samlResponse: string): { destination?: string; encrypted: boolean } {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  type Node = { localName?: string | null; getAttribute?(n: string): string | null; childNodes?: ArrayLike<Node> };
  const doc = new DOMParser({ errorHandler: { warning: () => {}, error: () => {}, fatalError: () => {} } }).parseFromString(xml, 'text/xml') as unknown as { documentElement?: Node };
  const root = doc?.documentElement;
  const children = Array.from(root?.childNodes ?? []);
  return { destination: root?.getAttribute?.('Destination') ?? undefined, encrypted: children.some((c) => c.localName === 'EncryptedAssertion') };
}

/** The IdP's SLO URL with a LogoutRequest of id `requestId` for the signed-in NameID. */
export async function logoutRequestUrl(h: Hosted, p: IdentityProvider, md: IdpMetadata, who: { nameID: string; nameIDFormat?: string; sessionIndex?: string }, requestId: string, relayState: string): Promise<string> {
  const sp = await spFor(h, p, md, { requestId, inResponseTo: ValidateInResponseTo.never });
  const profile = { issuer: md.entityId, nameID: who.nameID, nameIDFormat: who.nameIDFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', sessionIndex: who.sessionIndex } as Profile;
  return sp.getLogoutUrlAsync(profile, relayState, {});
}

/**
 * A LogoutResponse (answering `requestId`) or an IdP's LogoutRequest on /saml2/logout, in the
 * redirect binding (query signed, Signature required) or the POST binding (XML signature).
 */
export async function verifyLogoutMessage(h: Hosted, p: IdentityProvider, md: IdpMetadata, params: URLSearchParams, rawQuery: string, requestId?: string): Promise<{ request?: Profile }> {
  const invalid = (why: string) => new FederationError(`Invalid SAML logout message received: ${why}`);
  const sp = await spFor(h, p, md, { requestId, inResponseTo: requestId ? ValidateInResponseTo.always : ValidateInResponseTo.never });
  const container = Object.fromEntries(params.entries());
  try {
    if (h.req.method === 'GET') {
      if (!container.Signature) throw new Error('the message is not signed');
      const { profile } = await sp.validateRedirectAsync(container, rawQuery);
      return container.SAMLRequest ? { request: profile ?? undefined } : {};
    }
    if (container.SAMLRequest) {
      const { profile } = await sp.validatePostRequestAsync(container);
      return { request: profile ?? undefined };
    }
    const { loggedOut } = await sp.validatePostResponseAsync(container);
    if (!loggedOut) throw new Error('not a LogoutResponse');
    return {};
  } catch (e) {
    throw invalid((e as Error).message);
  }
}

/** The IdP's SLO URL with a LogoutResponse (success) to `request`. */
export async function logoutResponseUrl(h: Hosted, p: IdentityProvider, md: IdpMetadata, request: Profile, relayState: string): Promise<string> {
  const sp = await spFor(h, p, md, { inResponseTo: ValidateInResponseTo.never });
  return sp.getLogoutResponseUrlAsync(request, relayState, {}, true);
}

/** The pool's SP metadata document. */
export async function spMetadata(h: Hosted): Promise<string> {
  const key = await spKeyOf(h.app, h.domain.poolId);
  const xml = generateServiceProviderMetadata({
    issuer: spEntityId(h.domain.poolId),
    callbackUrl: acsUrl(h),
    logoutCallbackUrl: sloUrl(h),
    identifierFormat: null,
    wantAssertionsSigned: true,
    publicCerts: key.certificate,
    decryptionCert: key.certificate,
    // node-saml lists the certificates only when it holds the keys (it never signs the metadata here).
    privateKey: key.privateKey,
    decryptionPvk: key.privateKey,
  });
  // node-saml names the HTTP-POST binding only; /saml2/logout takes HTTP-Redirect (GET) as well.
  const post = /<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-POST" Location="([^"]*)"\/>/.exec(xml);
  if (!post) return xml;
  const redirect = `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${post[1]}"/>`;
  return xml.replace(post[0], `${post[0]}\n    ${redirect}`);
}

/**
 * The Issuer of a LogoutRequest on /saml2/logout, unverified (it only says which provider's
 * metadata to verify it with): deflated in the redirect binding (GET), plain in the POST one.
 */
export function issuerOfLogoutRequest(method: string, samlRequest: string): string | undefined {
  try {
    const bytes = Buffer.from(samlRequest, 'base64');
    const xml = (method === 'GET' ? inflateRawSync(bytes, { maxOutputLength: 1 << 20 }) : bytes).toString('utf8');
    type El = { localName?: string | null; textContent?: string | null; childNodes?: ArrayLike<El> };
    const doc = new DOMParser({ errorHandler: { warning: () => {}, error: () => {}, fatalError: () => {} } }).parseFromString(xml, 'text/xml') as unknown as { documentElement?: El };
    const root = doc?.documentElement;
    if (root?.localName !== 'LogoutRequest') return undefined;
    const issuer = Array.from(root.childNodes ?? []).find((c) => c.localName === 'Issuer');
    return issuer?.textContent?.trim() || undefined;
  } catch {
    return undefined;
  }
}

export { certificateBody };
