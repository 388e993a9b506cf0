// The pool's own SAML key pair (Tessera as a service provider): an RSA 2048 key and a self-signed
// X.509 certificate valid ten years, made on first use and kept in the settings table under
// `saml-sp-key:<poolId>` with the private key sealed (purpose 'saml-sp-key'). The first writer
// wins (setIfAbsent), so two processes making one at once agree on the stored one. The key signs
// AuthnRequests and LogoutRequests (RequestSigningAlgorithm rsa-sha256) and decrypts encrypted
// assertions (EncryptedResponses); the certificate is GetSigningCertificate's answer and is in the
// pool's SP metadata.
//
// Once a year, as Cognito does, the pool gets a new certificate over the same key: the newest is
// the one given out (GetSigningCertificate, metadata, ActiveEncryptionCertificate), the earlier ones
// stay valid to the end of their ten years, and since the key is the same an IdP that still holds
// an earlier one keeps verifying signatures and encrypting to the pool. The renewal is a
// compare-and-set on the stored value, so of two processes renewing at once one wins and the
// other takes its certificate.
//
// The certificate is DER built here (RFC 5280 §4.1: version 3, serial, sha256WithRSAEncryption,
// issuer = subject = CN=<poolId>, validity, the key's SubjectPublicKeyInfo) and signed with
// node:crypto; node's X509Certificate reads it back as a check.
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Store } from '../store/store.js';

/** What the key needs of an App (the App itself, or the federation service's deps). */
export interface KeyDeps {
  store: Store;
  sealer: Sealer;
  clock: Clock;
}

const PURPOSE = 'saml-sp-key';
const YEAR_MS = Math.round(365.25 * 24 * 3600_000);
const TEN_YEARS_MS = 10 * YEAR_MS;

export interface SpKey {
  /** PEM certificate, the newest. */
  certificate: string;
  /** PEM PKCS#8 private key (opened, in memory only). */
  privateKey: string;
}

interface Stored {
  /** The newest certificate (earlier ones need nothing kept: they certify the same key). */
  certificate: string;
  sealedKey: string;
}

/** An opened key and when its certificate is a year old (time to renew). */
interface Cached extends SpKey {
  renewAt: number;
}

const cache = new WeakMap<Store, Map<string, Cached>>();

/** The certificate's base64 DER, as GetSigningCertificate and metadata carry it. */
export function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

export async function spKeyOf(app: KeyDeps, poolId: string): Promise<SpKey> {
  let perApp = cache.get(app.store);
  if (!perApp) cache.set(app.store, (perApp = new Map()));
  const hit = perApp.get(poolId);
  if (hit && app.clock.now() < hit.renewAt) return { certificate: hit.certificate, privateKey: hit.privateKey };
  const key = `saml-sp-key:${poolId}`;
  let raw = await app.store.settings.get(key);
  if (!raw) raw = await app.store.settings.setIfAbsent(key, JSON.stringify(await generate(app, poolId)));
  let stored = JSON.parse(raw) as Stored;
  const privateKey = app.sealer.open(PURPOSE, stored.sealedKey)?.toString('utf8');
  if (!privateKey) throw new Error(`the SAML key of pool ${poolId} cannot be opened`);
  if (app.clock.now() >= renewalOf(stored.certificate)) {
    const renewed = JSON.stringify({ ...stored, certificate: certificatePem(privateKey, poolId, app.clock.now()) });
    // Another process may have renewed first: then its certificate is the one.
    if (await app.store.settings.replaceIf(key, raw, renewed)) raw = renewed;
    else {
      const now = await app.store.settings.get(key);
      if (!now) throw new Error(`the SAML key of pool ${poolId} disappeared while its certificate was renewed`);
      raw = now;
    }
    stored = JSON.parse(raw) as Stored;
  }
  const out = { certificate: stored.certificate, privateKey };
  perApp.set(poolId, { ...out, renewAt: renewalOf(stored.certificate) });
  return out;
}

/** When a certificate is a year old. */
function renewalOf(pem: string): number {
  return Date.parse(new X509Certificate(pem).validFrom) + YEAR_MS;
}

/**
 * A new certificate over the key, valid ten years from now; valid from an hour back, so that a
 * process whose clock runs ahead of the others' does not hand them one that is not valid yet.
 */
function certificatePem(privatePem: string, poolId: string, now: number): string {
  const der = selfSigned(privatePem, poolId, now - 3600_000, now + TEN_YEARS_MS);
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  new X509Certificate(pem); // throws if the DER were malformed
  return pem;
}

async function generate(app: KeyDeps, poolId: string): Promise<Stored> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certificate: certificatePem(pem, poolId, app.clock.now()), sealedKey: app.sealer.seal(PURPOSE, pem) };
}

// ---- DER ---------------------------------------------------------------------------------------

function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift((x & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  const year = new Date(ms).getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

function selfSigned(privatePem: string, commonName: string, notBefore: number, notAfter: number): Buffer {
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName)))), set(seq(oid('2.5.4.10'), tlv(0x0c, Buffer.from('Tessera')))));
  const serial = randomBytes(12);
  serial[0] &= 0x7f; // positive
  serial[0] |= 0x01; // no leading zero byte
  const spki = createPublicKey(createPrivateKey(privatePem)).export({ type: 'spki', format: 'der' });
  const tbs = seq(tlv(0xa0, tlv(0x02, Buffer.from([2]))), tlv(0x02, serial), sha256WithRsa, name, seq(time(notBefore), time(notAfter)), name, spki);
  const signature = sign('sha256', tbs, privatePem);
  return seq(tbs, sha256WithRsa, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}
