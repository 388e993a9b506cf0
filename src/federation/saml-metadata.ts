// A SAML IdP's metadata (ProviderDetails MetadataFile, or fetched from MetadataURL): the first
// EntityDescriptor with an IDPSSODescriptor gives
//   entityId        the Issuer its responses must carry
//   certificates    the KeyDescriptors for signing (use="signing" or no use), base64 DER; each must
//                   parse and not be expired at the time of reading (Cognito's rule)
//   ssoRedirect     the SingleSignOnService of the HTTP-Redirect binding (where AuthnRequests go)
//   ssoPost         the SingleSignOnService of the HTTP-POST binding: where they go, as a form the
//                   browser posts, when the IdP offers no redirect binding (beyond Cognito)
//   sloRedirect     the SingleLogoutService of the HTTP-Redirect binding, if any
// Anything else wrong is a MetadataError, which CreateIdentityProvider and UpdateIdentityProvider
// answer as InvalidParameterException. MetadataURL documents are cached ten minutes per URL.
import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';

/** The little of the DOM read here. */
interface El {
  namespaceURI: string | null;
  localName: string | null;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<El>;
}

export class MetadataError extends Error {}

export interface IdpMetadata {
  entityId: string;
  certificates: string[];
  /** At least one of the two SSO endpoints is there; the redirect binding is used when both are. */
  ssoRedirect?: string;
  ssoPost?: string;
  sloRedirect?: string;
  wantAuthnRequestsSigned: boolean;
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const MAX_CHARS = 131_072;
/** A fetched document of more bytes cannot be within MAX_CHARS characters worth reading. */
const MAX_BYTES = 4 * MAX_CHARS;
const TIMEOUT_MS = 10_000;
const TTL_MS = 10 * 60_000;
const fetched = new Map<string, { at: number; xml: string }>();

/** Parses and checks a metadata document at time `now` (epoch ms). */
export function parseIdpMetadata(xml: string, now: number): IdpMetadata {
  if (xml.length > MAX_CHARS) throw new MetadataError(`The SAML metadata is longer than ${MAX_CHARS} characters.`);
  let failure: string | undefined;
  const fail = (m: string) => {
    failure ??= m;
  };
  const doc = new DOMParser({ errorHandler: { warning: () => {}, error: fail, fatalError: fail } }).parseFromString(xml, 'text/xml') as unknown as
    | { documentElement: El | null; getElementsByTagNameNS(ns: string, name: string): ArrayLike<El> }
    | undefined;
  if (failure || !doc?.documentElement) throw new MetadataError('The SAML metadata is not well-formed XML.');
  const entities = [doc.documentElement, ...Array.from(doc.getElementsByTagNameNS(MD, 'EntityDescriptor'))].filter(
    (e) => e.namespaceURI === MD && e.localName === 'EntityDescriptor',
  );
  const entity = entities.find((e) => e.getElementsByTagNameNS(MD, 'IDPSSODescriptor').length > 0);
  if (!entity) throw new MetadataError('The SAML metadata has no EntityDescriptor with an IDPSSODescriptor.');
  const entityId = entity.getAttribute('entityID');
  if (!entityId) throw new MetadataError('The SAML metadata has no entityID.');
  const idp = entity.getElementsByTagNameNS(MD, 'IDPSSODescriptor')[0];

  const certificates: string[] = [];
  for (const kd of Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))) {
    const use = kd.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const c of Array.from(kd.getElementsByTagNameNS(DS, 'X509Certificate'))) {
      const body = (c.textContent ?? '').replace(/\s+/g, '');
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(Buffer.from(body, 'base64'));
      } catch {
        throw new MetadataError('A signing certificate in the SAML metadata cannot be read.');
      }
      if (Date.parse(cert.validTo) <= now) throw new MetadataError('A signing certificate in the SAML metadata has expired.');
      if (body.length > 4096) throw new MetadataError('A signing certificate in the SAML metadata is longer than 4096 characters.');
      certificates.push(body);
    }
  }
  if (!certificates.length) throw new MetadataError('The SAML metadata has no signing certificate.');

  const endpoint = (name: string, binding = REDIRECT) =>
    Array.from(idp.getElementsByTagNameNS(MD, name)).find((e) => e.getAttribute('Binding') === binding)?.getAttribute('Location') || undefined;
  const ssoRedirect = endpoint('SingleSignOnService');
  const ssoPost = ssoRedirect ? undefined : endpoint('SingleSignOnService', POST);
  if (!ssoRedirect && !ssoPost) throw new MetadataError('The SAML metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.');
  for (const url of [ssoRedirect ?? ssoPost, endpoint('SingleLogoutService')]) {
    if (url === undefined) continue;
    try {
      const u = new URL(url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    } catch {
      throw new MetadataError(`The SAML metadata names an endpoint that is not a URL: ${url}`);
    }
  }
  return {
    entityId,
    certificates,
    ...(ssoRedirect ? { ssoRedirect } : { ssoPost }),
    sloRedirect: endpoint('SingleLogoutService'),
    wantAuthnRequestsSigned: idp.getAttribute('WantAuthnRequestsSigned') === 'true',
  };
}

/** The metadata document of MetadataURL (cached; `fresh` skips the cache, as create/update do). */
export async function fetchMetadata(url: string, now: number, fresh = false): Promise<string> {
  const hit = fetched.get(url);
  if (!fresh && hit && now - hit.at < TTL_MS) return hit.xml;
  // One timer for the whole exchange, headers and body; no redirects: the URL given is the one
  // fetched (a redirect could lead anywhere, inside the network too).
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let xml: string;
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: abort.signal, redirect: 'error', headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } });
    } catch {
      throw new MetadataError(`The SAML metadata could not be fetched from ${url}.`);
    }
    if (!res.ok) {
      res.body?.cancel().catch(() => {});
      throw new MetadataError(`The SAML metadata could not be fetched from ${url} (HTTP ${res.status}).`);
    }
    xml = await readMetadataBody(res, `from ${url}`);
  } finally {
    clearTimeout(timer);
  }
  fetched.set(url, { at: now, xml });
  return xml;
}

/**
 * The body of a metadata response as text, read as it arrives and given up past MAX_BYTES (a
 * host cannot make Tessera hold more) or after `timeoutMs` (its own timer, whatever the fetch's
 * signal does). A body that stalls, breaks off or is too long is a MetadataError; `where`
 * completes the message ("from <url>").
 */
export async function readMetadataBody(res: Response, where: string, timeoutMs = TIMEOUT_MS): Promise<string> {
  const tooLong = () => new MetadataError(`The SAML metadata ${where} is larger than ${MAX_BYTES} bytes.`);
  if (Number(res.headers.get('content-length') ?? 0) > MAX_BYTES) {
    await res.body?.cancel().catch(() => {});
    throw tooLong();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MetadataError(`The SAML metadata ${where} took longer than ${timeoutMs / 1000} s to arrive.`)), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BYTES) throw tooLong();
      chunks.push(value);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    if (e instanceof MetadataError) throw e;
    throw new MetadataError(`The SAML metadata could not be read ${where}.`);
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The provider's metadata from its details (MetadataFile, else MetadataURL). */
export async function idpMetadataOf(details: Record<string, string>, now: number, fresh = false): Promise<IdpMetadata> {
  const xml = details.MetadataFile ?? (await fetchMetadata(details.MetadataURL, now, fresh));
  return parseIdpMetadata(xml, now);
}
