// ListUsers through the SDK: every searchable attribute with = and ^=, the case rules Tessera
// documents (e-mail and cognito:user_status case-insensitive; username per the pool's setting;
// the other attributes and `status` case-sensitive), AttributesToGet, Limit, and tokens.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ListUsersCommand,
  SignUpCommand,
  type AttributeType,
  type ListUsersCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { newClient, newPool, PASSWORD, rejectsWith } from './support.js';

const attrs = (o: Record<string, string>): AttributeType[] => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));

/** The usernames a ListUsers call returns (one page; the fixtures fit in one). */
async function names(s: TestServer, input: Omit<ListUsersCommandInput, 'UserPoolId'>, poolId: string): Promise<string[]> {
  const r = await s.idp.send(new ListUsersCommand({ UserPoolId: poolId, ...input }));
  assert.equal(r.PaginationToken, undefined, 'the fixtures fit in one page');
  return r.Users!.map((u) => u.Username!).sort();
}

for (const engine of engines) {
  describe(`ListUsers filters (${engine})`, () => {
    let s: TestServer;
    let pool: string;
    const subs: Record<string, string> = {};
    /** Usernames as stored (Alice keeps her capital), in the order the assertions sort them. */
    const all = ['Alice', 'albert', 'bob', 'carol', 'dave', 'frank', 'gina'].sort();
    const f = (Filter: string) => names(s, { Filter }, pool);

    before(async () => {
      s = await startServer({ engine });
      pool = await newPool(s, { UsernameConfiguration: { CaseSensitive: false }, AutoVerifiedAttributes: [] });
      const admin = async (Username: string, a: Record<string, string>) => {
        await s.idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username, MessageAction: 'SUPPRESS', UserAttributes: attrs(a) }));
      };
      await admin('Alice', {
        email: 'Alice@Example.com',
        phone_number: '+15550001',
        name: 'Alice Smith',
        given_name: 'Alice',
        family_name: 'Smith',
        preferred_username: 'ali',
      });
      await admin('albert', { email: 'albert@example.org', phone_number: '+15550002', given_name: 'Albert', family_name: 'Smithers' });
      await admin('bob', { email: 'bob@example.com', name: 'Bob "the builder"', family_name: 'O\\Neil' });
      await admin('carol', { email: 'carol@x.io' });
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'carol' }));
      await admin('dave', {});
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'dave', Password: PASSWORD, Permanent: true }));
      const client = await newClient(s, pool);
      const anon = publicClient(s.url);
      for (const u of ['frank', 'gina']) {
        await anon.send(new SignUpCommand({ ClientId: client.id, Username: u, Password: PASSWORD, UserAttributes: attrs({ email: `${u}@x.io` }) }));
      }
      anon.destroy();
      for (const u of all) {
        const r = await s.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: u }));
        subs[u] = r.UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
      }
    });
    after(() => s.close());

    test('without a filter (absent, empty or blank) every user is listed', async () => {
      assert.deepEqual(await names(s, {}, pool), all);
      assert.deepEqual(await f(''), all);
      assert.deepEqual(await f('   '), all);
    });

    test('username: exact and prefix, case-insensitive in a case-insensitive pool', async () => {
      assert.deepEqual(await f('username = "alice"'), ['Alice']);
      assert.deepEqual(await f('username = "ALICE"'), ['Alice']);
      assert.deepEqual(await f('username ^= "Al"'), ['Alice', 'albert'].sort());
      assert.deepEqual(await f('username = "al"'), []);
    });

    test('username is case-sensitive in a case-sensitive pool', async () => {
      const strict = await newPool(s, { UsernameConfiguration: { CaseSensitive: true } });
      await s.idp.send(new AdminCreateUserCommand({ UserPoolId: strict, Username: 'Zed', MessageAction: 'SUPPRESS' }));
      assert.deepEqual(await names(s, { Filter: 'username = "Zed"' }, strict), ['Zed']);
      assert.deepEqual(await names(s, { Filter: 'username = "zed"' }, strict), []);
      assert.deepEqual(await names(s, { Filter: 'username ^= "z"' }, strict), []);
      assert.deepEqual(await names(s, { Filter: 'username ^= "Z"' }, strict), ['Zed']);
    });

    test('email: exact and prefix, case-insensitive', async () => {
      assert.deepEqual(await f('email = "alice@example.com"'), ['Alice']);
      assert.deepEqual(await f('email = "ALICE@EXAMPLE.COM"'), ['Alice']);
      assert.deepEqual(await f('email ^= "AL"'), ['Alice', 'albert'].sort());
      assert.deepEqual(await f('email ^= "alice@example.co"'), ['Alice']);
      // Users without an e-mail never match, even an empty prefix.
      assert.deepEqual(await f('email ^= ""'), ['Alice', 'albert', 'bob', 'carol', 'frank', 'gina'].sort());
    });

    test('phone_number: exact and prefix', async () => {
      assert.deepEqual(await f('phone_number = "+15550002"'), ['albert']);
      assert.deepEqual(await f('phone_number ^= "+1555000"'), ['Alice', 'albert'].sort());
      assert.deepEqual(await f('phone_number = "+1555000"'), []);
    });

    test('name, given_name, family_name: exact and prefix, case-sensitive', async () => {
      assert.deepEqual(await f('given_name = "Alice"'), ['Alice']);
      assert.deepEqual(await f('given_name = "alice"'), []);
      assert.deepEqual(await f('given_name ^= "Al"'), ['Alice', 'albert'].sort());
      assert.deepEqual(await f('family_name = "Smith"'), ['Alice']);
      assert.deepEqual(await f('family_name ^= "Smith"'), ['Alice', 'albert'].sort());
      assert.deepEqual(await f('family_name ^= "smith"'), []);
      assert.deepEqual(await f('name ^= "Alice S"'), ['Alice']);
      assert.deepEqual(await f('name = "alice smith"'), []);
    });

    test('escaped quotes and backslashes in the value', async () => {
      assert.deepEqual(await f('name = "Bob \\"the builder\\""'), ['bob']);
      assert.deepEqual(await f('name ^= "Bob \\"the"'), ['bob']);
      assert.deepEqual(await f('family_name = "O\\\\Neil"'), ['bob']);
    });

    test('preferred_username: exact and prefix', async () => {
      assert.deepEqual(await f('preferred_username = "ali"'), ['Alice']);
      assert.deepEqual(await f('preferred_username ^= "a"'), ['Alice']);
      assert.deepEqual(await f('preferred_username = "al"'), []);
    });

    test('cognito:user_status: exact and prefix, case-insensitive', async () => {
      const forced = ['Alice', 'albert', 'bob', 'carol'].sort();
      assert.deepEqual(await f('cognito:user_status = "FORCE_CHANGE_PASSWORD"'), forced);
      assert.deepEqual(await f('cognito:user_status = "force_change_password"'), forced);
      assert.deepEqual(await f('cognito:user_status = "Confirmed"'), ['dave']);
      assert.deepEqual(await f('cognito:user_status ^= "unconf"'), ['frank', 'gina']);
      assert.deepEqual(await f('cognito:user_status ^= "c"'), ['dave']);
      assert.deepEqual(await f('cognito:user_status ^= "F"'), forced);
      assert.deepEqual(await f('cognito:user_status ^= ""'), all);
      assert.deepEqual(await f('cognito:user_status = "CONFIRM"'), []);
      assert.deepEqual(await f('cognito:user_status = "NO_SUCH_STATUS"'), []);
    });

    test('status: Enabled / Disabled, exact and prefix, case-sensitive', async () => {
      assert.deepEqual(await f('status = "Disabled"'), ['carol']);
      assert.deepEqual(await f('status = "Enabled"'), all.filter((u) => u !== 'carol'));
      assert.deepEqual(await f('status ^= "Dis"'), ['carol']);
      assert.deepEqual(await f('status = "disabled"'), []);
      assert.deepEqual(await f('status ^= "e"'), []);
      assert.deepEqual(await f('status ^= ""'), all);
    });

    test('sub: exact and prefix', async () => {
      assert.deepEqual(await f(`sub = "${subs.bob}"`), ['bob']);
      const prefixed = await f(`sub ^= "${subs.bob.slice(0, 6)}"`);
      assert.ok(prefixed.includes('bob'));
      assert.ok(prefixed.every((u) => subs[u].startsWith(subs.bob.slice(0, 6))));
      assert.deepEqual(await f(`sub = "${subs.bob.toUpperCase()}"`), []);
    });

    test('a filter Cognito cannot run is InvalidParameterException', async () => {
      for (const bad of [
        'custom:team = "a"',
        'nickname = "a"',
        'email = alice@example.com',
        'email = "a" and name = "b"',
        'email != "a"',
        'email = "unterminated',
      ]) {
        await rejectsWith(s.idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: bad })), 'InvalidParameterException');
      }
      await rejectsWith(s.idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'custom:team = "a"' })), 'InvalidParameterException', /custom:team/);
    });

    test('AttributesToGet returns only those attributes; the top-level fields stay', async () => {
      const r = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, AttributesToGet: ['email', 'sub'], Filter: 'username = "alice"' }));
      const [u] = r.Users!;
      assert.deepEqual(u.Attributes!.map((a) => a.Name).sort(), ['email', 'sub']);
      assert.equal(u.Attributes!.find((a) => a.Name === 'email')!.Value, 'Alice@Example.com');
      assert.equal(u.Username, 'Alice');
      assert.equal(u.Enabled, true);
      assert.equal(u.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.ok(u.UserCreateDate instanceof Date && u.UserLastModifiedDate instanceof Date);
      const none = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, AttributesToGet: [], Filter: 'username = "alice"' }));
      assert.deepEqual(none.Users![0].Attributes, []);
      const full = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'username = "alice"' }));
      assert.ok(full.Users![0].Attributes!.length >= 7);
    });

    test('AttributesToGet with an attribute outside the schema is InvalidParameterException', async () => {
      await rejectsWith(
        s.idp.send(new ListUsersCommand({ UserPoolId: pool, AttributesToGet: ['email', 'custom:nope'] })),
        'InvalidParameterException',
        /custom:nope/,
      );
    });

    test('Limit caps the page; over 60 is InvalidParameterException; 0 means the default', async () => {
      const two = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, Limit: 2 }));
      assert.equal(two.Users!.length, 2);
      assert.ok(two.PaginationToken);
      await rejectsWith(s.idp.send(new ListUsersCommand({ UserPoolId: pool, Limit: 61 })), 'InvalidParameterException');
      const zero = await s.idp.send(new ListUsersCommand({ UserPoolId: pool, Limit: 0 }));
      assert.equal(zero.Users!.length, all.length);
      assert.equal(zero.PaginationToken, undefined);
    });

    test('an unknown pool is ResourceNotFoundException', async () => {
      await rejectsWith(s.idp.send(new ListUsersCommand({ UserPoolId: 'us-east-1_nothere00' })), 'ResourceNotFoundException');
    });
  });
}

