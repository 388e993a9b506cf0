// TagResource, UntagResource, ListTagsForResource on pool ARNs, and AddCustomAttributes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddCustomAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { rejectsWith } from './expect.js';

for (const engine of engines) {
  describe(`tags and custom attributes (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine })));
    after(() => s.close());

    const newPool = async (tags?: Record<string, string>) =>
      (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'tagged', UserPoolTags: tags }))).UserPool!;
    const tagsOf = async (arn: string) => (await s.idp.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;

    test('tags are added, overwritten, listed and removed by key', async () => {
      const pool = await newPool({ owner: 'alice' });
      assert.deepEqual(await tagsOf(pool.Arn!), { owner: 'alice' });
      await s.idp.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: { owner: 'bob', cost: '42', empty: '' } }));
      assert.deepEqual(await tagsOf(pool.Arn!), { cost: '42', empty: '', owner: 'bob' });
      await s.idp.send(new UntagResourceCommand({ ResourceArn: pool.Arn, TagKeys: ['owner', 'not-there'] }));
      assert.deepEqual(await tagsOf(pool.Arn!), { cost: '42', empty: '' });
      const d = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
      assert.deepEqual(d.UserPool!.UserPoolTags, { cost: '42', empty: '' });
    });

    test('tags of one pool never show on another', async () => {
      const a = await newPool({ which: 'a' });
      const b = await newPool();
      assert.deepEqual(await tagsOf(b.Arn!), {});
      assert.deepEqual(await tagsOf(a.Arn!), { which: 'a' });
    });

    test('an ARN that names no pool of this server is ResourceNotFoundException', async () => {
      const pool = await newPool();
      const arns = [
        'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nonexist1',
        pool.Arn!.replace(':000000000000:', ':123456789012:'),
        'arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:abc',
      ];
      for (const arn of arns) {
        await rejectsWith(s.idp.send(new ListTagsForResourceCommand({ ResourceArn: arn })), 'ResourceNotFoundException');
        await rejectsWith(s.idp.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: 'b' } })), 'ResourceNotFoundException');
        await rejectsWith(s.idp.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] })), 'ResourceNotFoundException');
      }
    });

    test('reserved keys and more than 50 tags are refused, changing nothing', async () => {
      const pool = await newPool({ keep: 'me' });
      await rejectsWith(s.idp.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: { 'aws:x': '1' } })), 'InvalidParameterException', /aws:/);
      const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
      await rejectsWith(s.idp.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: many })), 'InvalidParameterException', /at most 50/);
      assert.deepEqual(await tagsOf(pool.Arn!), { keep: 'me' });
    });

    test('AddCustomAttributes appends custom:<name> attributes that clients may then use', async () => {
      const pool = await newPool();
      await s.idp.send(
        new AddCustomAttributesCommand({
          UserPoolId: pool.Id,
          CustomAttributes: [
            { Name: 'plan', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '16' } },
            { Name: 'joined', AttributeDataType: 'DateTime', Mutable: false },
            { Name: 'custom:vip', AttributeDataType: 'Boolean' },
          ],
        }),
      );
      const schema = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool!.SchemaAttributes!;
      const byName = new Map(schema.map((a) => [a.Name, a]));
      assert.deepEqual(byName.get('custom:plan')!.StringAttributeConstraints, { MaxLength: '16' });
      assert.equal(byName.get('custom:joined')!.Mutable, false);
      assert.equal(byName.get('custom:vip')!.AttributeDataType, 'Boolean');
      // The schema change is seen at once: a client may read and write the new attribute.
      const c = await s.idp.send(
        new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'x', ReadAttributes: ['custom:plan'], WriteAttributes: ['custom:plan'] }),
      );
      assert.deepEqual(c.UserPoolClient!.WriteAttributes, ['custom:plan']);
    });

    test('AddCustomAttributes refuses duplicates, bad names and required attributes, changing nothing', async () => {
      const pool = await newPool();
      await s.idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [{ Name: 'plan' }] }));
      const count = async () =>
        (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool!.SchemaAttributes!.length;
      const before = await count();
      const bad: [object[], RegExp][] = [
        [[{ Name: 'plan' }], /custom:plan/],
        [[{ Name: 'other' }, { Name: 'other' }], /custom:other/],
        [[{ Name: 'x y' }], /x y/],
        [[{ Name: 'req', Required: true }], /Required custom attributes/],
        [[{ Name: 'n', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '5', MaxValue: '1' } }], /MinValue/],
      ];
      for (const [attrs, message] of bad) {
        await rejectsWith(
          s.idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: attrs })),
          'InvalidParameterException',
          message,
        );
      }
      assert.equal(await count(), before);
      await rejectsWith(
        s.idp.send(new AddCustomAttributesCommand({ UserPoolId: 'us-east-1_missing11', CustomAttributes: [{ Name: 'a' }] })),
        'ResourceNotFoundException',
        /User pool us-east-1_missing11 does not exist/,
      );
    });

    test('concurrent AddCustomAttributes calls all land', async () => {
      const pool = await newPool();
      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          s.idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [{ Name: `par${i}` }] })),
        ),
      );
      const schema = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool!.SchemaAttributes!;
      const names = schema.map((a) => a.Name).filter((n) => n!.startsWith('custom:par'));
      assert.equal(names.length, 6);
    });
  });
}
