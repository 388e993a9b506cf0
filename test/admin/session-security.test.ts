// The console session against a stolen or left-over cookie, on both engines and across two
// processes over one store: signing out ends it everywhere (a copy taken before is refused), new
// admin credentials end the sessions of the old ones, wrong secrets are throttled per key and per
// address, an upload route reads no large body before the session is checked, and a forged events
// cursor is refused instead of reaching the database.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { AdminListUserAuthEventsCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../src/clock.js';
import { ADMIN, engines, startServer, type TestServer } from '../support/server.js';
import { consoleSession } from './raw-session.js';

const cookiesOf = (r: Response) => r.headers.getSetCookie().map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

for (const engine of engines) {
  describe(`console sessions (${engine})`, () => {
    let a: TestServer;
    let b: TestServer;
    const clock = new ManualClock();
    const sameStore = () => (engine === 'postgres' ? { schema: a.app.config.databaseSchema } : { dataDir: a.app.config.dataDir });
    before(async () => {
      // Behind a (pretend) proxy: X-Forwarded-For names the client address.
      a = await startServer({ engine, clock, env: { TESSERA_TRUST_PROXY: 'true' } });
      b = await startServer({ engine, ...sameStore() } as never);
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    const home = (s: TestServer, cookie: string) => fetch(`${s.url}/admin`, { headers: { cookie }, redirect: 'manual' });
    const signedIn = async (s: TestServer, cookie: string) => (await home(s, cookie)).status === 200;

    test('a session works on either process; signing out on one ends it on both, a copy of the cookie included', async () => {
      const session = await consoleSession(a.url);
      assert.ok(await signedIn(a, session.cookie));
      assert.ok(await signedIn(b, session.cookie), 'any process serves it');
      const out = await fetch(`${a.url}/admin/logout`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: session.csrf }),
        redirect: 'manual',
      });
      assert.equal(out.status, 303);
      assert.equal((await home(a, session.cookie)).headers.get('location'), '/admin/login');
      assert.equal(await signedIn(b, session.cookie), false);
      const create = await fetch(`${b.url}/admin/pools`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: session.csrf, name: 'after-logout' }),
        redirect: 'manual',
      });
      assert.equal(create.headers.get('location'), '/admin/login');
    });

    test('new admin credentials end the sessions signed in with the old secret', async () => {
      const session = await consoleSession(a.url);
      const rotated = await startServer({ engine, ...sameStore(), env: { TESSERA_ADMIN_SECRET_ACCESS_KEY: 'a-new-secret-for-the-same-key' } } as never);
      try {
        assert.equal(await signedIn(rotated, session.cookie), false, 'the same key id with another secret');
        assert.ok(await signedIn(a, session.cookie), 'the process still holding the old secret keeps it');
      } finally {
        await rotated.close();
      }
    });

    test('a forged events cursor is InvalidParameterException, on the console and the API', async () => {
      // On the process with the real clock (SigV4 dates), before the throttling test moves the other's.
      const poolId = (await b.idp.send(new CreateUserPoolCommand({ PoolName: 'cursor' }))).UserPool!.Id!;
      const session = await consoleSession(b.url);
      for (const forged of [[1e20, 'x'], [1.5, 'x'], [0, 'a\u0000b'], [-1, 'x'], [0, 'x'.repeat(100)]]) {
        const next = Buffer.from(JSON.stringify(forged)).toString('base64url');
        const page = await fetch(`${b.url}/admin/pools/${poolId}/events?next=${next}`, { headers: { cookie: session.cookie } });
        assert.ok(page.status < 500, `${JSON.stringify(forged)}: ${page.status}`);
        await assert.rejects(
          b.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'nobody', NextToken: next })),
          (e: Error) => e.name === 'InvalidParameterException' || e.name === 'UserNotFoundException',
        );
      }
    });
    test('wrong secrets: five in a row lock the key from that address for a while, even for the right secret; twenty from one address lock the address', async () => {
      const attempt = async (accessKeyId: string, secretAccessKey: string, from = '198.51.100.7') => {
        const form = await fetch(`${a.url}/admin/login`);
        const token = csrfOf(await form.text())!;
        const r = await fetch(`${a.url}/admin/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(form).join('; '), 'x-forwarded-for': from },
          body: new URLSearchParams({ accessKeyId, secretAccessKey, _csrf: token }),
          redirect: 'manual',
        });
        return r.status;
      };
      for (let i = 0; i < 5; i++) assert.equal(await attempt(ADMIN.accessKeyId, `wrong-${i}`), 401);
      assert.equal(await attempt(ADMIN.accessKeyId, ADMIN.secretAccessKey), 429, 'locked: the right secret is not even checked');
      assert.equal(await attempt(ADMIN.accessKeyId, ADMIN.secretAccessKey, '203.0.113.9'), 303, 'the lock is of this key from this address: the administrator elsewhere signs in');
      clock.advance(1_100);
      assert.equal(await attempt(ADMIN.accessKeyId, ADMIN.secretAccessKey), 303, 'after the lock, the right secret signs in and clears the count');
      assert.equal(await attempt(ADMIN.accessKeyId, 'wrong-again'), 401, 'the count started over');

      // Made-up key ids each stay under their own limit; the address's count does not.
      for (let i = 0; i < 14; i++) assert.equal(await attempt(`AKIDNOBODY${i}`, 'x'), 401);
      assert.equal(await attempt(ADMIN.accessKeyId, ADMIN.secretAccessKey), 429, 'twenty failures from this address');
      clock.advance(5 * 60_000 + 1);
      assert.equal(await attempt(ADMIN.accessKeyId, ADMIN.secretAccessKey), 303);
    });

    test('an upload route reads no large body without a session: it answers before the body is sent', async () => {
      // A body announced as 60 MB of which 1 MB is sent and the rest never comes: a server that
      // read the body before checking the session would not answer at all.
      const { status, location } = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
        const req = request(`${a.url}/admin/pools/us-east-1_x/imports`, {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=zzz', 'content-length': String(60 * 1024 * 1024) },
        });
        const timer = setTimeout(() => {
          req.destroy();
          reject(new Error('no answer before the body was sent'));
        }, 5_000);
        req.on('response', (res) => {
          clearTimeout(timer);
          res.resume();
          req.destroy();
          resolve({ status: res.statusCode!, location: res.headers.location });
        });
        req.on('error', () => undefined);
        req.write(Buffer.alloc(1024 * 1024, 0x61));
      });
      assert.equal(status, 303);
      assert.equal(location, '/admin/login');
      assert.ok(await signedIn(a, (await consoleSession(a.url)).cookie), 'the server is fine');
    });
  });
}
