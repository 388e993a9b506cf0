// The console's error page (a failed operation, src/admin/kit.ts) links Back to the Referer only
// when that is a page of this server: a host that merely begins with the public URL's host
// (http://127.0.0.1:PORT.evil.net/...), another scheme or port, a path outside a public URL's path,
// or an unparsable Referer get the console's home instead. Plain HTTP requests, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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
  });
}
