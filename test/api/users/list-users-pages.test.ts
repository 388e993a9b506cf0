// ListUsers pagination through the SDK: a chain of pages lists every user exactly once while
// other users are being added, ends by omitting the token, never repeats a token, and refuses a
// token that was altered or that belongs to other parameters.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  DescribeUserPoolCommand,
  ListUsersCommand,
  paginateListUsers,
  type ListUsersCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { newPool, rejectsWith } from './support.js';

const BULK = 130;

/** Flips one character in the middle of a token, keeping it well-formed text. */
function tamper(token: string): string {
  const i = Math.floor(token.length / 2);
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

async function createUsers(s: TestServer, poolId: string, usernames: string[]): Promise<void> {
  for (let i = 0; i < usernames.length; i += 10) {
    await Promise.all(
      usernames.slice(i, i + 10).map((Username) =>
        s.idp.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username,
            MessageAction: 'SUPPRESS',
            UserAttributes: [{ Name: 'email', Value: `${Username}@Example.com` }],
          }),
        ),
      ),
    );
  }
}

for (const engine of engines) {
  describe(`ListUsers pagination (${engine})`, () => {
    let s: TestServer;
    let pool: string;
    const bulk = Array.from({ length: BULK }, (_, i) => `bulk${String(i).padStart(3, '0')}`);
    let late = 0;

    before(async () => {
      s = await startServer({ engine });
      pool = await newPool(s, { UsernameConfiguration: { CaseSensitive: false }, AutoVerifiedAttributes: [] });
      await createUsers(s, pool, bulk);
    });
    after(() => s.close());

    /**
     * Walks a chain of pages with `input`, adding two users between pages: one that sorts before
     * everything seen so far and one after everything. Returns the usernames in page order.
     */
    async function walkWhileInserting(input: Omit<ListUsersCommandInput, 'UserPoolId'>): Promise<{ seen: string[]; sizes: number[] }> {
      const seen: string[] = [];
      const sizes: number[] = [];
      const tokens = new Set<string>();
      let token: string | undefined;
      do {
        const r = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, ...input, PaginationToken: token }));
        sizes.push(r.Users!.length);
        seen.push(...r.Users!.map((u) => u.Username!));
        token = r.PaginationToken;
        if (token) {
          assert.ok(!tokens.has(token), 'the same token came back twice');
          tokens.add(token);
          late++;
          await createUsers(s, pool, [`bulk-a-late${late}`, `bulkz-late${late}`]);
        }
      } while (token);
      return { seen, sizes };
    }

    test('Limit 60 over 130 users: every user exactly once while others are inserted between pages', async () => {
      const { seen, sizes } = await walkWhileInserting({ Limit: 60 });
      assert.ok(sizes.every((n) => n <= 60), `page sizes ${sizes}`);
      assert.ok(sizes.length >= 3, `page sizes ${sizes}`);
      assert.equal(new Set(seen).size, seen.length, 'a user was listed twice');
      assert.deepEqual(seen.filter((u) => /^bulk\d{3}$/.test(u)).sort(), bulk);
    });

    test('the same holds on a filtered (search index) chain', async () => {
      const { seen, sizes } = await walkWhileInserting({ Limit: 45, Filter: 'email ^= "BULK"' });
      assert.ok(sizes.every((n) => n <= 45));
      assert.equal(new Set(seen).size, seen.length, 'a user was listed twice');
      assert.deepEqual(seen.filter((u) => /^bulk\d{3}$/.test(u)).sort(), bulk);
    });

    test('the same holds on a status chain', async () => {
      const { seen } = await walkWhileInserting({ Limit: 50, Filter: 'cognito:user_status ^= "force"' });
      assert.equal(new Set(seen).size, seen.length, 'a user was listed twice');
      assert.deepEqual(seen.filter((u) => /^bulk\d{3}$/.test(u)).sort(), bulk);
    });

    test('the last page omits the token', async () => {
      const total = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool }))).UserPool!.EstimatedNumberOfUsers!;
      const pages: number[] = [];
      let token: string | undefined;
      do {
        const r = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, PaginationToken: token }));
        pages.push(r.Users!.length);
        token = r.PaginationToken;
        assert.notEqual(token, '');
      } while (token);
      assert.equal(pages.reduce((a, b) => a + b, 0), total);
      assert.ok(pages.at(-1)! > 0, 'no empty page at the end');
    });

    test('the SDK paginator collects every user once', async () => {
      const seen: string[] = [];
      for await (const page of paginateListUsers({ client: s.idp, pageSize: 25 }, { UserPoolId: pool, Filter: 'username ^= "bulk0"' })) {
        assert.ok(page.Users!.length <= 25);
        seen.push(...page.Users!.map((u) => u.Username!));
      }
      assert.deepEqual(seen.sort(), bulk.filter((u) => u.startsWith('bulk0')));
    });

    test('a token may be used with another Limit', async () => {
      const first = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, Limit: 5 }));
      const next = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, Limit: 7, PaginationToken: first.PaginationToken }));
      assert.equal(next.Users!.length, 7);
      const before = new Set(first.Users!.map((u) => u.Username));
      assert.ok(next.Users!.every((u) => !before.has(u.Username)));
    });

    test('an altered token is InvalidParameterException', async () => {
      const r = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, Limit: 5 }));
      await rejectsWith(
        s.idp.send(new ListUsersCommand({ UserPoolId: pool, Limit: 5, PaginationToken: tamper(r.PaginationToken!) })),
        'InvalidParameterException',
      );
      await rejectsWith(s.idp.send(new ListUsersCommand({ UserPoolId: pool, PaginationToken: 'not-a-token' })), 'InvalidParameterException');
    });

    test('a token is refused with another filter, other attributes or another pool', async () => {
      const r = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, Limit: 5, Filter: 'email ^= "bulk"', AttributesToGet: ['email'] }));
      const PaginationToken = r.PaginationToken!;
      await rejectsWith(
        s.idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'email ^= "bulk1"', AttributesToGet: ['email'], PaginationToken })),
        'InvalidParameterException',
      );
      await rejectsWith(s.idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'email ^= "bulk"', PaginationToken })), 'InvalidParameterException');
      await rejectsWith(
        s.idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'email ^= "bulk"', AttributesToGet: ['sub'], PaginationToken })),
        'InvalidParameterException',
      );
      const other = await newPool(s);
      await rejectsWith(
        s.idp.send(new ListUsersCommand({ UserPoolId: other, Filter: 'email ^= "bulk"', AttributesToGet: ['email'], PaginationToken })),
        'InvalidParameterException',
      );
      // The same parameters (spelt with other spacing) continue the chain.
      const ok = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'email^="bulk"', AttributesToGet: ['email'], PaginationToken }));
      assert.ok(ok.Users!.length > 0);
    });
  });
}
