// UpdateUserAttributes, DeleteUserAttributes, GetUserAttributeVerificationCode and
// VerifyUserAttribute through the SDK with a signed-in user's access token: codes to changed
// contacts, what the app client may write, expiry with a ManualClock, alias conflicts. Pools that
// keep the old value until the new one is verified are in held-attributes.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  DeleteUserAttributesCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { asRecord, attrs, email, failure, lastCode, makeClient, makePool, makeUser, messagesTo, signIn, signInPublic, wrong } from './support.js';

const HOUR = 60 * 60 * 1000;
const CODE_MISMATCH = { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };
const CODE_EXPIRED = { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' };

/** The shared pool: e-mail and phone verified by code, a custom attribute, a required one. */
const SHARED_POOL: Partial<CreateUserPoolCommandInput> = {
  AutoVerifiedAttributes: ['email', 'phone_number'],
  Schema: [
    { Name: 'tier', AttributeDataType: 'String', Mutable: true },
    { Name: 'given_name', AttributeDataType: 'String', Required: true, Mutable: true },
  ],
};

for (const engine of engines) {
  describe(`self-service attributes (${engine})`, () => {
    let s: TestServer;
    let api: CognitoIdentityProviderClient;
    let clock: ManualClock;
    // Tests that need no pool settings of their own share one pool (each pool costs key generations).
    let shared: { poolId: string; clientId: string };
    before(async () => {
      clock = new ManualClock();
      s = await startServer({ engine, clock });
      api = publicClient(s.url);
      const poolId = await makePool(s, SHARED_POOL);
      shared = { poolId, clientId: (await makeClient(s, poolId)).id };
    });
    after(async () => {
      api.destroy();
      await s.close();
    });

    let n = 0;
    /** A signed-in user with a verified e-mail, in the shared pool or a new one with `pool` settings. */
    async function setUp(pool?: Partial<CreateUserPoolCommandInput>, attributes: Record<string, string> = {}) {
      const poolId = pool ? await makePool(s, pool) : shared.poolId;
      const clientId = pool ? (await makeClient(s, poolId)).id : shared.clientId;
      const address = email();
      const username = await makeUser(s, poolId, `user${++n}`, { email: address, email_verified: 'true', ...attributes });
      const { AccessToken } = await signIn(s, poolId, clientId, username);
      return { poolId, clientId, username, address, token: AccessToken };
    }
    const update = (AccessToken: string, a: Record<string, string>) => api.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: attrs(a) }));
    const verify = (AccessToken: string, AttributeName: string, Code: string) => api.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName, Code }));
    const resend = (AccessToken: string, AttributeName: string) => {
      clock.advance(1000); // so the outbox orders the new message after the old
      return api.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName }));
    };
    const mine = async (AccessToken: string) => asRecord((await api.send(new GetUserCommand({ AccessToken }))).UserAttributes);
    const ownerOf = async (UserPoolId: string, Username: string) =>
      (await s.idp.send(new AdminGetUserCommand({ UserPoolId, Username })).catch(() => undefined))?.Username;

    test('other attributes change at once, without codes', async () => {
      const u = await setUp();
      const r = await update(u.token, { name: 'Grace', locale: 'en-GB' });
      assert.equal(r.CodeDeliveryDetailsList, undefined);
      const a = await mine(u.token);
      assert.equal(a.name, 'Grace');
      assert.equal(a.locale, 'en-GB');
      assert.equal(a.email_verified, 'true');
    });

    test('a changed e-mail becomes unverified, a code goes to the new address, and VerifyUserAttribute verifies it', async () => {
      const u = await setUp();
      const fresh = email('new');
      const r = await update(u.token, { email: fresh });
      assert.deepEqual(r.CodeDeliveryDetailsList, [{ Destination: `n***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
      assert.equal(await messagesTo(s, u.address), 0);
      let a = await mine(u.token);
      assert.equal(a.email, fresh);
      assert.equal(a.email_verified, 'false');

      const code = await lastCode(s, fresh);
      assert.deepEqual(await failure(verify(u.token, 'email', wrong(code))), CODE_MISMATCH);
      await verify(u.token, 'email', code);
      a = await mine(u.token);
      assert.equal(a.email_verified, 'true');
      // Single use.
      assert.deepEqual(await failure(verify(u.token, 'email', code)), CODE_EXPIRED);
    });

    test('a changed phone number gets its code by SMS in a pool that verifies phones', async () => {
      const u = await setUp();
      const r = await update(u.token, { phone_number: '+15550100123' });
      assert.deepEqual(r.CodeDeliveryDetailsList, [{ Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
      await verify(u.token, 'phone_number', await lastCode(s, '+15550100123'));
      assert.equal((await mine(u.token)).phone_number_verified, 'true');
    });

    test("the app client writes only its WriteAttributes, never *_verified or unknown attributes", async () => {
      const { poolId } = shared;
      const clientId = (await makeClient(s, poolId, { WriteAttributes: ['name', 'email'] })).id;
      const username = await makeUser(s, poolId, 'writer', { email: email(), name: 'Before', given_name: 'W' });
      const { AccessToken } = await signIn(s, poolId, clientId, username);
      const unauthorized = { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' };
      assert.deepEqual(await failure(update(AccessToken, { name: 'X', 'custom:tier': 'gold' })), unauthorized);
      assert.deepEqual(await failure(update(AccessToken, { email_verified: 'true' })), unauthorized);
      assert.equal((await failure(update(AccessToken, { 'custom:nope': '1' }))).name, 'InvalidParameterException');
      assert.equal((await failure(update(AccessToken, { email: 'not-an-email' }))).name, 'InvalidParameterException');
      const a = await mine(AccessToken);
      assert.equal(a.name, 'Before');
      assert.equal(a['custom:tier'], undefined);
      assert.notEqual(a.email_verified, 'true');
    });

    test('GetUserAttributeVerificationCode sends a new code and the old one stops working', async () => {
      const u = await setUp(undefined, { email_verified: 'false' });
      const first = await resend(u.token, 'email');
      assert.deepEqual(first.CodeDeliveryDetails, { Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const old = await lastCode(s, u.address);
      await resend(u.token, 'email');
      const current = await lastCode(s, u.address);
      assert.equal(await messagesTo(s, u.address), 2);
      if (old !== current) assert.deepEqual(await failure(verify(u.token, 'email', old)), CODE_MISMATCH);
      await verify(u.token, 'email', current);
      assert.equal((await mine(u.token)).email_verified, 'true');

      assert.equal((await failure(resend(u.token, 'name'))).name, 'InvalidParameterException');
      assert.equal((await failure(resend(u.token, 'phone_number'))).name, 'InvalidParameterException');
      assert.equal((await failure(verify(u.token, 'name', '123456'))).name, 'InvalidParameterException');
    });

    test('an attribute code expires after 24 hours', async () => {
      const u = await setUp();
      const fresh = email();
      await update(u.token, { email: fresh });
      const code = await lastCode(s, fresh);
      const DAY = 24 * HOUR + 1000;
      clock.advance(DAY);
      try {
        // The access token has expired meanwhile: sign in again (unsigned: the admin's SigV4 clock is real time).
        const { AccessToken } = await signInPublic(s, u.clientId, u.username);
        assert.deepEqual(await failure(verify(AccessToken, 'email', code)), CODE_EXPIRED);
        assert.equal((await mine(AccessToken)).email_verified, 'false');
        await resend(AccessToken, 'email');
        await verify(AccessToken, 'email', await lastCode(s, fresh));
        assert.equal((await mine(AccessToken)).email_verified, 'true');
      } finally {
        clock.advance(-DAY);
      }
    });

    test('a code for an address the user no longer has is refused', async () => {
      const u = await setUp({ AutoVerifiedAttributes: [] }, { email_verified: 'false' });
      await resend(u.token, 'email');
      const code = await lastCode(s, u.address);
      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: u.poolId, Username: u.username, UserAttributes: attrs({ email: email() }) }));
      assert.deepEqual(await failure(verify(u.token, 'email', code)), CODE_MISMATCH);
      assert.equal((await mine(u.token)).email_verified, 'false');
    });

    test('DeleteUserAttributes removes attributes and their flags, never required ones', async () => {
      const u = await setUp(undefined, {
        given_name: 'Ada',
        name: 'Ada L.',
      });
      await api.send(new DeleteUserAttributesCommand({ AccessToken: u.token, UserAttributeNames: ['name', 'email'] }));
      let a = await mine(u.token);
      assert.equal(a.name, undefined);
      assert.equal(a.email, undefined);
      assert.equal(a.email_verified, undefined);
      const required = await failure(api.send(new DeleteUserAttributesCommand({ AccessToken: u.token, UserAttributeNames: ['given_name'] })));
      assert.deepEqual(required, { name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: given_name: The attribute is required' });
      a = await mine(u.token);
      assert.equal(a.given_name, 'Ada');
      // An empty value in UpdateUserAttributes removes too.
      await update(u.token, { locale: 'fr' });
      await update(u.token, { locale: '' });
      assert.equal((await mine(u.token)).locale, undefined);
    });

    test('verifying an address that another user holds as a verified alias is AliasExistsException', async () => {
      const u = await setUp({ AliasAttributes: ['email'] });
      const taken = email();
      await makeUser(s, u.poolId, 'holder', { email: taken, email_verified: 'true' });
      await update(u.token, { email: taken });
      const code = await lastCode(s, taken);
      assert.deepEqual(await failure(verify(u.token, 'email', code)), {
        name: 'AliasExistsException',
        message: 'An account with the given email already exists.',
      });
      assert.equal((await mine(u.token)).email_verified, 'false');
      assert.equal(await ownerOf(u.poolId, taken), 'holder');
    });
  });
}
