// AdminUpdateUserAttributes and AdminDeleteUserAttributes through the real SDK, and the alias
// rules they share with ConfirmSignUp (AliasExistsException, ForceAliasCreation).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, email, lastCode, outboxFor, poolAndClient, rejectsWith } from './support.js';

for (const engine of engines) {
  describe(`attribute updates (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine })));
    after(() => s.close());

    const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));
    const create = (UserPoolId: string, Username: string, a: Record<string, string> = {}) =>
      s.idp.send(new AdminCreateUserCommand({ UserPoolId, Username, UserAttributes: attrs(a), MessageAction: 'SUPPRESS' }));
    const update = (UserPoolId: string, Username: string, a: Record<string, string>) =>
      s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username, UserAttributes: attrs(a) }));
    const remove = (UserPoolId: string, Username: string, UserAttributeNames: string[]) =>
      s.idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId, Username, UserAttributeNames }));
    async function attributesOf(UserPoolId: string, Username: string): Promise<Record<string, string>> {
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId, Username }));
      return Object.fromEntries(u.UserAttributes!.map((a) => [a.Name!, a.Value!]));
    }

    test('a changed e-mail becomes unverified and, being auto-verified, gets a code at the new address', async () => {
      const { poolId } = await poolAndClient(s);
      const old = email();
      await create(poolId, 'ivan', { email: old, email_verified: 'true', name: 'Ivan' });
      const fresh = email();
      await update(poolId, 'ivan', { email: fresh, name: 'Ivan II' });
      const a = await attributesOf(poolId, 'ivan');
      assert.equal(a.email, fresh);
      assert.equal(a.email_verified, 'false');
      assert.equal(a.name, 'Ivan II');
      assert.match(await lastCode(s, fresh), /^\d{6}$/);
      assert.equal((await outboxFor(s, old)).length, 0);
    });

    test('an admin may set the e-mail verified at once: no code is sent', async () => {
      const { poolId } = await poolAndClient(s);
      await create(poolId, 'judy', { email: email() });
      const fresh = email();
      await update(poolId, 'judy', { email: fresh, email_verified: 'true' });
      assert.equal((await attributesOf(poolId, 'judy')).email_verified, 'true');
      assert.equal((await outboxFor(s, fresh)).length, 0);
    });

    test('a pool that does not auto-verify e-mail sends nothing on change', async () => {
      const { poolId } = await poolAndClient(s, { AutoVerifiedAttributes: [] });
      await create(poolId, 'ken', { email: email() });
      const fresh = email();
      await update(poolId, 'ken', { email: fresh });
      assert.equal((await outboxFor(s, fresh)).length, 0);
      assert.equal((await attributesOf(poolId, 'ken')).email_verified, 'false');
    });

    test('schema rules: unknown, malformed, sub and immutable attributes are refused, and nothing changes', async () => {
      const { poolId } = await poolAndClient(s, { Schema: [{ Name: 'badge', AttributeDataType: 'String', Mutable: false }] });
      await create(poolId, 'leo', { name: 'Leo', 'custom:badge': 'gold' });
      await rejectsWith(update(poolId, 'leo', { name: 'X', 'custom:nope': '1' }), 'InvalidParameterException', /Type for attribute \{custom:nope\} could not be determined/);
      await rejectsWith(update(poolId, 'leo', { name: 'X', email: 'not-an-email' }), 'InvalidParameterException', 'Invalid email address format.');
      await rejectsWith(update(poolId, 'leo', { 'custom:badge': 'silver' }), 'InvalidParameterException', 'custom:badge: Attribute cannot be updated.');
      await rejectsWith(update(poolId, 'leo', { sub: '00000000-0000-0000-0000-000000000000' }), 'InvalidParameterException');
      const a = await attributesOf(poolId, 'leo');
      assert.equal(a.name, 'Leo');
      assert.equal(a['custom:badge'], 'gold');
      await rejectsWith(update(poolId, 'nobody', { name: 'X' }), 'UserNotFoundException', 'User does not exist.');
    });

    test('a verified e-mail alias another user holds is AliasExistsException and changes nothing', async () => {
      const { poolId } = await poolAndClient(s, { AliasAttributes: ['email'] });
      const shared = email();
      await create(poolId, 'mia', { email: shared, email_verified: 'true' });
      await create(poolId, 'ned', { email: email(), email_verified: 'true', name: 'Ned' });
      await rejectsWith(update(poolId, 'ned', { email: shared, email_verified: 'true', name: 'Changed' }), 'AliasExistsException', 'An account with the given email already exists.');
      assert.equal((await attributesOf(poolId, 'ned')).name, 'Ned');
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: shared }))).Username, 'mia');
      // Unverified, the same address is no alias, so it may be shared.
      await update(poolId, 'ned', { email: shared });
      assert.equal((await attributesOf(poolId, 'ned')).email, shared);
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: shared }))).Username, 'mia');
    });

    test('with UsernameAttributes=[email] an e-mail taken by another user cannot be set', async () => {
      const { poolId } = await poolAndClient(s, { UsernameAttributes: ['email'] });
      const a = email();
      const b = email();
      await create(poolId, a);
      await create(poolId, b);
      await rejectsWith(update(poolId, b, { email: a }), 'AliasExistsException', 'An account with the given email already exists.');
      const c = email();
      await update(poolId, b, { email: c });
      await rejectsWith(s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: b })), 'UserNotFoundException');
      assert.equal((await attributesOf(poolId, c)).email, c);
    });

    test('ConfirmSignUp: a verified alias held by another user is AliasExistsException unless ForceAliasCreation moves it', async () => {
      const { poolId, clientId } = await poolAndClient(s, { AliasAttributes: ['email'] });
      const shared = email();
      await create(poolId, 'olga', { email: shared, email_verified: 'true' });
      const pub = publicClient(s.url);
      try {
        await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'pete', Password: PASSWORD, UserAttributes: attrs({ email: shared }) }));
        const code = await lastCode(s, shared);
        const confirm = (ForceAliasCreation?: boolean) =>
          pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'pete', ConfirmationCode: code, ForceAliasCreation }));
        await rejectsWith(confirm(), 'AliasExistsException', 'An account with the given email already exists.');
        // The refused confirmation left the user unconfirmed and the code usable.
        assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'pete' }))).UserStatus, 'UNCONFIRMED');
        await confirm(true);
      } finally {
        pub.destroy();
      }
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: shared }))).Username, 'pete');
      assert.equal((await attributesOf(poolId, 'pete')).email_verified, 'true');
      assert.equal((await attributesOf(poolId, 'olga')).email_verified, 'false');
    });

    test('AdminDeleteUserAttributes removes attributes (e-mail with its flag) but never required ones', async () => {
      const { poolId } = await poolAndClient(s, { AliasAttributes: ['email'], Schema: [{ Name: 'family_name', Required: true }] });
      const to = email();
      await create(poolId, 'quinn', { email: to, email_verified: 'true', name: 'Q', family_name: 'Quinn' });
      await rejectsWith(remove(poolId, 'quinn', ['family_name']), 'InvalidParameterException', 'Attributes did not conform to the schema: family_name: The attribute is required');
      await rejectsWith(remove(poolId, 'quinn', ['custom:nope']), 'InvalidParameterException', /could not be determined/);
      await rejectsWith(remove(poolId, 'quinn', ['sub']), 'InvalidParameterException');
      await remove(poolId, to, ['email', 'name']);
      const a = await attributesOf(poolId, 'quinn');
      assert.deepEqual(Object.keys(a).sort(), ['family_name', 'sub']);
      // The alias went with the e-mail.
      await rejectsWith(s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: to })), 'UserNotFoundException');
    });

    test('removing an e-mail discards its pending verification code', async () => {
      const { poolId } = await poolAndClient(s);
      await create(poolId, 'rex', { email: email() });
      const fresh = email();
      await update(poolId, 'rex', { email: fresh });
      const pool = await s.app.pools.get(poolId);
      const user = await s.app.users.get(pool, 'rex');
      assert.ok(await s.app.store.codes.get(user.id, 'verify:email'));
      await remove(poolId, 'rex', ['email']);
      assert.equal(await s.app.store.codes.get(user.id, 'verify:email'), undefined);
    });

    test('AdminDeleteUserAttributes refuses a username attribute', async () => {
      const { poolId } = await poolAndClient(s, { UsernameAttributes: ['email'] });
      const to = email();
      await create(poolId, to);
      await rejectsWith(remove(poolId, to, ['email']), 'InvalidParameterException', /sign-in username/);
      assert.equal((await attributesOf(poolId, to)).email, to);
    });
  });
}
