// AdminLinkProviderForUser and AdminDisableProviderForUser through the AWS SDK, on every engine:
// the destination's identities attribute, the refusals, more than five identities on one user,
// unlinking, and disabling an unlinked federated user.
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../support/server.js';
import { refused } from '../oauth/support.js';

const DETAILS = { client_id: 'rp', authorize_scopes: 'openid', oidc_issuer: 'https://issuer.example.com', attributes_request_method: 'GET' };

for (const engine of engines) {
  describe(`linking external identities (${engine})`, () => {
    let s: TestServer;
    let poolId: string;
    before(async () => {
      s = await startServer({ engine });
      poolId = (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'links' }))).UserPool!.Id!;
      await s.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: DETAILS }));
      for (const u of ['native', 'other']) await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: u, MessageAction: 'SUPPRESS' }));
    });
    after(() => s.close());

    const linkTo = (username: string, value: string, provider = 'Corp', attribute = 'Cognito_Subject') =>
      s.idp.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: poolId,
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: username },
          SourceUser: { ProviderName: provider, ProviderAttributeName: attribute, ProviderAttributeValue: value },
        }),
      );
    const identities = async (username: string) => {
      const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      const v = u.UserAttributes!.find((a) => a.Name === 'identities')?.Value;
      return v ? (JSON.parse(v) as Record<string, string>[]) : [];
    };

    test('a linked identity shows in identities; seven links on one user are allowed; linking again is a no-op', async () => {
      await linkTo('native', 'sub-1');
      await linkTo('native', 'sub-1');
      const ids = await identities('native');
      assert.equal(ids.length, 1);
      assert.deepEqual({ ...ids[0], dateCreated: undefined }, { userId: 'sub-1', providerName: 'Corp', providerType: 'OIDC', issuer: DETAILS.oidc_issuer, primary: 'false', dateCreated: undefined });
      for (let i = 2; i <= 7; i++) await linkTo('native', `sub-${i}`);
      assert.equal((await identities('native')).length, 7);
    });

    test('refusals: unknown provider, other attribute, unknown user, identity linked elsewhere', async () => {
      await refused(linkTo('native', 'x', 'Nope'), 'InvalidParameterException');
      await refused(linkTo('native', 'x', 'Corp', 'email'), 'InvalidParameterException');
      await refused(linkTo('ghost', 'x'), 'UserNotFoundException');
      await refused(linkTo('other', 'sub-1'), 'InvalidParameterException');
    });

    test('a provider user id over 2,048 bytes of UTF-8 is InvalidParameterException; one of 2,048 links', async () => {
      // Random hex does not compress: 3,000 characters overflow a PostgreSQL index entry.
      await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'long-ids', MessageAction: 'SUPPRESS' }));
      const long = randomBytes(1500).toString('hex');
      await refused(linkTo('long-ids', long), 'InvalidParameterException');
      assert.equal((await identities('long-ids')).length, 0);
      const fits = randomBytes(1024).toString('hex');
      await linkTo('long-ids', fits);
      assert.deepEqual((await identities('long-ids')).map((i) => i.userId), [fits]);
    });

    test('concurrent links and unlinks of one user: every call succeeds and identities ends as the links do', async () => {
      await s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'busy', MessageAction: 'SUPPRESS' }));
      for (const v of ['busy-a', 'busy-b']) await linkTo('busy', v);
      const unlink = (value: string) =>
        s.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: poolId, User: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: value } }));
      // Six links and two unlinks at once (PostgreSQL: each takes the pool, then the user row).
      await Promise.all([...[1, 2, 3, 4, 5, 6].map((i) => linkTo('busy', `busy-${i}`)), unlink('busy-a'), unlink('busy-b')]);
      const ids = (await identities('busy')).map((i) => i.userId).sort();
      assert.deepEqual(ids, ['busy-1', 'busy-2', 'busy-3', 'busy-4', 'busy-5', 'busy-6']);
    });

    test('AdminDisableProviderForUser unlinks; an unknown identity is UserNotFoundException', async () => {
      await linkTo('other', 'sub-other');
      await s.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: poolId, User: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'sub-other' } }));
      assert.deepEqual(await identities('other'), []);
      await linkTo('native', 'sub-other');
      assert.ok((await identities('native')).some((i) => i.userId === 'sub-other'));
      await refused(
        s.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: poolId, User: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'never-seen' } })),
        'UserNotFoundException',
      );
    });
  });
}
