// The console's error page (a failed operation, src/admin/kit.ts) links Back to the Referer only
// when that is a page of this server: a host that merely begins with the public URL's host
// (http://127.0.0.1:PORT.evil.net/...), another scheme or port, a path outside a public URL's path,
// or an unparsable Referer get the console's home instead. Also: a multipart form's field with a
// NUL is refused before the screen runs. Plain HTTP requests, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateUserPoolCommand, ListUserImportJobsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../support/server.js';
import { consoleSession, type RawSession } from './raw-session.js';

for (const engine of engines) {
  describe(`console error page Back link (${engine})`, () => {
    let s: TestServer;
    let session: RawSession;

    before(async () => {
      s = await startServer({ engine });
      session = await consoleSession(s.url);
    });
    after(async () => {
      await s?.close();
    });

    /** The Back link of the error page a missing pool's screen answers, sent with `referer`. */
    async function backFor(referer: string | undefined): Promise<string> {
      const r = await fetch(`${s.url}/admin/pools/us-east-1_nothere0`, {
        headers: { cookie: session.cookie, ...(referer === undefined ? {} : { referer }) },
      });
      const html = await r.text();
      assert.equal(r.status, 400, html);
      assert.match(html, /ResourceNotFoundException/);
      const back = /<a href="([^"]*)">Back<\/a>/.exec(html);
      assert.ok(back, html);
      return back[1]!.replaceAll('&amp;', '&');
    }

    test('a Referer on this server is kept', async () => {
      assert.equal(await backFor(`${s.url}/admin/pools?x=1`), `${s.url}/admin/pools?x=1`);
      assert.equal(await backFor(undefined), '/admin');
    });

    test('look-alike hosts, other origins and garbage fall back to the console home', async () => {
      const u = new URL(s.url);
      for (const referer of [
        `${s.url}.evil.net/admin`,
        `http://${u.hostname}:${u.port}@evil.net/admin`,
        `${s.url}0/admin`,
        `https://${u.host}/admin`,
        `http://${u.hostname}:${Number(u.port) + 1}/admin`,
        'http://evil.net/admin',
        'javascript:alert(1)//' + s.url,
        'not a url',
      ]) {
        assert.equal(await backFor(referer), '/admin', referer);
      }
    });

    test('with a path in the public URL, only pages under that path are kept', async () => {
      const saved = s.app.config.publicUrl;
      s.app.config.publicUrl = `${s.url}/id`;
      try {
        assert.equal(await backFor(`${s.url}/id/admin/pools`), `${s.url}/id/admin/pools`);
        assert.equal(await backFor(`${s.url}/id`), `${s.url}/id`);
        assert.equal(await backFor(`${s.url}/idx/admin`), '/admin');
        assert.equal(await backFor(`${s.url}/admin`), '/admin');
      } finally {
        s.app.config.publicUrl = saved;
      }
    });

    test('a NUL in a multipart form field is refused before the screen runs, and no job is made', async () => {
      const { UserPool } = await s.idp.send(new CreateUserPoolCommand({ PoolName: 'nul-forms' }));
      const poolId = UserPool!.Id!;
      for (const [field, value] of [['hash', 'BCRYPT\u0000'], ['name', 'job\u0000one'], ['role', 'arn:aws:iam::000000000000:role/a\u0000b']]) {
        const body = new FormData();
        body.set('_csrf', session.csrf);
        body.set('name', 'job');
        body.set('role', 'arn:aws:iam::000000000000:role/CognitoImport');
        body.set(field!, value!);
        const r = await fetch(`${s.url}/admin/pools/${poolId}/imports`, { method: 'POST', headers: { cookie: session.cookie }, body, redirect: 'manual' });
        const html = await r.text();
        assert.equal(r.status, 400, field);
        assert.match(html, /InvalidParameterException: A form field contains a NUL character\./, field);
      }
      const jobs = await s.idp.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 10 }));
      assert.deepEqual(jobs.UserImportJobs ?? [], []);
    });
  });
}
