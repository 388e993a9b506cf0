// Groups through the SDK: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, and each
// of their error paths.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateGroupCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  paginateListGroups,
  UpdateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { rejectsWith } from '../users/support.js';

const ROLE = 'arn:aws:iam::123456789012:role/readers';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/writers';
const NO_POOL = 'us-east-1_nothere00';

/** Flips one character in the middle of a token, keeping it well-formed text. */
function tamper(token: string): string {
  const i = Math.floor(token.length / 2);
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

for (const engine of engines) {
  describe(`groups (${engine})`, () => {
    let s: TestServer;
    const clock = new ManualClock();
    const newPool = async () => (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'groups' }))).UserPool!.Id!;
    before(async () => (s = await startServer({ engine, clock })));
    after(() => s.close());

    test('CreateGroup returns the group, and GetGroup reads it back', async () => {
      const pool = await newPool();
      const created = await s.idp.send(
        new CreateGroupCommand({ UserPoolId: pool, GroupName: 'readers', Description: 'Can read', RoleArn: ROLE, Precedence: 3 }),
      );
      const g = created.Group!;
      assert.equal(g.GroupName, 'readers');
      assert.equal(g.UserPoolId, pool);
      assert.equal(g.Description, 'Can read');
      assert.equal(g.RoleArn, ROLE);
      assert.equal(g.Precedence, 3);
      assert.ok(g.CreationDate instanceof Date && g.LastModifiedDate instanceof Date);
      assert.equal(Math.round(g.CreationDate.getTime() / 1000), Math.round(clock.now() / 1000));
      const got = await s.idp.send(new GetGroupCommand({ UserPoolId: pool, GroupName: 'readers' }));
      assert.deepEqual(got.Group, g);
    });

    test('a group with only a name has no description, role or precedence', async () => {
      const pool = await newPool();
      const g = (await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'bare' }))).Group!;
      assert.equal(g.Description, undefined);
      assert.equal(g.RoleArn, undefined);
      assert.equal(g.Precedence, undefined);
      assert.equal((await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'zero', Precedence: 0 }))).Group!.Precedence, 0);
    });

    test('a name taken in the pool is GroupExistsException; other pools may reuse it', async () => {
      const pool = await newPool();
      await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'admins' }));
      await rejectsWith(
        s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'admins', Description: 'again' })),
        'GroupExistsException',
        'A group with the name already exists.',
      );
      // Group names are case-sensitive.
      await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'Admins' }));
      await s.idp.send(new CreateGroupCommand({ UserPoolId: await newPool(), GroupName: 'admins' }));
    });

    test('two concurrent CreateGroup of one name: one group, one GroupExistsException', async () => {
      const pool = await newPool();
      const results = await Promise.allSettled([1, 2, 3].map(() => s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'race' }))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as Error).name, 'GroupExistsException');
    });

    test('CreateGroup refuses a bad precedence, role ARN or name, and an unknown pool', async () => {
      const pool = await newPool();
      await rejectsWith(s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'g', Precedence: -1 })), 'InvalidParameterException');
      await rejectsWith(s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'g', Precedence: 2 ** 31 })), 'InvalidParameterException', /Precedence/);
      await rejectsWith(s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'g', RoleArn: 'not-an-arn-at-all-really' })), 'InvalidParameterException');
      await rejectsWith(s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'has space' })), 'InvalidParameterException');
      await rejectsWith(s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'x'.repeat(129) })), 'InvalidParameterException');
      await rejectsWith(s.idp.send(new CreateGroupCommand({ UserPoolId: NO_POOL, GroupName: 'g' })), 'ResourceNotFoundException');
      // Nothing was created by the refused calls.
      assert.deepEqual((await s.idp.send(new ListGroupsCommand({ UserPoolId: pool }))).Groups, []);
      await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'g', Precedence: 2 ** 31 - 1 }));
    });

    test('GetGroup of a missing group is ResourceNotFoundException "Group not found."', async () => {
      const pool = await newPool();
      await rejectsWith(s.idp.send(new GetGroupCommand({ UserPoolId: pool, GroupName: 'ghost' })), 'ResourceNotFoundException', 'Group not found.');
      await rejectsWith(s.idp.send(new GetGroupCommand({ UserPoolId: NO_POOL, GroupName: 'ghost' })), 'ResourceNotFoundException');
    });

    test('UpdateGroup changes only the members given and moves LastModifiedDate', async () => {
      const pool = await newPool();
      const created = (await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'ed', Description: 'd1', RoleArn: ROLE, Precedence: 5 }))).Group!;
      clock.advance(3000);
      const u1 = (await s.idp.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'ed', Description: 'd2' }))).Group!;
      assert.equal(u1.Description, 'd2');
      assert.equal(u1.RoleArn, ROLE);
      assert.equal(u1.Precedence, 5);
      assert.deepEqual(u1.CreationDate, created.CreationDate);
      assert.equal(u1.LastModifiedDate!.getTime() - created.LastModifiedDate!.getTime(), 3000);
      const u2 = (await s.idp.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'ed', Precedence: 0, RoleArn: OTHER_ROLE }))).Group!;
      assert.equal(u2.Description, 'd2');
      assert.equal(u2.RoleArn, OTHER_ROLE);
      assert.equal(u2.Precedence, 0);
      const got = (await s.idp.send(new GetGroupCommand({ UserPoolId: pool, GroupName: 'ed' }))).Group!;
      assert.deepEqual(got, u2);
    });

    test('UpdateGroup of a missing group, or with a bad value, is refused', async () => {
      const pool = await newPool();
      await rejectsWith(s.idp.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'ghost', Description: 'x' })), 'ResourceNotFoundException', 'Group not found.');
      await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'g', Precedence: 1 }));
      await rejectsWith(s.idp.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'g', Precedence: -2 })), 'InvalidParameterException');
      await rejectsWith(s.idp.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'g', RoleArn: 'arn:bad' })), 'InvalidParameterException');
      await rejectsWith(s.idp.send(new UpdateGroupCommand({ UserPoolId: NO_POOL, GroupName: 'g' })), 'ResourceNotFoundException');
      assert.equal((await s.idp.send(new GetGroupCommand({ UserPoolId: pool, GroupName: 'g' }))).Group!.Precedence, 1);
    });

    test('DeleteGroup removes the group; a second delete is ResourceNotFoundException', async () => {
      const pool = await newPool();
      await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'temp' }));
      await s.idp.send(new DeleteGroupCommand({ UserPoolId: pool, GroupName: 'temp' }));
      await rejectsWith(s.idp.send(new GetGroupCommand({ UserPoolId: pool, GroupName: 'temp' })), 'ResourceNotFoundException');
      await rejectsWith(s.idp.send(new DeleteGroupCommand({ UserPoolId: pool, GroupName: 'temp' })), 'ResourceNotFoundException', 'Group not found.');
      await rejectsWith(s.idp.send(new DeleteGroupCommand({ UserPoolId: NO_POOL, GroupName: 'temp' })), 'ResourceNotFoundException');
      // The name is free again.
      await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'temp' }));
    });

    describe('ListGroups', () => {
      let pool: string;
      const names = ['g-c', 'g-a', 'g-e', 'g-b', 'g-g', 'g-d', 'g-f'];
      before(async () => {
        pool = await newPool();
        for (const GroupName of names) await s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName, Precedence: 1 }));
        await s.idp.send(new CreateGroupCommand({ UserPoolId: await newPool(), GroupName: 'elsewhere' }));
      });

      test('pages through every group of the pool once, with a new token each page', async () => {
        const seen: string[] = [];
        const tokens = new Set<string>();
        let NextToken: string | undefined;
        let pages = 0;
        do {
          const r = await s.idp.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 3, NextToken }));
          assert.ok(r.Groups!.length <= 3);
          for (const g of r.Groups!) {
            assert.equal(g.UserPoolId, pool);
            assert.equal(g.Precedence, 1);
          }
          seen.push(...r.Groups!.map((g) => g.GroupName!));
          NextToken = r.NextToken;
          if (NextToken) {
            assert.ok(!tokens.has(NextToken));
            tokens.add(NextToken);
          }
          pages++;
        } while (NextToken);
        assert.equal(pages, 3);
        assert.deepEqual(seen, [...names].sort());
      });

      test('without Limit every group fits one page, with no token', async () => {
        const r = await s.idp.send(new ListGroupsCommand({ UserPoolId: pool }));
        assert.equal(r.Groups!.length, names.length);
        assert.equal(r.NextToken, undefined);
      });

      test('the SDK paginator collects every group', async () => {
        const seen: string[] = [];
        for await (const page of paginateListGroups({ client: s.idp, pageSize: 2 }, { UserPoolId: pool })) {
          seen.push(...page.Groups!.map((g) => g.GroupName!));
        }
        assert.deepEqual(seen, [...names].sort());
      });

      test('refuses a Limit over 60, an altered token, a token of another pool, an unknown pool', async () => {
        await rejectsWith(s.idp.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 61 })), 'InvalidParameterException');
        const r = await s.idp.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 2 }));
        await rejectsWith(s.idp.send(new ListGroupsCommand({ UserPoolId: pool, NextToken: tamper(r.NextToken!) })), 'InvalidParameterException');
        await rejectsWith(s.idp.send(new ListGroupsCommand({ UserPoolId: await newPool(), NextToken: r.NextToken })), 'InvalidParameterException');
        await rejectsWith(s.idp.send(new ListGroupsCommand({ UserPoolId: NO_POOL })), 'ResourceNotFoundException');
      });
    });
  });
}
