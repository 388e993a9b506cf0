// IdP metadata as CreateIdentityProvider reads it (src/federation/saml-metadata.ts): the IdP entity
// found inside an EntitiesDescriptor, signing certificates only (encryption keys skipped), expiry
// judged at the time given, the HTTP-Redirect endpoints (or the HTTP-POST SSO endpoint of an IdP
// without them), and each unusable document refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MetadataError, parseIdpMetadata } from '../../src/federation/saml-metadata.js';

const dir = mkdtempSync(join(tmpdir(), 'md-unit-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=unit', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
const CERT = readFileSync(join(dir, 'c.pem'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
rmSync(dir, { recursive: true, force: true });

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const key = (use: string | null) =>
  `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${CERT}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
const idp = (inner: string, attrs = '') =>
  `<md:EntityDescriptor entityID="https://idp.example.com/e"><md:IDPSSODescriptor${attrs} protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}</md:IDPSSODescriptor></md:EntityDescriptor>`;
const wrap = (body: string) =>
  `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">` +
  `<md:EntityDescriptor entityID="https://sp.example.com"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>${body}</md:EntitiesDescriptor>`;
const sso = (binding: string) => `<md:SingleSignOnService Binding="${binding}" Location="https://idp.example.com/sso"/>`;
const now = Date.now();

test('the IdP entity inside an EntitiesDescriptor: entity id, signing certificates, redirect endpoints', () => {
  const md = parseIdpMetadata(
    wrap(idp(`${key('signing')}${key('encryption')}${key(null)}<md:SingleLogoutService Binding="${REDIRECT}" Location="https://idp.example.com/slo"/>${sso(POST)}${sso(REDIRECT)}`, ' WantAuthnRequestsSigned="true"')),
    now,
  );
  assert.equal(md.entityId, 'https://idp.example.com/e');
  assert.equal(md.certificates.length, 2, 'signing and unspecified use; the encryption key is skipped');
  assert.equal(md.ssoRedirect, 'https://idp.example.com/sso');
  assert.equal(md.sloRedirect, 'https://idp.example.com/slo');
  assert.equal(md.wantAuthnRequestsSigned, true);
});

test('an IdP with the HTTP-POST binding only: its POST endpoint (beyond Cognito); with both, the redirect one alone', () => {
  const postOnly = parseIdpMetadata(wrap(idp(`${key('signing')}${sso(POST)}`)), now);
  assert.equal(postOnly.ssoPost, 'https://idp.example.com/sso');
  assert.equal(postOnly.ssoRedirect, undefined);
  const both = parseIdpMetadata(wrap(idp(`${key('signing')}${sso(POST)}${sso(REDIRECT)}`)), now);
  assert.equal(both.ssoRedirect, 'https://idp.example.com/sso');
  assert.equal(both.ssoPost, undefined);
});

test('unusable metadata is refused', () => {
  const refused = (xml: string, at = now, why?: RegExp) => assert.throws(() => parseIdpMetadata(xml, at), (e: unknown) => e instanceof MetadataError && (!why || why.test((e as Error).message)));
  refused('<not xml', now, /well-formed/);
  refused(wrap(''), now, /IDPSSODescriptor/);
  refused(wrap(idp(`${key('encryption')}${sso(REDIRECT)}`)), now, /no signing certificate/);
  refused(wrap(idp(`${key('signing').replace(CERT, 'AAAA')}${sso(REDIRECT)}`)), now, /cannot be read/);
  refused(wrap(idp(`${key('signing')}${sso(REDIRECT)}`)), now + 40 * 24 * 3600_000, /expired/);
  refused(wrap(idp(`${key('signing')}${sso('urn:oasis:names:tc:SAML:2.0:bindings:SOAP')}`)), now, /HTTP-Redirect or HTTP-POST/);
  refused(wrap(idp(`${key('signing')}${sso(REDIRECT)}`).replace(' entityID="https://idp.example.com/e"', '')), now, /entityID/);
  refused(`<x>${'y'.repeat(140_000)}</x>`, now, /longer/);
});
