// TESSERA_IDENTITY_PROVIDER_ENDPOINTS: validated at start, and how a provider URL is rewritten.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { rewriteUrl } from '../../src/identity/provider-fetch.js';

const load = (value: string) => loadConfig({ TESSERA_DATA_DIR: '/tmp/tessera-unit', TESSERA_IDENTITY_PROVIDER_ENDPOINTS: value });

test('TESSERA_IDENTITY_PROVIDER_ENDPOINTS takes a JSON object of origins to URLs; the default is none', () => {
  assert.deepEqual(loadConfig({ TESSERA_DATA_DIR: '/tmp/tessera-unit' }).identityProviderEndpoints, {});
  assert.deepEqual(load('{"https://graph.facebook.com/": "http://127.0.0.1:4100/fb/"}').identityProviderEndpoints, {
    'https://graph.facebook.com': 'http://127.0.0.1:4100/fb',
  });
});

test('TESSERA_IDENTITY_PROVIDER_ENDPOINTS refuses what is not a map of origins to http(s) URLs, naming the variable', () => {
  for (const bad of ['not json', '[]', '{"graph.facebook.com": "http://x"}', '{"https://a.example/path": "http://x"}', '{"https://a.example": "ftp://x"}']) {
    assert.throws(() => load(bad), (e: Error) => e instanceof ConfigError && /TESSERA_IDENTITY_PROVIDER_ENDPOINTS/.test(e.message), bad);
  }
});

test('a provider URL is fetched from the replacement of its origin, path and query kept; other origins are untouched', () => {
  const map = { 'https://graph.facebook.com': 'http://127.0.0.1:4100/fb' };
  assert.equal(rewriteUrl('https://graph.facebook.com/v17.0/me?fields=id', map), 'http://127.0.0.1:4100/fb/v17.0/me?fields=id');
  assert.equal(rewriteUrl('https://api.amazon.com/auth/o2/tokeninfo', map), 'https://api.amazon.com/auth/o2/tokeninfo');
});
