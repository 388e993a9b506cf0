// Fetching a SAML IdP's metadata from MetadataURL (user pools) or the identity pool's metadata tag,
// from hosts that misbehave: one that sends its headers and then stalls, one whose body never ends,
// one that redirects. Each is refused with the operation's own error (InvalidParameterException
// at CreateIdentityProvider, ExternalServiceException at GetId) or, at sign-in, the hosted UI's
// error redirect, never a 500; the endless body is given up early, and a redirect is not followed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { CreateIdentityPoolCommand, GetIdCommand, type CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CreateIdentityProviderCommand } from '@aws-sdk/client-cognito-identity-provider';
import { appClient, identityClient, rejectsWith } from '../api/identity/support.js';
import { CALLBACK, get, refused, seedOAuthPool, seedWebClient, type OAuthSetup } from '../oauth/support.js';
import { engines, startServer, type TestServer } from '../support/server.js';
import { startSamlIdp, type SamlIdp } from './saml-idp.js';

type Mode = 'ok' | 'stall' | 'endless' | 'redirect';

interface MetadataHost {
  url: string;
  mode: Mode;
  /** Paths requested, in order. */
  paths: string[];
  /** Bytes the endless body had written when the reader went away. */
  endlessWritten: number[];
  close(): Promise<void>;
}

/** Serves `metadata` at /good; any other path answers as `mode` says. */
async function startMetadataHost(metadata: string): Promise<MetadataHost> {
  const chunk = Buffer.alloc(64 * 1024, ' ');
  const host: MetadataHost = { url: '', mode: 'ok', paths: [], endlessWritten: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    host.paths.push(req.url ?? '');
    if (req.url === '/good' || host.mode === 'ok') {
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
      return res.end(metadata);
    }
    if (host.mode === 'redirect') {
      res.writeHead(302, { location: `${host.url}/good` });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
    res.write('<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor ');
    if (host.mode === 'stall') return; // headers and a start, then nothing (the socket stays open)
    // An endless body, written as fast as it is read, until the reader hangs up (or 256 MiB).
    let written = 0;
    let gone = false;
    res.on('close', () => {
      gone = true;
      host.endlessWritten.push(written);
    });
    const pump = () => {
      while (!gone && written < 256 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!gone) res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  host.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return host;
}

for (const engine of engines) {
  describe(`SAML metadata from hosts that stall, never end or redirect (${engine})`, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let idp: SamlIdp;
    let host: MetadataHost;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    let clientId: string;
    const offset = { ms: 0 };
    // Metadata is cached per URL in the process: every URL here is new.
    const fresh = () => `${host.url}/md-${randomBytes(6).toString('hex')}`;

    before(async () => {
      s = await startServer({ engine, clock: { now: () => Date.now() + offset.ms } });
      o = await seedOAuthPool(s);
      idp = await startSamlIdp();
      host = await startMetadataHost(idp.metadata);
      admin = identityClient(s);
      app = appClient(s);
    });
    after(async () => {
      admin?.destroy();
      app?.destroy();
      await s?.close();
      await host?.close();
      await idp?.close();
    });

    const create = (name: string, url: string) =>
      s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: o.poolId, ProviderName: name, ProviderType: 'SAML', ProviderDetails: { MetadataURL: url } }));

    test('CreateIdentityProvider: a stalled body, an endless body and a redirect are InvalidParameterException', async () => {
      host.mode = 'stall';
      const started = Date.now();
      await refused(create('Stalled', fresh()), 'InvalidParameterException');
      assert.ok(Date.now() - started < 20_000, 'the stall is given up after the timeout');

      host.mode = 'endless';
      await refused(create('Endless', fresh()), 'InvalidParameterException');
      await waitFor(() => host.endlessWritten.length === 1);
      assert.ok(host.endlessWritten[0] < 32 * 1024 * 1024, `the reader stopped early (${host.endlessWritten[0]} bytes written)`);

      host.mode = 'redirect';
      const before = host.paths.length;
      await refused(create('Moved', fresh()), 'InvalidParameterException');
      assert.deepEqual(
        host.paths.slice(before).filter((p) => p === '/good'),
        [],
        'the redirect was not followed',
      );

      // The same host serving the document is fine: the refusals were about the fetch.
      host.mode = 'ok';
      await create('Fine', fresh());
    });

    test('sign-in (/oauth2/authorize) when the metadata, refetched after the cache, stalls or never ends: the error redirect, not a 500', async () => {
      await create('Corp', fresh());
      clientId = (await seedWebClient(s, o.poolId, { SupportedIdentityProviders: ['Corp'] })).clientId;
      const authorize = () =>
        get(`${o.base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', state: 's1', identity_provider: 'Corp' })}`);
      // While the cached document is good, the browser goes to the IdP.
      const first = await authorize();
      assert.equal(first.status, 302);
      assert.equal(new URL(first.headers.get('location')!).origin, idp.url);

      for (const mode of ['stall', 'endless'] as const) {
        host.mode = mode;
        offset.ms += 11 * 60_000; // past the ten-minute cache: the document is fetched again
        const res = await authorize();
        assert.equal(res.status, 302, `${mode}: status ${res.status}`);
        const loc = new URL(res.headers.get('location')!);
        assert.equal(loc.origin + loc.pathname, CALLBACK);
        assert.equal(loc.searchParams.get('error'), 'invalid_request');
        assert.match(loc.searchParams.get('error_description') ?? '', /SAML metadata/);
      }
      host.mode = 'ok';
      offset.ms = 0; // signed API calls below need the real time
    });

    test('identity pools: GetId with a SAML login whose metadata stalls or never ends is ExternalServiceException', async () => {
      for (const mode of ['stall', 'endless', 'redirect'] as const) {
        const arn = `arn:aws:iam::000000000000:saml-provider/idp-${mode}`;
        const pool = await admin.send(
          new CreateIdentityPoolCommand({
            IdentityPoolName: `saml_${mode}`,
            AllowUnauthenticatedIdentities: false,
            SamlProviderARNs: [arn],
            IdentityPoolTags: { [`tessera:saml-metadata:idp-${mode}`]: fresh() },
          }),
        );
        host.mode = mode;
        const response = idp.response({ acs: 'https://signin.aws.amazon.com/saml', audience: 'urn:amazon:webservices', nameID: 'alice@corp.example' });
        await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: pool.IdentityPoolId!, Logins: { [arn]: response } })), 'ExternalServiceException');
      }
      host.mode = 'ok';
    });
  });
}

async function waitFor(cond: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