for (const engine of engines) {
  describe(`long attribute values (${engine})`, () => {
    let s: TestServer;
    let pool: string;
    before(async () => {
      s = await startServer({ engine });
      pool = await newPool(s, { AliasAttributes: ['preferred_username', 'email'], AutoVerifiedAttributes: [] });
    });
    after(() => s.close());
    const create = (Username: string, a: Record<string, string>) =>
      s.idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username, MessageAction: 'SUPPRESS', UserAttributes: attrs(a) }));
    const f = (Filter: string) => names(s, { Filter }, pool);

    test('a name of 1,000 CJK characters (3,000 bytes) is stored whole and found by filters as a short one is', async () => {
      // Random CJK does not compress: over what one PostgreSQL index entry holds.
      const cjk = Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join('');
      await create('long', { name: cjk, given_name: cjk, family_name: cjk });
      await create('short', { name: cjk.slice(0, 200) });
      const stored = await s.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'long' }));
      assert.equal(stored.UserAttributes!.find((a) => a.Name === 'name')?.Value, cjk);
      assert.deepEqual(await f(`name = "${cjk.slice(0, 200)}"`), ['short']);
      assert.deepEqual(await f(`name ^= "${cjk.slice(0, 200)}"`), ['long', 'short']);
      assert.deepEqual(await f(`name ^= "${cjk.slice(0, 240)}"`), ['long']);
      assert.deepEqual(await f(`family_name ^= "${cjk.slice(0, 10)}"`), ['long']);
    });

    test('an e-mail that lower-casing lengthens (İ is two code points in lower case) is still found by a full-length filter', async () => {
      const email = `${'İ'.repeat(200)}@x.io`;
      await create('dotted', { email });
      assert.deepEqual(await f(`email = "${email}"`), ['dotted']);
      assert.deepEqual(await f(`email ^= "${'İ'.repeat(140)}"`), ['dotted']);
    });

    test('an alias over 2,048 bytes of UTF-8 is InvalidParameterException; one just under is an alias', async () => {
      await rejectsWith(create('too-long', { preferred_username: '漢'.repeat(700) }), 'InvalidParameterException', /2048 bytes/);
      await assert.rejects(s.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'too-long' })), { name: 'UserNotFoundException' });
      await create('fits', { preferred_username: '漢'.repeat(682) });
      assert.deepEqual(await f(`preferred_username ^= "漢漢漢"`), ['fits']);
      await rejectsWith(create('fits-too', { preferred_username: '漢'.repeat(682) }), 'UsernameExistsException');
    });

    test('a username or alias that comes another way than the API (an import, a migration function) is refused the same way', async () => {
      // The API's models stop these; a user built in the domain, as those paths build one, is not.
      const p = await s.app.pools.get(pool);
      const build = (username: string, attributes: Record<string, string> = {}) => s.app.users.build(p, { username, attributes, status: 'CONFIRMED' });
      await rejectsWith(s.app.users.insert(p, build('u'.repeat(3000))), 'InvalidParameterException', /username must be no longer than 2048 bytes/);
      await rejectsWith(s.app.users.insert(p, build('brief', { preferred_username: 'Ⱥ'.repeat(1000) })), 'InvalidParameterException', /preferred_username must be no longer than 2048 bytes/);
      await assert.rejects(s.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'brief' })), { name: 'UserNotFoundException' });
    });
  });
}
