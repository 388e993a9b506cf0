// Terms documents of app clients through the real SDK (CreateTerms, DescribeTerms,
// DescribeTermsByClient, ListTerms, UpdateTerms, DeleteTerms), and their links on the hosted
// sign-up page in the page's language, falling back to cognito:default.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateTermsCommand,
  DeleteTermsCommand,
  DescribeTermsByClientCommand,
  DescribeTermsCommand,
  ListTermsCommand,
  UpdateTermsCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { CALLBACK, get, seedOAuthPool, seedWebClient, type OAuthSetup } from '../../oauth/support.js';
import { rejectsWith } from './expect.js';

for (const engine of engines) {
  describe(`terms documents (${engine})`, () => {
    let s: TestServer;
    let o: OAuthSetup;
    let clientId: string;
    before(async () => {
      s = await startServer({ engine });
      o = await seedOAuthPool(s);
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: o.poolId, AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } }));
      clientId = (await seedWebClient(s, o.poolId)).clientId;
    });
    after(() => s.close());

    const signUpPage = async (lang: string) => {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', lang });
      const res = await get(`${o.base}/signup?${q}`);
      assert.equal(res.status, 200);
      return res.text();
    };

    test('create, describe, list, update and delete; one document of each name per client', async () => {
      const base = { UserPoolId: o.poolId, ClientId: clientId, TermsSource: 'LINK' as const, Enforcement: 'NONE' as const };
      assert.doesNotMatch(await signUpPage('en'), /Terms of use/, 'no terms, no links');
      const tou = (await s.idp.send(new CreateTermsCommand({ ...base, TermsName: 'terms-of-use', Links: { 'cognito:default': 'https://example.com/terms', 'cognito:german': 'https://example.com/de/agb' } }))).Terms!;
      assert.match(tou.TermsId!, /^[0-9a-f-]{36}$/);
      assert.equal(tou.ClientId, clientId);
      assert.ok(tou.CreationDate instanceof Date);
      const pp = (await s.idp.send(new CreateTermsCommand({ ...base, TermsName: 'privacy-policy', Links: { 'cognito:default': 'https://example.com/privacy' } }))).Terms!;
      await rejectsWith(s.idp.send(new CreateTermsCommand({ ...base, TermsName: 'terms-of-use', Links: { 'cognito:default': 'https://example.com/t2' } })), 'TermsExistsException');
      await rejectsWith(s.idp.send(new CreateTermsCommand({ ...base, TermsName: 'cookies' as never, Links: { 'cognito:default': 'https://example.com/c' } })), 'InvalidParameterException');
      await rejectsWith(s.idp.send(new CreateTermsCommand({ ...base, TermsName: 'privacy-policy', ClientId: 'nosuchclient0000000000000a', Links: { 'cognito:default': 'https://example.com/p' } })), 'ResourceNotFoundException');

      const described = (await s.idp.send(new DescribeTermsCommand({ UserPoolId: o.poolId, TermsId: tou.TermsId! }))).Terms!;
      assert.deepEqual(described.Links, { 'cognito:default': 'https://example.com/terms', 'cognito:german': 'https://example.com/de/agb' });
      assert.equal((await s.idp.send(new DescribeTermsByClientCommand({ UserPoolId: o.poolId, ClientId: clientId, TermsName: 'privacy-policy' }))).Terms!.TermsId, pp.TermsId);
      const listed = (await s.idp.send(new ListTermsCommand({ UserPoolId: o.poolId }))).Terms!;
      assert.deepEqual(listed.map((x) => x.TermsName).sort(), ['privacy-policy', 'terms-of-use']);

      // The sign-up page links both, in English the default links, in German the German one.
      const en = await signUpPage('en');
      assert.match(en, /href="https:\/\/example\.com\/terms"[^>]*>Terms of use</);
      assert.match(en, /href="https:\/\/example\.com\/privacy"[^>]*>Privacy policy</);
      const de = await signUpPage('de');
      assert.match(de, /href="https:\/\/example\.com\/de\/agb"[^>]*>Nutzungsbedingungen</);
      assert.match(de, /href="https:\/\/example\.com\/privacy"[^>]*>Datenschutzerklärung</);

      const updated = (await s.idp.send(new UpdateTermsCommand({ UserPoolId: o.poolId, TermsId: pp.TermsId!, Links: { 'cognito:default': 'https://example.com/privacy-v2' } }))).Terms!;
      assert.equal(updated.TermsName, 'privacy-policy', 'members not given stay');
      assert.ok(updated.LastModifiedDate!.getTime() >= updated.CreationDate!.getTime());
      assert.match(await signUpPage('en'), /example\.com\/privacy-v2/);
      await rejectsWith(s.idp.send(new UpdateTermsCommand({ UserPoolId: o.poolId, TermsId: pp.TermsId!, TermsName: 'terms-of-use' })), 'TermsExistsException');

      await s.idp.send(new DeleteTermsCommand({ UserPoolId: o.poolId, TermsId: tou.TermsId! }));
      await rejectsWith(s.idp.send(new DescribeTermsCommand({ UserPoolId: o.poolId, TermsId: tou.TermsId! })), 'ResourceNotFoundException');
      await rejectsWith(s.idp.send(new DeleteTermsCommand({ UserPoolId: o.poolId, TermsId: tou.TermsId! })), 'ResourceNotFoundException');
      assert.doesNotMatch(await signUpPage('en'), /Terms of use/);
    });

    test('links must be URLs and name cognito:default', async () => {
      const base = { UserPoolId: o.poolId, ClientId: (await seedWebClient(s, o.poolId)).clientId, TermsSource: 'LINK' as const, Enforcement: 'NONE' as const, TermsName: 'terms-of-use' as const };
      await rejectsWith(s.idp.send(new CreateTermsCommand({ ...base, Links: { 'cognito:german': 'https://example.com/de' } })), 'InvalidParameterException', /cognito:default/);
      await rejectsWith(s.idp.send(new CreateTermsCommand({ ...base, Links: { 'cognito:default': 'javascript:alert(1)' } })), 'InvalidParameterException');
      await rejectsWith(s.idp.send(new CreateTermsCommand({ ...base, Links: { 'cognito:klingon': 'https://example.com/k' } as never })), 'InvalidParameterException');
    });
  });
}
