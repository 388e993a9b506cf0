// Group membership through the SDK: AdminAddUserToGroup, AdminRemoveUserFromGroup,
// AdminListGroupsForUser, ListUsersInGroup; users named by username or alias; memberships that
// go away with their group or their user; and the group claims of a signed-in member's tokens.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  InitiateAuthCommand,
  ListUsersInGroupCommand,
  paginateAdminListGroupsForUser,
  paginateListUsersInGroup,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, rejectsWith } from '../users/support.js';
import { srpSignIn } from '../auth/support.js';

const NO_POOL = 'us-east-1_nothere00';

for (const engine of engines) {
  describe(`group members (${engine})`, () => {
    let s: TestServer;
    let pool: string;
    const createUser = (Username: string, email?: string) =>
      s.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: pool,
          Username,
          MessageAction: 'SUPPRESS',
          UserAttributes: email ? [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] : [],
        }),
      );
    const createGroup = (GroupName: string, more: { Precedence?: number; RoleArn?: string } = {}) =>
      s.idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName, ...more }));
    const add = (Username: string, GroupName: string, UserPoolId = pool) => s.idp.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName }));
    const remove = (Username: string, GroupName: string, UserPoolId = pool) =>
      s.idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName }));
    const groupsOf = async (Username: string) =>
      (await s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username }))).Groups!.map((g) => g.GroupName!);
    const membersOf = async (GroupName: string) =>
      (await s.idp.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName }))).Users!.map((u) => u.Username!).sort();

    before(async () => {
      s = await startServer({ engine });
      // E-mail is an alias: admin operations accept it in place of the username.
      pool = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'members', AliasAttributes: ['email'] }))).UserPool!.Id!;
    });
    after(() => s.close());

    test('a member added is listed on both sides, with its details', async () => {
      await createUser('ann', 'ann@example.com');
      await createGroup('editors', { Precedence: 2 });
      await add('ann', 'editors');
      const groups = (await s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'ann' }))).Groups!;
      assert.deepEqual(groups.map((g) => [g.GroupName, g.UserPoolId, g.Precedence]), [['editors', pool, 2]]);
      const users = (await s.idp.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'editors' }))).Users!;
      assert.equal(users.length, 1);
      assert.equal(users[0].Username, 'ann');
      assert.equal(users[0].Enabled, true);
      assert.equal(users[0].UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(users[0].Attributes!.find((a) => a.Name === 'email')?.Value, 'ann@example.com');
      assert.ok(users[0].Attributes!.find((a) => a.Name === 'sub')?.Value);
    });

    test('adding a member twice is not an error and lists it once', async () => {
      await createUser('ben');
      await createGroup('twice');
      await add('ben', 'twice');
      await add('ben', 'twice');
      assert.deepEqual(await membersOf('twice'), ['ben']);
      assert.deepEqual(await groupsOf('ben'), ['twice']);
    });

    test('the admin operations accept an alias (verified e-mail) or another case of the username', async () => {
      await createUser('Cleo', 'cleo@example.com');
      await createGroup('aliased');
      await add('CLEO@example.com', 'aliased');
      assert.deepEqual(await groupsOf('cleo@example.com'), ['aliased']);
      assert.deepEqual(await membersOf('aliased'), ['Cleo']);
      await remove('cleo@example.com', 'aliased');
      assert.deepEqual(await membersOf('aliased'), []);
    });

    test('unknown users, groups and pools are refused with the modeled exceptions', async () => {
      await createUser('dan');
      await createGroup('real');
      await rejectsWith(add('nobody', 'real'), 'UserNotFoundException', 'User does not exist.');
      await rejectsWith(add('dan', 'ghost'), 'ResourceNotFoundException', 'Group not found.');
      await rejectsWith(add('dan', 'real', NO_POOL), 'ResourceNotFoundException');
      await rejectsWith(remove('nobody', 'real'), 'UserNotFoundException');
      await rejectsWith(remove('dan', 'ghost'), 'ResourceNotFoundException', 'Group not found.');
      await rejectsWith(remove('dan', 'real', NO_POOL), 'ResourceNotFoundException');
      await rejectsWith(s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'nobody' })), 'UserNotFoundException');
      await rejectsWith(s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: NO_POOL, Username: 'dan' })), 'ResourceNotFoundException');
      await rejectsWith(s.idp.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'ghost' })), 'ResourceNotFoundException', 'Group not found.');
      await rejectsWith(s.idp.send(new ListUsersInGroupCommand({ UserPoolId: NO_POOL, GroupName: 'real' })), 'ResourceNotFoundException');
      assert.deepEqual(await groupsOf('dan'), []);
    });

    test('a group of another pool is not found through this pool', async () => {
      const other = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
      await s.idp.send(new CreateGroupCommand({ UserPoolId: other, GroupName: 'theirs' }));
      await createUser('eli');
      await rejectsWith(add('eli', 'theirs'), 'ResourceNotFoundException');
    });

    test('removing a member, and removing a non-member, both succeed', async () => {
      await createUser('fay');
      await createGroup('leaving');
      await add('fay', 'leaving');
      await remove('fay', 'leaving');
      assert.deepEqual(await groupsOf('fay'), []);
      assert.deepEqual(await membersOf('leaving'), []);
      await remove('fay', 'leaving');
    });

    test('deleting a group removes its memberships, not its users', async () => {
      await createUser('gus');
      await createGroup('doomed');
      await createGroup('kept');
      await add('gus', 'doomed');
      await add('gus', 'kept');
      await s.idp.send(new DeleteGroupCommand({ UserPoolId: pool, GroupName: 'doomed' }));
      assert.deepEqual(await groupsOf('gus'), ['kept']);
      await createGroup('doomed');
      assert.deepEqual(await membersOf('doomed'), []);
    });

    test('deleting a user removes its memberships', async () => {
      await createUser('hal');
      await createUser('ida');
      await createGroup('crew');
      await add('hal', 'crew');
      await add('ida', 'crew');
      await s.idp.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'hal' }));
      assert.deepEqual(await membersOf('crew'), ['ida']);
      // A new user of the same name starts with no groups.
      await createUser('hal');
      assert.deepEqual(await groupsOf('hal'), []);
    });

    test('AdminListGroupsForUser pages by name with NextToken', async () => {
      await createUser('joy');
      const names = ['p-e', 'p-a', 'p-d', 'p-b', 'p-c'];
      for (const n of names) {
        await createGroup(n);
        await add('joy', n);
      }
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const r = await s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'joy', Limit: 2, NextToken }));
        assert.ok(r.Groups!.length <= 2);
        seen.push(...r.Groups!.map((g) => g.GroupName!));
        NextToken = r.NextToken;
        pages++;
      } while (NextToken);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...names].sort());
      const viaPaginator: string[] = [];
      for await (const page of paginateAdminListGroupsForUser({ client: s.idp, pageSize: 4 }, { UserPoolId: pool, Username: 'joy' })) {
        viaPaginator.push(...page.Groups!.map((g) => g.GroupName!));
      }
      assert.deepEqual(viaPaginator, [...names].sort());
      // A token belongs to its user.
      const first = await s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'joy', Limit: 2 }));
      await createUser('kay');
      await rejectsWith(
        s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'kay', NextToken: first.NextToken })),
        'InvalidParameterException',
      );
      await rejectsWith(s.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'joy', Limit: 61 })), 'InvalidParameterException');
    });

    test('ListUsersInGroup pages with NextToken, every member once', async () => {
      await createGroup('big');
      const members = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
      for (const m of members) {
        await createUser(m);
        await add(m, 'big');
      }
      const seen: string[] = [];
      for await (const page of paginateListUsersInGroup({ client: s.idp, pageSize: 3 }, { UserPoolId: pool, GroupName: 'big' })) {
        assert.ok(page.Users!.length <= 3);
        seen.push(...page.Users!.map((u) => u.Username!));
      }
      assert.deepEqual(seen.sort(), members);
      const first = await s.idp.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'big', Limit: 3 }));
      assert.ok(first.NextToken);
      await rejectsWith(
        s.idp.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'crew', NextToken: first.NextToken })),
        'InvalidParameterException',
      );
      await rejectsWith(s.idp.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'big', NextToken: 'garbage' })), 'InvalidParameterException');
    });

    test("a member's tokens carry cognito:groups, cognito:roles and cognito:preferred_role", async () => {
      const clientId = (
        await s.idp.send(
          new CreateUserPoolClientCommand({
            UserPoolId: pool,
            ClientName: 'app',
            ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          }),
        )
      ).UserPoolClient!.ClientId!;
      await createUser('lee', 'lee@example.com');
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'lee', Password: PASSWORD, Permanent: true }));
      const reader = 'arn:aws:iam::123456789012:role/reader';
      const writer = 'arn:aws:iam::123456789012:role/writer';
      await createGroup('t-low', { Precedence: 10, RoleArn: reader });
      await createGroup('t-high', { Precedence: 1, RoleArn: writer });
      await createGroup('t-none');
      for (const g of ['t-low', 't-high', 't-none']) await add('lee', g);
      const auth = await s.idp.send(
        new AdminInitiateAuthCommand({ UserPoolId: pool, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'lee', PASSWORD } }),
      );
      const id = decodeJwt(auth.AuthenticationResult!.IdToken!);
      assert.deepEqual(id['cognito:groups'], ['t-high', 't-low', 't-none']);
      assert.deepEqual([...(id['cognito:roles'] as string[])].sort(), [reader, writer].sort());
      assert.equal(id['cognito:preferred_role'], writer);
      assert.deepEqual(decodeJwt(auth.AuthenticationResult!.AccessToken!)['cognito:groups'], ['t-high', 't-low', 't-none']);
      // The client sign-ins read the groups with the user (one statement): the same claims, and a
      // membership changed since the last sign-in shows at the next.
      await s.idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username: 'lee', GroupName: 't-high' }));
      const srp = await srpSignIn(s, pool, clientId, 'lee', PASSWORD);
      assert.equal(srp.kind, 'success');
      const srpId = decodeJwt(srp.kind === 'success' ? srp.session.getIdToken().getJwtToken() : '');
      assert.deepEqual(srpId['cognito:groups'], ['t-low', 't-none']);
      assert.deepEqual(srpId['cognito:roles'], [reader]);
      assert.equal(srpId['cognito:preferred_role'], reader);
      await add('lee', 't-high');
      // Signed in by the e-mail alias (the pool's AliasAttributes): the same read, by alias.
      const typed = await s.idp.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'lee@example.com', PASSWORD } }),
      );
      assert.equal(decodeJwt(typed.AuthenticationResult!.AccessToken!).username, 'lee');
      const typedId = decodeJwt(typed.AuthenticationResult!.IdToken!);
      assert.deepEqual(typedId['cognito:groups'], ['t-high', 't-low', 't-none']);
      assert.equal(typedId['cognito:preferred_role'], writer);
    });
  });
}
