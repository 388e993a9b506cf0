// ListUserPools and ListUserPoolClients: pages, tokens, and tokens that do not belong.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  paginateListUserPoolClients,
  paginateListUserPools,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { rejectsWith } from './expect.js';

/** Flips one character in the middle of a token, keeping it well-formed text. */
function tamper(token: string): string {
  const i = Math.floor(token.length / 2);
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

for (const engine of engines) {
  describe(`list pools and clients (${engine})`, () => {
    let s: TestServer;
    const poolIds: string[] = [];
    let clientPool: string;
    const clientIds: string[] = [];
    before(async () => {
      s = await startServer({ engine });
      for (let i = 0; i < 7; i++) {
        poolIds.push((await s.idp.send(new CreateUserPoolCommand({ PoolName: `p${i}`, LambdaConfig: { PreSignUp: i === 0 ? 'arn:aws:lambda:us-east-1:000000000000:function:f' : undefined } }))).UserPool!.Id!);
      }
      clientPool = poolIds[0]!;
      for (let i = 0; i < 5; i++) {
        clientIds.push((await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: clientPool, ClientName: `c${i}` }))).UserPoolClient!.ClientId!);
      }
      // Another pool's clients never show up in the first pool's list.
      await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolIds[1], ClientName: 'elsewhere' }));
    });
    after(() => s.close());

    test('ListUserPools pages through every pool once, with a new token each page', async () => {
      const seen: string[] = [];
      const tokens = new Set<string>();
      let token: string | undefined;
      let pages = 0;
      do {
        const r = await s.idp.send(new ListUserPoolsCommand({ MaxResults: 3, NextToken: token }));
        assert.ok(r.UserPools!.length <= 3);
        seen.push(...r.UserPools!.map((p) => p.Id!));
        token = r.NextToken;
        if (token) {
          assert.ok(!tokens.has(token), 'a token came back twice');
          tokens.add(token);
        }
        pages++;
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual([...seen].sort(), [...poolIds].sort());
      assert.equal(new Set(seen).size, seen.length, 'a pool was listed twice');
    });

    test('ListUserPools summaries carry name, Lambda config and dates; the last page has no token', async () => {
      const r = await s.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      assert.equal(r.NextToken, undefined);
      const first = r.UserPools!.find((p) => p.Id === poolIds[0])!;
      assert.equal(first.Name, 'p0');
      assert.equal(first.LambdaConfig?.PreSignUp, 'arn:aws:lambda:us-east-1:000000000000:function:f');
      assert.ok(first.CreationDate instanceof Date);
      assert.ok(first.LastModifiedDate instanceof Date);
    });

    test('the SDK paginator walks ListUserPools', async () => {
      const ids: string[] = [];
      for await (const page of paginateListUserPools({ client: s.idp, pageSize: 2 }, { MaxResults: 2 })) {
        ids.push(...page.UserPools!.map((p) => p.Id!));
      }
      assert.deepEqual(ids.sort(), [...poolIds].sort());
    });

    test('ListUserPools needs MaxResults between 1 and 60', async () => {
      await rejectsWith(s.idp.send(new ListUserPoolsCommand({ MaxResults: 0 })), 'InvalidParameterException', /maxResults/);
      await rejectsWith(s.idp.send(new ListUserPoolsCommand({ MaxResults: 61 })), 'InvalidParameterException', /maxResults/);
      await rejectsWith(s.idp.send(new ListUserPoolsCommand({} as never)), 'InvalidParameterException', /maxResults/);
    });

    test('a tampered or foreign NextToken is refused', async () => {
      const r = await s.idp.send(new ListUserPoolsCommand({ MaxResults: 2 }));
      await rejectsWith(s.idp.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: tamper(r.NextToken!) })), 'InvalidParameterException', /pagination token/);
      await rejectsWith(s.idp.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: 'garbage' })), 'InvalidParameterException', /pagination token/);
      // A ListUserPools token is no cursor for ListUserPoolClients, nor one pool's for another's.
      await rejectsWith(
        s.idp.send(new ListUserPoolClientsCommand({ UserPoolId: clientPool, MaxResults: 2, NextToken: r.NextToken })),
        'InvalidParameterException',
        /pagination token/,
      );
      const c = await s.idp.send(new ListUserPoolClientsCommand({ UserPoolId: clientPool, MaxResults: 2 }));
      await rejectsWith(
        s.idp.send(new ListUserPoolClientsCommand({ UserPoolId: poolIds[1], MaxResults: 2, NextToken: c.NextToken })),
        'InvalidParameterException',
        /pagination token/,
      );
    });

    test('ListUserPoolClients pages through the pool\'s clients once each', async () => {
      const seen: { ClientId?: string; ClientName?: string; UserPoolId?: string }[] = [];
      let token: string | undefined;
      do {
        const r = await s.idp.send(new ListUserPoolClientsCommand({ UserPoolId: clientPool, MaxResults: 2, NextToken: token }));
        seen.push(...r.UserPoolClients!);
        assert.notEqual(r.NextToken, token);
        token = r.NextToken;
      } while (token);
      assert.deepEqual(seen.map((c) => c.ClientId).sort(), [...clientIds].sort());
      assert.ok(seen.every((c) => c.UserPoolId === clientPool && /^c\d$/.test(c.ClientName!)));
      const all = await s.idp.send(new ListUserPoolClientsCommand({ UserPoolId: clientPool }));
      assert.equal(all.UserPoolClients!.length, 5);
      assert.equal(all.NextToken, undefined);
    });

    test('the SDK paginator walks ListUserPoolClients', async () => {
      const ids: string[] = [];
      for await (const page of paginateListUserPoolClients({ client: s.idp, pageSize: 2 }, { UserPoolId: clientPool })) {
        ids.push(...page.UserPoolClients!.map((c) => c.ClientId!));
      }
      assert.deepEqual(ids.sort(), [...clientIds].sort());
    });

    test('ListUserPoolClients of an unknown pool is ResourceNotFoundException', async () => {
      await rejectsWith(
        s.idp.send(new ListUserPoolClientsCommand({ UserPoolId: 'us-east-1_notthere0' })),
        'ResourceNotFoundException',
        /User pool us-east-1_notthere0 does not exist/,
      );
    });
  });
}
