// The pool's SAML certificate is renewed once a year, as Cognito does: GetSigningCertificate, the SP
// metadata and ActiveEncryptionCertificate give the new one, over the same key, so an IdP that
// still holds last year's certificate keeps verifying the pool's signed AuthnRequests. The server's
// clock is moved by hand; both engines.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CreateIdentityProviderCommand, DescribeIdentityProviderCommand, GetSigningCertificateCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../src/clock.js';
import { get, seedOAuthPool, seedWebClient, type OAuthSetup } from '../oauth/support.js';
import { engines, startServer, type TestServer } from '../support/server.js';
import { startSamlIdp, type SamlIdp } from './saml-idp.js';

const DAY = 24 * 3600_000;
const x509 = (body: string) => new X509Certificate(Buffer.from(body, 'base64'));
const spki = (c: X509Certificate) => c.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');

for (const engine of engines) {
  describe(`SAML certificate renewal (${engine})`, () => {
    const clock = new ManualClock();
    let s: TestServer;
    let o: OAuthSetup;
    let idp: SamlIdp;
    let clientId: string;

    before(async () => {
      s = await startServer({ engine, clock });
      o = await seedOAuthPool(s);
      idp = await startSamlIdp({ certificateDays: 3 * 365 });
      await s.idp.send(
        new CreateIdentityProviderCommand({
          UserPoolId: o.poolId,
          ProviderName: 'Corp',
          ProviderType: 'SAML',
          ProviderDetails: { MetadataFile: idp.metadata, RequestSigningAlgorithm: 'rsa-sha256', EncryptedResponses: 'true' },
        }),
      );
      clientId = (await seedWebClient(s, o.poolId, { SupportedIdentityProviders: ['Corp'] })).clientId;
    });
    after(async () => {
      await idp?.close();
      await s?.close();
    });

    /** Moves the server's clock, and the admin client's signing clock with it. */
    const advance = (ms: number) => {
      clock.advance(ms);
      s.idp.config.systemClockOffset = clock.now() - Date.now();
    };
    const certificate = async () => (await s.idp.send(new GetSigningCertificateCommand({ UserPoolId: o.poolId }))).Certificate!;
    const encryptionCertificate = async () =>
      (await s.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: 'Corp' }))).IdentityProvider!.ProviderDetails!.ActiveEncryptionCertificate;
    const metadata = async () => (await (await get(`${o.base}/saml2/metadata`)).text()).replace(/\s+/g, '');
    /** A signed AuthnRequest sent to the IdP (HTTP-Redirect), as the IdP saw it. */
    const authnRequest = async () => {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: 'http://localhost:5999/callback', scope: 'openid', identity_provider: 'Corp' });
      const r = await fetch(`${o.base}/oauth2/authorize?${q}`, { redirect: 'manual' });
      assert.equal(r.status, 302);
      const to = r.headers.get('location')!;
      assert.ok(to.startsWith(`${idp.url}/sso?`), to);
      assert.equal((await fetch(to)).status, 200);
      return idp.requests.at(-1)!;
    };

    test('a year on, a new certificate over the same key; the old one stays valid and still verifies', async () => {
      const first = await certificate();
      idp.spCertificate = first;
      assert.equal(await encryptionCertificate(), first);
      assert.ok((await metadata()).includes(first));
      const signed = await authnRequest();
      assert.equal(signed.signed, true);
      assert.equal(signed.signatureValid, true);

      advance(300 * DAY);
      assert.equal(await certificate(), first, 'not yet a year');

      advance(70 * DAY);
      const second = await certificate();
      assert.notEqual(second, first, 'renewed after a year');
      const [a, b] = [x509(first), x509(second)];
      assert.equal(spki(b), spki(a), 'the same key');
      assert.ok(b.verify(b.publicKey), 'self-signed');
      assert.ok(Date.parse(b.validFrom) >= Date.parse(a.validFrom) + 365 * DAY, 'issued now');
      assert.ok(Date.parse(b.validTo) - clock.now() > 9 * 365 * DAY, 'valid ten years from now');
      assert.ok(Date.parse(a.validTo) > clock.now(), 'the old one is still within its validity');
      assert.notEqual(b.serialNumber, a.serialNumber);
      assert.equal(await encryptionCertificate(), second);
      const md = await metadata();
      assert.ok(md.includes(second) && !md.includes(first), 'the metadata names the new certificate');

      // An IdP that still holds the first certificate verifies the requests signed now.
      const later = await authnRequest();
      assert.equal(later.signatureValid, true);

      advance(DAY);
      assert.equal(await certificate(), second, 'one renewal per year');
    });
  });
}
