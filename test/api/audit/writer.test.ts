// The audit writer is off the response path (queued, written in batches), yet no event is lost:
// a burst of sign-ins answered just before a clean shutdown is all there for the next process over
// the same store, and a read right after the calls sees every one of them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { AdminListUserAuthEventsCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer } from '../../support/server.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser } from '../auth/support.js';

const BURST = 40;

for (const engine of engines) {
  describe(`audit writer (${engine})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-audit-writer-'));
    const schema = engine === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
    after(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) {
        const c = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      }
    });

    test('events of calls answered just before a clean shutdown are all stored; a read right after sees them', async () => {
      const first = await startServer({ engine, dataDir, schema });
      const poolId = await makePool(first);
      const clientId = (await makeClient(first, poolId)).id;
      await makeUser(first, poolId, 'grace');
      const pub = publicClient(first.url);
      const signIn = (pw: string) =>
        pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'grace', PASSWORD: pw } }));
      // Read-your-writes in one process: the events of answered calls are listed at once.
      await signIn(PASSWORD);
      assert.equal((await errorOf(signIn(WRONG))).name, 'NotAuthorizedException');
      const now = await first.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'grace' }));
      const signInsNow = now.AuthEvents!.filter((e) => e.EventType === 'SignIn');
      assert.deepEqual(signInsNow.map((e) => e.EventResponse), ['Fail', 'Pass']);
      // A burst, then close at once: the queued events are written by close().
      const results = await Promise.allSettled(Array.from({ length: BURST }, () => signIn(PASSWORD)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, BURST);
      pub.destroy();
      await first.close();

      const second = await startServer({ engine, dataDir, schema });
      try {
        const rows = await second.app.store.audit.list({ poolId, limit: 1000 });
        const signIns = rows.filter((r) => r.type === 'SignIn' && r.username === 'grace');
        assert.equal(signIns.length, BURST + 2);
        assert.equal(signIns.filter((r) => r.outcome === 'Pass').length, BURST + 1);
        assert.equal(new Set(signIns.map((r) => r.request_id)).size, BURST + 2, 'one event per request');
      } finally {
        await second.close();
      }
    });

    test('a batch keeps every value exactly: quotes, backslashes, braces, commas, the word NULL, empty strings, non-ASCII, absent fields', async () => {
      const s = await startServer({ engine });
      try {
        const poolId = await makePool(s);
        const awkward = ['NULL', '', 'a,b', '{x}', '"quoted"', 'back\\slash', "it's", 'tab\there', 'line\nbreak', 'ünï ☃ 𝄞', ' padded ', '\\N'];
        const recorded = [];
        for (const [i, text] of awkward.entries()) {
          const e = {
            poolId,
            username: text,
            clientId: i % 2 ? text : undefined,
            type: 'SignUp',
            outcome: 'Pass' as const,
            sourceIp: i % 3 ? undefined : text,
            requestId: `r${i}`,
            detail: i % 4 ? { op: text, n: i, ok: i % 2 === 0 } : undefined,
          };
          recorded.push({ id: await s.app.audit.record(e), e });
        }
        // One flush: the rows went in as one batch.
        const page = await s.app.audit.list({ poolId, types: ['SignUp'], limit: 100 });
        assert.equal(page.events.length, awkward.length);
        for (const { id, e } of recorded) {
          const got = page.events.find((x) => x.id === id);
          assert.ok(got, `event ${e.requestId} stored`);
          assert.equal(got.username, e.username);
          assert.equal(got.clientId, e.clientId);
          assert.equal(got.sourceIp, e.sourceIp);
          assert.deepEqual(got.detail, e.detail);
          assert.equal(got.userId, undefined);
          assert.equal(typeof got.createdAt, 'number');
        }
      } finally {
        await s.close();
      }
    });

    test('past 10,000 queued events an observation waits for the writer, and nothing deadlocks or is lost', { timeout: 120_000 }, async () => {
      const s = await startServer({ engine });
      try {
        const poolId = await makePool(s);
        const n = 10_050;
        // As awsjson.ts does: an observation under way, recording events, tracked by the audit.
        s.app.audit.track(
          (async () => {
            for (let i = 0; i < n; i++) await s.app.audit.record({ poolId, username: `u${i}`, type: 'SignUp', outcome: 'Pass' });
          })(),
        );
        const page = await s.app.audit.list({ poolId, types: ['SignUp'], limit: n + 10 });
        assert.equal(page.events.length, n);
      } finally {
        await s.close();
      }
    });
  });
}
