// SignUp and ConfirmSignUp through the real SDK: statuses, codes from the dev outbox, attribute
// and username rules, password policy errors, and uniqueness under concurrency.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { PASSWORD, email, lastCode, outboxFor, poolAndClient, rejectsWith } from './support.js';

for (const engine of engines) {
  describe(`SignUp and ConfirmSignUp (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
      ({ poolId, clientId } = await poolAndClient(s));
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    const signUp = (Username: string, attrs: Record<string, string> = {}, Password = PASSWORD, ClientId = clientId) =>
      pub.send(new SignUpCommand({ ClientId, Username, Password, UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })) }));
    const getUser = (Username: string, UserPoolId = poolId) => s.idp.send(new AdminGetUserCommand({ UserPoolId, Username }));
    const attr = (u: { UserAttributes?: { Name?: string; Value?: string }[] }, name: string) => u.UserAttributes?.find((a) => a.Name === name)?.Value;

    test('sign-up makes an UNCONFIRMED user and e-mails a code; the code confirms it and verifies the e-mail', async () => {
      const to = email();
      const r = await signUp('alice', { email: to, name: 'Alice' });
      assert.equal(r.UserConfirmed, false);
      assert.match(r.UserSub!, /^[0-9a-f-]{36}$/);
      assert.deepEqual(r.CodeDeliveryDetails, { Destination: `${to[0]}***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const before = await getUser('alice');
      assert.equal(before.UserStatus, 'UNCONFIRMED');
      assert.equal(attr(before, 'sub'), r.UserSub);
      assert.equal(attr(before, 'email_verified'), undefined);
      const code = await lastCode(s, to);
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: code }));
      const after = await getUser('alice');
      assert.equal(after.UserStatus, 'CONFIRMED');
      assert.equal(attr(after, 'email_verified'), 'true');
      assert.equal(attr(after, 'name'), 'Alice');
      // Confirming again is refused: the user is no longer UNCONFIRMED.
      await rejectsWith(
        pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: code })),
        'NotAuthorizedException',
        'User cannot be confirmed. Current status is CONFIRMED',
      );
    });

    test('a pool that verifies nothing sends nothing and returns no delivery details', async () => {
      const p = await poolAndClient(s, { AutoVerifiedAttributes: [] });
      const to = email();
      const r = await signUp('quiet', { email: to }, PASSWORD, p.clientId);
      assert.equal(r.CodeDeliveryDetails, undefined);
      assert.equal((await outboxFor(s, to)).length, 0);
      assert.equal((await getUser('quiet', p.poolId)).UserStatus, 'UNCONFIRMED');
    });

    test('usernames are unique per pool, case-insensitively by default', async () => {
      await signUp('Bob', { email: email() });
      await rejectsWith(signUp('bob', { email: email() }), 'UsernameExistsException', 'User already exists');
      await rejectsWith(signUp('BOB', { email: email() }), 'UsernameExistsException');
      assert.equal((await getUser('bOb')).Username, 'Bob');
    });

    test('a case-sensitive pool keeps Carol and carol apart', async () => {
      const p = await poolAndClient(s, { UsernameConfiguration: { CaseSensitive: true } });
      await signUp('Carol', { email: email() }, PASSWORD, p.clientId);
      await signUp('carol', { email: email() }, PASSWORD, p.clientId);
      assert.equal((await getUser('Carol', p.poolId)).Username, 'Carol');
      assert.equal((await getUser('carol', p.poolId)).Username, 'carol');
    });

    test('of concurrent sign-ups of one name exactly one succeeds, and nothing half-written remains', async () => {
      const addresses = Array.from({ length: 8 }, () => email('race'));
      const results = await Promise.allSettled(addresses.map((a) => signUp('racer', { email: a })));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 7);
      for (const l of lost) assert.equal(l.reason.name, 'UsernameExistsException');
      const user = await getUser('racer');
      const winner = addresses.find((a) => a === attr(user, 'email'))!;
      assert.equal((await outboxFor(s, winner)).length, 1);
      for (const a of addresses.filter((x) => x !== winner)) assert.equal((await outboxFor(s, a)).length, 0);
    });

    test('unusual Unicode usernames and attribute values round-trip', async () => {
      for (const name of ['Ünïcødé', '名前ユーザー', 'emoji🎉user', 'ǅemo', 'ﬁne']) {
        const r = await signUp(name, { email: email(), name: `${name} ✓` });
        const u = await getUser(name);
        assert.equal(u.Username, name);
        assert.equal(attr(u, 'sub'), r.UserSub);
        assert.equal(attr(u, 'name'), `${name} ✓`);
      }
      // The upper-case form finds the same user (case-insensitive pool).
      assert.equal((await getUser('ÜNÏCØDÉ')).Username, 'Ünïcødé');
      // Whitespace and control characters are outside the username pattern.
      await rejectsWith(signUp('has space', { email: email() }), 'InvalidParameterException');
      await rejectsWith(signUp('tab\tname', { email: email() }), 'InvalidParameterException');
    });

    test('password policy errors name the broken rule', async () => {
      const cases: [string, string][] = [
        ['Pw0!', 'Password not long enough'],
        ['PASSWORD0!', 'Password must have lowercase characters'],
        ['password0!', 'Password must have uppercase characters'],
        ['Password!!', 'Password must have numeric characters'],
        ['Passw0rdxx', 'Password must have symbol characters'],
      ];
      for (const [pw, rule] of cases) {
        await rejectsWith(signUp('weak', { email: email() }, pw), 'InvalidPasswordException', `Password did not conform with policy: ${rule}`);
      }
      await rejectsWith(getUser('weak'), 'UserNotFoundException', 'User does not exist.');
    });

    test('attribute rules: required, known, well-formed, and writable by the client', async () => {
      const p = await poolAndClient(s, { Schema: [{ Name: 'given_name', Required: true }, { Name: 'team', AttributeDataType: 'String' }] }, { WriteAttributes: ['email', 'given_name'] });
      const up = (attrs: Record<string, string>) => signUp('attrs', attrs, PASSWORD, p.clientId);
      await rejectsWith(up({ email: email() }), 'InvalidParameterException', 'Attributes did not conform to the schema: given_name: The attribute is required');
      await rejectsWith(up({ email: email(), given_name: 'A', 'custom:nope': 'x' }), 'InvalidParameterException', /Type for attribute \{custom:nope\} could not be determined/);
      await rejectsWith(up({ email: 'nope', given_name: 'A' }), 'InvalidParameterException', 'Invalid email address format.');
      await rejectsWith(up({ email: email(), given_name: 'A', phone_number: '12345' }), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
      await rejectsWith(up({ email: email(), given_name: 'A', 'custom:team': 'x' }), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
      await rejectsWith(up({ email: email(), given_name: 'A', email_verified: 'true' }), 'NotAuthorizedException');
      await rejectsWith(getUser('attrs', p.poolId), 'UserNotFoundException');
      await up({ email: email(), given_name: 'A' });
      assert.equal(attr(await getUser('attrs', p.poolId), 'given_name'), 'A');
    });

    test('a client may never write *_verified even without WriteAttributes', async () => {
      await rejectsWith(signUp('verif', { email: email(), email_verified: 'true' }), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
      await rejectsWith(signUp('verif', { phone_number: '+14155550100', phone_number_verified: 'true' }), 'NotAuthorizedException');
    });

    test('UsernameAttributes=[email]: the username must be an e-mail, becomes the email attribute, and the real username is the sub', async () => {
      const p = await poolAndClient(s, { UsernameAttributes: ['email'] });
      await rejectsWith(signUp('plainname', {}, PASSWORD, p.clientId), 'InvalidParameterException', 'Username should be an email.');
      const to = email('Dana');
      const r = await signUp(to, {}, PASSWORD, p.clientId);
      assert.equal(r.CodeDeliveryDetails?.AttributeName, 'email');
      const u = await getUser(to.toUpperCase(), p.poolId);
      assert.equal(u.Username, r.UserSub);
      assert.equal(attr(u, 'email'), to);
      assert.equal((await getUser(r.UserSub!, p.poolId)).Username, r.UserSub);
      await rejectsWith(signUp(to.toLowerCase(), {}, PASSWORD, p.clientId), 'UsernameExistsException', 'An account with the given email already exists.');
      // Confirmed with the e-mail as the username.
      await pub.send(new ConfirmSignUpCommand({ ClientId: p.clientId, Username: to, ConfirmationCode: await lastCode(s, to) }));
      assert.equal((await getUser(to, p.poolId)).UserStatus, 'CONFIRMED');
    });

    test('UsernameAttributes=[phone_number, email] takes either', async () => {
      const p = await poolAndClient(s, { UsernameAttributes: ['phone_number', 'email'], AutoVerifiedAttributes: ['phone_number'] });
      await rejectsWith(signUp('neither', {}, PASSWORD, p.clientId), 'InvalidParameterException', 'Username should be either an email or a phone number.');
      const r = await signUp('+14155550111', {}, PASSWORD, p.clientId);
      assert.deepEqual(r.CodeDeliveryDetails, { Destination: '+*******0111', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
      const sms = (await outboxFor(s, '+14155550111'))[0];
      assert.equal(sms.channel, 'sms');
      assert.match(sms.body, /\b\d{6}\b/);
    });

    test('AliasAttributes pools refuse usernames shaped like their aliases', async () => {
      const p = await poolAndClient(s, { AliasAttributes: ['email', 'phone_number'] });
      await rejectsWith(
        signUp('eve@example.com', { email: email() }, PASSWORD, p.clientId),
        'InvalidParameterException',
        'Username cannot be of email format, since user pool is configured for email alias.',
      );
      await rejectsWith(signUp('+14155550123', {}, PASSWORD, p.clientId), 'InvalidParameterException', /phone number format/);
      await signUp('eve', { email: email() }, PASSWORD, p.clientId);
    });

    test('sign-up is refused when only administrators may create users', async () => {
      const p = await poolAndClient(s, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
      await rejectsWith(signUp('nobody', { email: email() }, PASSWORD, p.clientId), 'NotAuthorizedException', 'SignUp is not permitted for this user pool');
    });

    test('an unknown client is ResourceNotFoundException', async () => {
      await rejectsWith(signUp('x', {}, PASSWORD, 'nosuchclient0000000000000'), 'ResourceNotFoundException');
    });

    test('ConfirmSignUp of an unknown user is UserNotFoundException, or a code mismatch when existence is hidden', async () => {
      await rejectsWith(
        pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ghost', ConfirmationCode: '123456' })),
        'UserNotFoundException',
        'Username/client id combination not found.',
      );
      const p = await poolAndClient(s, {}, { PreventUserExistenceErrors: 'ENABLED' });
      await rejectsWith(
        pub.send(new ConfirmSignUpCommand({ ClientId: p.clientId, Username: 'ghost', ConfirmationCode: '123456' })),
        'CodeMismatchException',
        'Invalid verification code provided, please try again.',
      );
    });
  });
}
