// A SAML 2.0 identity provider for the federation tests, a real protocol peer on localhost:
//   GET  /metadata   its metadata (entityID, signing certificate, SSO and SLO, HTTP-Redirect)
//   GET  /sso        HTTP-Redirect AuthnRequest: inflated, parsed, its query signature checked
//                    against `spCertificate` when signed; answers a login form
//   POST /sso-post   HTTP-POST AuthnRequest (base64 XML, its XML signature checked the same way);
//                    the SSO endpoint of the metadata instead of /sso with `{ ssoBinding: 'post' }`
//   POST /login      signs in the name typed (attributes from `users`) and auto-posts a signed
//                    Response (assertion signed with xml-crypto, rsa-sha256) to the request's ACS
//   GET  /slo        HTTP-Redirect LogoutRequest: recorded, answered with a signed LogoutResponse
//                    to `spLogoutUrl`; or the SP's LogoutResponse to the IdP's own LogoutRequest
//                    (`logoutRequestUrl(nameID)`), recorded
// `logoutRequestPost(nameID)` is the IdP's LogoutRequest for the HTTP-POST binding (XML signature),
// as an IdP's page posts it cross-site; `sessionIndexes` holds the SessionIndex last issued per NameID.
// Its key and certificate come from openssl. `response()` builds responses directly, with knobs
// for the refusal tests (broken signature, audience, times, InResponseTo); `encryptedResponse()`
// encrypts the signed assertion to the SP's certificate (xml-encryption).
import { execFileSync } from 'node:child_process';
import { X509Certificate, createSign, createVerify, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';

export interface AuthnRequestSeen {
  id: string;
  issuer: string;
  acs: string;
  signed: boolean;
  signatureValid?: boolean;
  binding: 'redirect' | 'post';
}

export interface ResponseOptions {
  acs: string;
  audience: string;
  nameID: string;
  attributes?: Record<string, string>;
  inResponseTo?: string;
  /** Shift of every time in the assertion, ms (negative: issued in the past). */
  shiftMs?: number;
  lifetimeMs?: number;
  breakSignature?: boolean;
  /** No signature at all. */
  unsigned?: boolean;
  issuer?: string;
}

export interface SamlIdp {
  url: string;
  entityId: string;
  metadataUrl: string;
  metadata: string;
  certificate: string;
  users: Map<string, Record<string, string>>;
  requests: AuthnRequestSeen[];
  logoutRequests: { id: string; nameID: string; signatureValid: boolean }[];
  logoutResponses: { inResponseTo: string; status: string; signatureValid: boolean; relay: string | null }[];
  /** The last Response posted to an ACS by the login form, with its RelayState. */
  posted: { SAMLResponse: string; RelayState: string }[];
  spCertificate?: string;
  spLogoutUrl?: string;
  response(o: ResponseOptions): string;
  encryptedResponse(o: ResponseOptions, spCertificate: string): Promise<string>;
  logoutRequestUrl(nameID: string): string;
  /** The form fields of a signed LogoutRequest in the HTTP-POST binding (`sessionIndex` included if given). */
  logoutRequestPost(nameID: string, sessionIndex?: string): { SAMLRequest: string; RelayState: string };
  /** Posts that LogoutRequest to `spLogoutUrl` from the IdP's origin, without cookies (redirects not followed). */
  postLogoutRequest(nameID: string, sessionIndex?: string): Promise<Response>;
  /** NameID -> the SessionIndex of the last assertion issued for it. */
  sessionIndexes: Map<string, string>;
  close(): Promise<void>;
}

const SIG_ALG = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

function opensslKeyPair(days = 30): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'saml-idp-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', String(days), '-subj', '/CN=Test SAML IdP', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A certificate as PEM, from PEM or from the base64 body. */
const asPem = (cert: string) => (cert.includes('BEGIN') ? cert : `-----BEGIN CERTIFICATE-----\n${cert.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);

/** Checks an HTTP-Redirect binding signature (SAML bindings §3.4.4.1) over the raw query. */
function redirectSignatureValid(rawQuery: string, certPem: string | undefined): boolean | undefined {
  const parts = rawQuery.split('&');
  const raw = (k: string) => parts.find((p) => p.startsWith(`${k}=`));
  const sig = raw('Signature');
  if (!sig) return undefined;
  if (!certPem) return false;
  const pem = asPem(certPem);
  const signed = [raw('SAMLRequest') ?? raw('SAMLResponse'), raw('RelayState'), raw('SigAlg')].filter(Boolean).join('&');
  return createVerify('RSA-SHA256').update(signed).verify(pem, decodeURIComponent(sig.slice('Signature='.length)), 'base64');
}

/** Whether a POST-binding message's enveloped XML signature verifies with `certPem` (undefined: unsigned). */
function postSignatureValid(xml: string, certPem: string | undefined): boolean | undefined {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0];
  if (!signature) return undefined;
  if (!certPem) return false;
  const sig = new SignedXml({ publicCert: asPem(certPem) });
  sig.loadSignature(signature as unknown as Node);
  try {
    return sig.checkSignature(xml);
  } catch {
    return false;
  }
}

/** `certificateDays`: how long the IdP's own certificate is valid (30 days unless a test moves the clock further). */
export async function startSamlIdp(opts: { ssoBinding?: 'redirect' | 'post'; certificateDays?: number } = {}): Promise<SamlIdp> {
  const { key, cert } = opensslKeyPair(opts.certificateDays);
  let url = '';
  const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');

  function build(o: ResponseOptions): { head: string; assertion: string } {
    const now = Date.now() + (o.shiftMs ?? 0);
    const life = o.lifetimeMs ?? 5 * 60_000;
    const rid = `_r${randomBytes(16).toString('hex')}`;
    const aid = `_a${randomBytes(16).toString('hex')}`;
    const sessionIndex = `_s${randomBytes(8).toString('hex')}`;
    idp.sessionIndexes.set(o.nameID, sessionIndex);
    const issuer = o.issuer ?? idp.entityId;
    const irt = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '';
    const attrs = Object.entries(o.attributes ?? {})
      .map(([n, v]) => `<saml:Attribute Name="${esc(n)}"><saml:AttributeValue>${esc(v)}</saml:AttributeValue></saml:Attribute>`)
      .join('');
    const assertion =
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${aid}" Version="2.0" IssueInstant="${iso(now)}">` +
      `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(o.nameID)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(now + life)}" Recipient="${esc(o.acs)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(now - 30_000)}" NotOnOrAfter="${iso(now + life)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${sessionIndex}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attrs ? `<saml:AttributeStatement>${attrs}</saml:AttributeStatement>` : '') +
      `</saml:Assertion>`;
    const head =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${rid}" Version="2.0" IssueInstant="${iso(now)}" Destination="${esc(o.acs)}"${irt}>` +
      `<saml:Issuer>${esc(issuer)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`;
    if (o.unsigned) return { head, assertion };
    const sig = new SignedXml({ privateKey: key, publicCert: cert, signatureAlgorithm: SIG_ALG, canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
    sig.addReference({
      xpath: "/*[local-name(.)='Assertion']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    sig.computeSignature(assertion, { location: { reference: "/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
    let signed = sig.getSignedXml();
    if (o.breakSignature) signed = signed.replace(`>${esc(o.nameID)}</saml:NameID>`, `>mallory@example.com</saml:NameID>`);
    return { head, assertion: signed };
  }

  function response(o: ResponseOptions): string {
    const { head, assertion } = build(o);
    return Buffer.from(`${head}${assertion}</samlp:Response>`).toString('base64');
  }

  /** A response whose signed assertion is encrypted to `spCertificate` (AES-256-GCM, RSA-OAEP). */
  async function encryptedResponse(o: ResponseOptions, spCertificate: string): Promise<string> {
    const { head, assertion } = build(o);
    const pem = `-----BEGIN CERTIFICATE-----\n${spCertificate.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    const encrypted = await new Promise<string>((resolve, reject) =>
      xmlenc.encrypt(
        assertion,
        {
          rsa_pub: new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }) as string,
          pem,
          encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
          keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        },
        (err: Error | null, out: string) => (err ? reject(err) : resolve(out)),
      ),
    );
    return Buffer.from(`${head}<saml:EncryptedAssertion>${encrypted}</saml:EncryptedAssertion></samlp:Response>`).toString('base64');
  }

  /** A URL that sends the browser to the SP with the IdP's own signed LogoutRequest for `nameID`. */
  function logoutRequestUrl(nameID: string): string {
    const xml =
      `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_q${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${iso(Date.now())}" Destination="${esc(idp.spLogoutUrl ?? '')}">` +
      `<saml:Issuer>${esc(idp.entityId)}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(nameID)}</saml:NameID></samlp:LogoutRequest>`;
    return signedRedirect(idp.spLogoutUrl ?? '', 'SAMLRequest', xml, 'idp-logout-relay');
  }

  function logoutRequestPost(nameID: string, sessionIndex?: string): { SAMLRequest: string; RelayState: string } {
    const xml =
      `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_q${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${iso(Date.now())}" Destination="${esc(idp.spLogoutUrl ?? '')}">` +
      `<saml:Issuer>${esc(idp.entityId)}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(nameID)}</saml:NameID>` +
      (sessionIndex ? `<samlp:SessionIndex>${esc(sessionIndex)}</samlp:SessionIndex>` : '') +
      `</samlp:LogoutRequest>`;
    const sig = new SignedXml({ privateKey: key, publicCert: cert, signatureAlgorithm: SIG_ALG, canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
    sig.addReference({
      xpath: "/*[local-name(.)='LogoutRequest']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    sig.computeSignature(xml, { location: { reference: "/*[local-name(.)='LogoutRequest']/*[local-name(.)='Issuer']", action: 'after' } });
    return { SAMLRequest: Buffer.from(sig.getSignedXml()).toString('base64'), RelayState: 'idp-post-logout-relay' };
  }

  function signedRedirect(target: string, param: 'SAMLResponse' | 'SAMLRequest', xml: string, relay: string | null): string {
    let q = `${param}=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`;
    if (relay) q += `&RelayState=${encodeURIComponent(relay)}`;
    q += `&SigAlg=${encodeURIComponent(SIG_ALG)}`;
    const signature = createSign('RSA-SHA256').update(q).sign(key, 'base64');
    return `${target}${target.includes('?') ? '&' : '?'}${q}&Signature=${encodeURIComponent(signature)}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', url);
    const rawQuery = (req.url ?? '').split('?')[1] ?? '';
    if (req.method === 'GET' && u.pathname === '/metadata') {
      return void res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(idp.metadata);
    }
    const post = req.method === 'POST' && u.pathname === '/sso-post';
    if ((req.method === 'GET' && u.pathname === '/sso') || post) {
      let xml: string;
      let form = u.searchParams;
      if (post) {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        xml = Buffer.from(form.get('SAMLRequest') ?? '', 'base64').toString('utf8');
      } else {
        xml = inflateRawSync(Buffer.from(form.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
      }
      const doc = parse(xml).documentElement!;
      const postSignature = post ? postSignatureValid(xml, idp.spCertificate) : undefined;
      const seen: AuthnRequestSeen = {
        id: doc.getAttribute('ID') ?? '',
        acs: doc.getAttribute('AssertionConsumerServiceURL') ?? '',
        issuer: doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0]?.textContent ?? '',
        signed: post ? postSignature !== undefined : form.has('Signature'),
        signatureValid: post ? postSignature : redirectSignatureValid(rawQuery, idp.spCertificate),
        binding: post ? 'post' : 'redirect',
      };
      idp.requests.push(seen);
      const relay = form.get('RelayState') ?? '';
      const page =
        `<!DOCTYPE html><title>Test IdP</title><h1>Test IdP sign-in</h1><form method="post" action="/login">` +
        `<input type="hidden" name="id" value="${esc(seen.id)}"><input type="hidden" name="acs" value="${esc(seen.acs)}"><input type="hidden" name="sp" value="${esc(seen.issuer)}">` +
        `<input type="hidden" name="relay" value="${esc(relay)}"><label>User <input name="username"></label><button type="submit">Sign in</button></form>`;
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    }
    if (req.method === 'POST' && u.pathname === '/login') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const f = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const name = f.get('username') ?? '';
      const SAMLResponse = response({ acs: f.get('acs')!, audience: f.get('sp')!, nameID: name, attributes: idp.users.get(name) ?? {}, inResponseTo: f.get('id')! });
      const RelayState = f.get('relay') ?? '';
      idp.posted.push({ SAMLResponse, RelayState });
      const page =
        `<!DOCTYPE html><title>Posting</title><form id="f" method="post" action="${esc(f.get('acs')!)}">` +
        `<input type="hidden" name="SAMLResponse" value="${esc(SAMLResponse)}"><input type="hidden" name="RelayState" value="${esc(RelayState)}"></form>` +
        `<script>document.getElementById('f').submit()</script>`;
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    }
    if (req.method === 'GET' && u.pathname === '/slo' && u.searchParams.has('SAMLResponse')) {
      // The SP's answer to the IdP's own LogoutRequest.
      const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLResponse') ?? '', 'base64')).toString('utf8');
      const doc = parse(xml).documentElement!;
      const status = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:protocol', 'StatusCode')[0]?.getAttribute('Value') ?? '';
      idp.logoutResponses.push({ inResponseTo: doc.getAttribute('InResponseTo') ?? '', status, signatureValid: redirectSignatureValid(rawQuery, idp.spCertificate) === true, relay: u.searchParams.get('RelayState') });
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><title>IdP</title><p>signed out at the IdP</p>');
    }
    if (req.method === 'GET' && u.pathname === '/slo') {
      const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
      const doc = parse(xml).documentElement!;
      const id = doc.getAttribute('ID') ?? '';
      const nameID = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'NameID')[0]?.textContent ?? '';
      idp.logoutRequests.push({ id, nameID, signatureValid: redirectSignatureValid(rawQuery, idp.spCertificate) === true });
      const answer =
        `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${iso(Date.now())}" Destination="${esc(idp.spLogoutUrl ?? '')}" InResponseTo="${esc(id)}">` +
        `<saml:Issuer>${esc(idp.entityId)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
      return void res.writeHead(302, { location: signedRedirect(idp.spLogoutUrl ?? '', 'SAMLResponse', answer, u.searchParams.get('RelayState')) }).end();
    }
    res.writeHead(404).end();
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e?.stack ?? e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://localhost:${(server.address() as { port: number }).port}`;
  const entityId = `${url}/idp`;
  const metadata =
    `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${url}/slo"/>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    (opts.ssoBinding === 'post'
      ? `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${url}/sso-post"/>`
      : `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${url}/sso"/>`) +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;
  const idp: SamlIdp = {
    url,
    entityId,
    metadataUrl: `${url}/metadata`,
    metadata,
    certificate: cert,
    users: new Map(),
    requests: [],
    logoutRequests: [],
    logoutResponses: [],
    posted: [],
    response,
    encryptedResponse,
    logoutRequestUrl,
    logoutRequestPost,
    postLogoutRequest: (nameID, sessionIndex) => {
      const fields = logoutRequestPost(nameID, sessionIndex);
      // As the IdP's auto-posting page would, from the IdP's origin: the SP's cookies do not come along.
      return fetch(idp.spLogoutUrl ?? '', {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, referer: `${url}/slo` },
        body: new URLSearchParams(fields).toString(),
      });
    },
    sessionIndexes: new Map(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return idp;
}
