// Writes of one part of a user must not undo a concurrent change of another part, on both engines:
// a save of a copy read before AdminDisableUser leaves the user disabled, one read before
// AdminSetUserPassword leaves the new password; AssociateSoftwareToken
// racing AdminDisableUser or AdminSetUserMFAPreference loses neither change (PostgreSQL used to
// write the whole row back from the copy it read).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient } from '../../support/server.js';
import { replacePassword } from '../../../src/userpools/password-history.js';
import { adminTokens, configureMfa, makeClient, makePool, makeUser, startMfaServer, type MfaServer } from '../mfa/support.js';

for (const engine of engines) {
  describe(`stale and concurrent user writes (${engine})`, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
      poolId = await makePool(s);
      await configureMfa(s, poolId, { EmailMfaConfiguration: { Message: 'Code {####}', Subject: 'Code' } });
      clientId = (await makeClient(s, poolId)).id;
    });
    after(async () => {
      idp.destroy();
      await s.close();
    });

    const enabled = async (Username: string) => (await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }))).Enabled;

    test('a save of a copy read before AdminDisableUser leaves the user disabled', async () => {
      await makeUser(s, poolId, 'stale');
      const pool = await s.app.pools.get(poolId);
      const copy = (await s.app.users.find(pool, 'stale'))!;
      await s.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'stale' }));
      await s.app.users.save(pool, { ...copy, attributes: { ...copy.attributes, name: 'Renamed' }, updatedAt: Date.now() });
      assert.equal(await enabled('stale'), false);
    });

    test("a save of a copy read before AdminSetUserPassword keeps the new password, and the copy's own change is written", async () => {
      await makeUser(s, poolId, 'reset-me');
      const pool = await s.app.pools.get(poolId);
      const copy = (await s.app.users.find(pool, 'reset-me'))!;
      await s.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'reset-me', Password: 'Replaced-Passw0rd!', Permanent: true }));
      await s.app.users.save(pool, { ...copy, attributes: { ...copy.attributes, name: 'Stale' }, updatedAt: Date.now() });
      const signedIn = await s.idp.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reset-me', PASSWORD: 'Replaced-Passw0rd!' } }),
      );
      assert.ok(signedIn.AuthenticationResult?.AccessToken, 'the replaced password still signs in');
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'reset-me' }));
      assert.equal(u.UserAttributes!.find((a) => a.Name === 'name')?.Value, 'Stale');
    });

    test('a re-indexing save of a stale copy keeps the row and its aliases in agreement', async () => {
      const aliasPool = await makePool(s, { AliasAttributes: ['email'] });
      await makeUser(s, aliasPool, 'indexed', { attributes: { email: 'first@example.com', email_verified: 'true' } });
      const pool = await s.app.pools.get(aliasPool);
      const copy = (await s.app.users.find(pool, 'indexed'))!;
      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: aliasPool, Username: 'indexed', UserAttributes: [{ Name: 'email', Value: 'second@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
      await s.app.users.save(pool, { ...copy, mfa: { ...copy.mfa, smsEnabled: true }, updatedAt: Date.now() }, { reindex: true });
      const stored = (await s.app.users.find(pool, 'indexed'))!;
      const aliases = await s.app.store.db.selectFrom('user_aliases').select('value_norm').where('user_id', '=', stored.id).execute();
      assert.deepEqual(aliases.map((a) => a.value_norm), [stored.attributes.email!.toLowerCase()]);
    });

    test("a stale copy's change of one attribute or MFA key keeps the keys others changed meanwhile", async () => {
      await makeUser(s, poolId, 'docs', { attributes: { email: 'docs@example.com', email_verified: 'true', nickname: 'before' } });
      const pool = await s.app.pools.get(poolId);
      const first = (await s.app.users.find(pool, 'docs'))!;
      const second = (await s.app.users.find(pool, 'docs'))!;
      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'docs', UserAttributes: [{ Name: 'name', Value: 'Set Meanwhile' }] }));
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'docs', EmailMfaSettings: { Enabled: true } }));
      // One copy adds an attribute and removes another; the other changes an MFA key.
      const { nickname: _gone, ...kept } = first.attributes;
      await s.app.users.save(pool, { ...first, attributes: { ...kept, given_name: 'Added' }, updatedAt: Date.now() });
      await s.app.users.save(pool, { ...second, mfa: { ...second.mfa, smsEnabled: true }, updatedAt: Date.now() });
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'docs' }));
      const attr = (n: string) => u.UserAttributes!.find((a) => a.Name === n)?.Value;
      assert.equal(attr('name'), 'Set Meanwhile');
      assert.equal(attr('given_name'), 'Added');
      assert.equal(attr('nickname'), undefined);
      assert.equal(attr('email'), 'docs@example.com');
      assert.deepEqual([...(u.UserMFASettingList ?? [])].sort(), ['EMAIL_OTP', 'SMS_MFA']);
    });

    test('a verification flag goes with the value it vouches for: a copy that verified the old e-mail writes nothing of it once the address changed', async () => {
      await makeUser(s, poolId, 'flagged', { attributes: { email: 'old@example.com', email_verified: 'false', nickname: 'n' } });
      const pool = await s.app.pools.get(poolId);
      const copy = (await s.app.users.find(pool, 'flagged'))!;
      // Meanwhile an administrator changes the address (unverified) and another attribute.
      await s.idp.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: 'flagged',
          UserAttributes: [
            { Name: 'email', Value: 'new@example.com' },
            { Name: 'nickname', Value: 'changed' },
          ],
        }),
      );
      await s.app.users.save(pool, { ...copy, attributes: { ...copy.attributes, email_verified: 'true', given_name: 'G' }, updatedAt: Date.now() }, { reindex: true });
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'flagged' }));
      const attr = (n: string) => u.UserAttributes!.find((a) => a.Name === n)?.Value;
      assert.deepEqual([attr('email'), attr('email_verified')], ['new@example.com', 'false'], 'neither reverted nor verified');
      assert.equal(attr('nickname'), 'changed');
      assert.equal(attr('given_name'), 'G', "the copy's other change is written");
    });

    test('what a request states is written even where its copy read the same value; a removal removes what was set meanwhile', async () => {
      await makeUser(s, poolId, 'stated', { attributes: { nickname: 'mine' } });
      const pool = await s.app.pools.get(poolId);
      const copy = (await s.app.users.find(pool, 'stated'))!;
      const second = (await s.app.users.find(pool, 'stated'))!;
      await s.idp.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: 'stated',
          UserAttributes: [
            { Name: 'nickname', Value: 'theirs' },
            { Name: 'given_name', Value: 'Added' },
          ],
        }),
      );
      await s.app.users.updateAttributes(pool, copy, [{ Name: 'nickname', Value: 'mine' }], { by: 'admin' });
      await s.app.users.deleteAttributes(pool, second, ['given_name'], { by: 'admin' });
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'stated' }));
      const attr = (n: string) => u.UserAttributes!.find((a) => a.Name === n)?.Value;
      assert.equal(attr('nickname'), 'mine');
      assert.equal(attr('given_name'), undefined);
      // A second save of the same object re-applies nothing: a change made in between stays.
      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'stated', UserAttributes: [{ Name: 'nickname', Value: 'later' }] }));
      await s.app.users.save(pool, { ...copy, attributes: { ...copy.attributes, family_name: 'F' }, updatedAt: Date.now() });
      const v = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'stated' }));
      assert.equal(v.UserAttributes!.find((a) => a.Name === 'nickname')?.Value, 'later');
      assert.equal(v.UserAttributes!.find((a) => a.Name === 'family_name')?.Value, 'F');
      assert.equal(v.UserAttributes!.find((a) => a.Name === 'given_name')?.Value, undefined, 'the first save merged it in; the second does not count it as its own');
    });

    test('a copy that turns a method off drops a preference for it set meanwhile', async () => {
      await makeUser(s, poolId, 'prefers', { attributes: { email: 'prefers@example.com', email_verified: 'true' } });
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'prefers', EmailMfaSettings: { Enabled: true } }));
      const pool = await s.app.pools.get(poolId);
      const copy = (await s.app.users.find(pool, 'prefers'))!;
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'prefers', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      await s.app.users.save(pool, { ...copy, mfa: { ...copy.mfa, emailEnabled: false }, updatedAt: Date.now() });
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'prefers' }));
      assert.equal(u.PreferredMfaSetting, undefined);
      assert.deepEqual(u.UserMFASettingList ?? [], []);
      assert.equal((await s.app.users.find(pool, 'prefers'))!.mfa.preferred, undefined);
    });

    test('a password change (with history) of a copy read before an MFA change keeps the MFA change and remembers the old password', async () => {
      const historyPool = await makePool(s, { Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 3 } } });
      await configureMfa(s, historyPool, { EmailMfaConfiguration: { Message: 'Code {####}', Subject: 'Code' } });
      await makeUser(s, historyPool, 'hist', { attributes: { email: 'hist@example.com', email_verified: 'true' } });
      const pool = await s.app.pools.get(historyPool);
      const copy = (await s.app.users.find(pool, 'hist'))!;
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: historyPool, Username: 'hist', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      await replacePassword(s.app.users, pool, copy, 'Second-Passw0rd!');
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: historyPool, Username: 'hist' }));
      assert.deepEqual(u.UserMFASettingList, ['EMAIL_OTP']);
      assert.equal(u.PreferredMfaSetting, 'EMAIL_OTP');
      const stored = (await s.app.users.find(pool, 'hist'))!;
      assert.equal(typeof stored.mfa.passwordHistory, 'string', 'the old password is remembered');
    });

    test('AssociateSoftwareToken racing AdminDisableUser or AdminSetUserMFAPreference: both changes stay', async () => {
      for (let round = 0; round < 8; round++) {
        const name = `racer${round}`;
        await makeUser(s, poolId, name, { attributes: { email: `${name}@example.com` } });
        await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: name, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
        const { AccessToken } = (await adminTokens(s, poolId, clientId, name))!;
        const [associated] = await Promise.all([
          idp.send(new AssociateSoftwareTokenCommand({ AccessToken })).then(
            () => 'ok',
            (e: Error) => e.name,
          ),
          s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: name, EmailMfaSettings: { Enabled: true } })),
          s.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: name })),
        ]);
        const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: name }));
        assert.equal(u.Enabled, false, `round ${round}: still disabled`);
        assert.deepEqual(u.UserMFASettingList, ['EMAIL_OTP'], `round ${round}: e-mail MFA kept`);
        // Associated before the disable took effect, or refused after it: either way nothing lost.
        const pool = await s.app.pools.get(poolId);
        const pending = (await s.app.users.find(pool, name))!.mfa.totpPending;
        if (associated === 'ok') assert.ok(pending, `round ${round}: the pending TOTP secret kept`);
        else assert.equal(associated, 'NotAuthorizedException', `round ${round}`);
      }
    });
  });
}
