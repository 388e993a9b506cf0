// UpdateUserAttributes in a pool that keeps the old e-mail until the new one is verified
// (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate): the old value stays in
// place and stays the sign-in alias, the new one waits with its code, VerifyUserAttribute puts it
// in place (or finds it taken: AliasExistsException), GetUserAttributeVerificationCode resends to it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../../src/clock.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { asRecord, attrs, email, failure, lastCode, makeClient, makePool, makeUser, messagesTo, signIn } from './support.js';

const CODE_EXPIRED = { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' };

for (const engine of engines) {
  describe(`attribute updates held until verified (${engine})`, () => {
    let s: TestServer;
    let api: CognitoIdentityProviderClient;
    let clock: ManualClock;
    let held: { poolId: string; clientId: string };
    before(async () => {
      clock = new ManualClock();
      s = await startServer({ engine, clock });
      api = publicClient(s.url);
      const poolId = await makePool(s, {
        AliasAttributes: ['email'],
        AutoVerifiedAttributes: ['email', 'phone_number'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      });
      held = { poolId, clientId: (await makeClient(s, poolId)).id };
    });
    after(async () => {
      api.destroy();
      await s.close();
    });

    let n = 0;
    /** A signed-in user of the pool with a verified e-mail. */
    async function setUp(attributes: Record<string, string> = {}) {
      const { poolId, clientId } = held;
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

    test('the old address stays in place, verified and the sign-in alias, until the code sent to the new one is used', async () => {
      const u = await setUp();
      const fresh = email('held');
      const r = await update(u.token, { email: fresh, name: 'Changed at once' });
      assert.deepEqual(r.CodeDeliveryDetailsList, [{ Destination: 'h***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
      let a = await mine(u.token);
      assert.equal(a.email, u.address);
      assert.equal(a.email_verified, 'true');
      assert.equal(a.name, 'Changed at once');
      assert.equal(await ownerOf(u.poolId, u.address), u.username);
      assert.equal(await ownerOf(u.poolId, fresh), undefined);
      await signIn(s, u.poolId, u.clientId, u.address);

      // A new code for the attribute goes to the value waiting for verification.
      const again = await resend(u.token, 'email');
      assert.equal(again.CodeDeliveryDetails?.Destination, 'h***@e***');
      assert.equal(await messagesTo(s, fresh), 2);
      assert.equal(await messagesTo(s, u.address), 0);

      await verify(u.token, 'email', await lastCode(s, fresh));
      a = await mine(u.token);
      assert.equal(a.email, fresh);
      assert.equal(a.email_verified, 'true');
      assert.equal(await ownerOf(u.poolId, fresh), u.username);
      assert.equal(await ownerOf(u.poolId, u.address), undefined);
      await signIn(s, u.poolId, u.clientId, fresh);
    });

    test('the waiting address taken meanwhile as another user\'s alias is AliasExistsException, and the old one stays', async () => {
      const u = await setUp();
      const contested = email();
      await update(u.token, { email: contested });
      const code = await lastCode(s, contested);
      await makeUser(s, u.poolId, `quick${n}`, { email: contested, email_verified: 'true' });
      assert.equal((await failure(verify(u.token, 'email', code))).name, 'AliasExistsException');
      const a = await mine(u.token);
      assert.equal(a.email, u.address);
      assert.equal(a.email_verified, 'true');
      assert.equal(await ownerOf(u.poolId, u.address), u.username);
    });

    test('setting the old value again gives up the waiting one', async () => {
      const u = await setUp();
      const abandoned = email();
      await update(u.token, { email: abandoned });
      const code = await lastCode(s, abandoned);
      await update(u.token, { email: u.address });
      assert.deepEqual(await failure(verify(u.token, 'email', code)), CODE_EXPIRED);
      assert.equal((await mine(u.token)).email, u.address);
    });

    test('a user without an address gets the new one at once, unverified', async () => {
      const { poolId, clientId } = held;
      const username = await makeUser(s, poolId, `bare${++n}`);
      const { AccessToken } = await signIn(s, poolId, clientId, username);
      const first = email();
      await update(AccessToken, { email: first });
      const a = await mine(AccessToken);
      assert.equal(a.email, first);
      assert.equal(a.email_verified, 'false');
      await verify(AccessToken, 'email', await lastCode(s, first));
      assert.equal(await ownerOf(poolId, first), username);
    });

    test('attributes not listed change at once', async () => {
      const u = await setUp({ phone_number: '+15550100999', phone_number_verified: 'true' });
      await update(u.token, { phone_number: '+15550100777' });
      const a = await mine(u.token);
      assert.equal(a.phone_number, '+15550100777');
      assert.equal(a.phone_number_verified, 'false');
    });
  });
}
