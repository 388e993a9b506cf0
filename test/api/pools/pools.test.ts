// CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool through the real SDK.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddCustomAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { rejectsWith } from './expect.js';

for (const engine of engines) {
  describe(`user pools (${engine})`, () => {
    let s: TestServer;
    before(async () => (s = await startServer({ engine })));
    after(() => s.close());

    const create = async (input: Partial<CreateUserPoolCommandInput> = {}) =>
      (await s.idp.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input }))).UserPool!;
    const describePool = async (id: string) => (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;

    test('a new pool gets a region-prefixed id, an ARN and Cognito defaults', async () => {
      const before = Date.now() / 1000;
      const pool = await create({ PoolName: 'defaults' });
      assert.match(pool.Id!, /^us-east-1_[A-Za-z0-9]{9}$/);
      assert.equal(pool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
      assert.equal(pool.Name, 'defaults');
      assert.deepEqual(pool.Policies?.PasswordPolicy, {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 7,
      });
      assert.equal(pool.MfaConfiguration, 'OFF');
      assert.equal(pool.DeletionProtection, 'INACTIVE');
      assert.equal(pool.UserPoolTier, 'ESSENTIALS');
      assert.deepEqual(pool.UsernameConfiguration, { CaseSensitive: false });
      assert.equal(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly, false);
      assert.equal(pool.VerificationMessageTemplate?.DefaultEmailOption, 'CONFIRM_WITH_CODE');
      assert.match(pool.VerificationMessageTemplate!.EmailMessage!, /\{####\}/);
      assert.match(pool.VerificationMessageTemplate!.SmsMessage!, /\{####\}/);
      assert.equal(pool.EstimatedNumberOfUsers, 0);
      // Dates travel as epoch seconds: the SDK turns them into Dates near now.
      assert.ok(pool.CreationDate instanceof Date);
      assert.ok(Math.abs(pool.CreationDate!.getTime() / 1000 - before) < 60);
      const names = pool.SchemaAttributes!.map((a) => a.Name);
      for (const n of ['sub', 'email', 'phone_number', 'email_verified', 'updated_at']) assert.ok(names.includes(n), n);
      assert.deepEqual(await describePool(pool.Id!), pool);
    });

    test('the schema input changes standard attributes and adds custom:<name> ones', async () => {
      const pool = await create({
        Schema: [
          { Name: 'email', Required: true, Mutable: true },
          { Name: 'tenant', AttributeDataType: 'String', Mutable: false, StringAttributeConstraints: { MinLength: '1', MaxLength: '64' } },
          { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '10' } },
        ],
      });
      const byName = new Map(pool.SchemaAttributes!.map((a) => [a.Name, a]));
      assert.equal(byName.get('email')!.Required, true);
      assert.deepEqual(byName.get('custom:tenant'), {
        Name: 'custom:tenant',
        AttributeDataType: 'String',
        DeveloperOnlyAttribute: false,
        Mutable: false,
        Required: false,
        StringAttributeConstraints: { MinLength: '1', MaxLength: '64' },
      });
      assert.equal(byName.get('custom:level')!.AttributeDataType, 'Number');
      assert.ok(!byName.has('tenant'));
    });

    test('settings are kept as given and tags land on the ARN', async () => {
      const pool = await create({
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:pre' },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true },
        UsernameConfiguration: { CaseSensitive: true },
        DeletionProtection: 'ACTIVE',
        UserPoolTags: { team: 'identity', env: 'test' },
      });
      const d = await describePool(pool.Id!);
      assert.deepEqual(d.UsernameAttributes, ['email']);
      assert.deepEqual(d.Policies?.PasswordPolicy, {
        MinimumLength: 12,
        RequireUppercase: false,
        RequireLowercase: false,
        RequireNumbers: true,
        RequireSymbols: false,
        TemporaryPasswordValidityDays: 7,
      });
      assert.equal(d.LambdaConfig?.PreSignUp, 'arn:aws:lambda:us-east-1:000000000000:function:pre');
      assert.deepEqual(d.AccountRecoverySetting, { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
      assert.deepEqual(d.DeviceConfiguration, { ChallengeRequiredOnNewDevice: true });
      assert.deepEqual(d.UsernameConfiguration, { CaseSensitive: true });
      assert.equal(d.DeletionProtection, 'ACTIVE');
      assert.deepEqual(d.UserPoolTags, { env: 'test', team: 'identity' });
    });

    test('invalid settings are InvalidParameterException naming what is wrong, and create nothing', async () => {
      const cases: [Partial<CreateUserPoolCommandInput>, RegExp][] = [
        [{ UsernameAttributes: ['email'], AliasAttributes: ['phone_number'] }, /AliasAttributes or UsernameAttributes/],
        [{ Policies: { PasswordPolicy: { MinimumLength: 5 } } }, /minimumLength|MinimumLength/],
        [{ Policies: { PasswordPolicy: { MinimumLength: 100 } } }, /minimumLength|MinimumLength/],
        [{ VerificationMessageTemplate: { EmailMessage: 'no code here' } }, /EmailMessage|emailMessage/],
        [{ VerificationMessageTemplate: { SmsMessage: 'no code here' } }, /SmsMessage|smsMessage/],
        [{ VerificationMessageTemplate: { EmailMessageByLink: 'no link here' } }, /EmailMessageByLink|emailMessageByLink/],
        [{ AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'Your code {####}' } } }, /\{username\}/],
        [{ AdminCreateUserConfig: { InviteMessageTemplate: { SMSMessage: 'Hi {username}' } } }, /\{####\}/],
        [{ Schema: [{ Name: 'tenant', AttributeDataType: 'String', Required: true }] }, /Required custom attributes/],
        [{ Schema: [{ Name: 'email', AttributeDataType: 'Number' }] }, /email/],
        [{ Schema: [{ Name: 'sub', Mutable: true }] }, /sub/],
        [{ Schema: [{ Name: 'a' }, { Name: 'a' }] }, /custom:a/],
        [{ Schema: [{ Name: 'has space' }] }, /has space/],
        [{ Schema: [{ Name: 's', StringAttributeConstraints: { MinLength: '9', MaxLength: '3' } }] }, /MinLength/],
        [{ Schema: [{ Name: 's', StringAttributeConstraints: { MaxLength: '5000' } }] }, /2048/],
        [{ Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['EMAIL_OTP'] } } }, /PASSWORD/],
        [{ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } }, /AutoVerifiedAttributes/],
        [{ UserPoolTags: { 'aws:reserved': 'x' } }, /aws:/],
      ];
      for (const [input, message] of cases) {
        await rejectsWith(create({ PoolName: 'bad-pool', ...input }), 'InvalidParameterException', message);
      }
      const all = await s.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      assert.ok(!all.UserPools!.some((p) => p.Name === 'bad-pool'), 'a refused pool was stored');
    });

    test('more than 50 custom attributes are refused', async () => {
      const pool = await create({ Schema: Array.from({ length: 25 }, (_, i) => ({ Name: `a${i}` })) });
      await s.idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: Array.from({ length: 25 }, (_, i) => ({ Name: `b${i}` })) }));
      await rejectsWith(
        s.idp.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [{ Name: 'one_too_many' }] })),
        'InvalidParameterException',
        /at most 50/,
      );
      assert.equal((await describePool(pool.Id!)).SchemaAttributes!.filter((a) => a.Name!.startsWith('custom:')).length, 50);
    });

    test('UpdateUserPool replaces the mutable settings and keeps the creation-only ones', async () => {
      const pool = await create({
        PoolName: 'before',
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: true },
        Schema: [{ Name: 'tenant' }],
        MfaConfiguration: 'OFF',
        Policies: { PasswordPolicy: { MinimumLength: 20 } },
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:pre' },
        DeletionProtection: 'ACTIVE',
        UserPoolTags: { keep: 'no' },
      });
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, AutoVerifiedAttributes: ['email'], UserPoolTags: { fresh: 'yes' } }));
      const d = await describePool(pool.Id!);
      // Omitted settings are back to their defaults ...
      assert.equal(d.Policies?.PasswordPolicy?.MinimumLength, 8);
      assert.equal(d.Policies?.PasswordPolicy?.RequireSymbols, true);
      assert.equal(d.LambdaConfig?.PreSignUp, undefined);
      assert.equal(d.DeletionProtection, 'INACTIVE');
      assert.deepEqual(d.AutoVerifiedAttributes, ['email']);
      // ... the creation-only ones and the name are kept; given tags replace the old set.
      assert.equal(d.Name, 'before');
      assert.deepEqual(d.UsernameAttributes, ['email']);
      assert.deepEqual(d.UsernameConfiguration, { CaseSensitive: true });
      assert.ok(d.SchemaAttributes!.some((a) => a.Name === 'custom:tenant'));
      assert.deepEqual(d.UserPoolTags, { fresh: 'yes' });
      assert.ok(d.LastModifiedDate!.getTime() >= pool.LastModifiedDate!.getTime());
      assert.deepEqual(d.CreationDate, pool.CreationDate);

      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, PoolName: 'after' }));
      assert.equal((await describePool(pool.Id!)).Name, 'after');
    });

    test('UpdateUserPool refuses invalid settings and leaves the pool as it was', async () => {
      const pool = await create({ MfaConfiguration: 'OFF', Policies: { PasswordPolicy: { MinimumLength: 15 } } });
      await rejectsWith(
        s.idp.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, VerificationMessageTemplate: { EmailMessage: 'nothing to type' } })),
        'InvalidParameterException',
        /EmailMessage|emailMessage/,
      );
      assert.equal((await describePool(pool.Id!)).Policies?.PasswordPolicy?.MinimumLength, 15);
    });

    test('unknown pools are ResourceNotFoundException with Cognito\'s message', async () => {
      const id = 'us-east-1_nothere12';
      const notFound = new RegExp(`User pool ${id} does not exist`);
      await rejectsWith(s.idp.send(new DescribeUserPoolCommand({ UserPoolId: id })), 'ResourceNotFoundException', notFound);
      await rejectsWith(s.idp.send(new UpdateUserPoolCommand({ UserPoolId: id })), 'ResourceNotFoundException', notFound);
      await rejectsWith(s.idp.send(new DeleteUserPoolCommand({ UserPoolId: id })), 'ResourceNotFoundException', notFound);
    });

    test('deletion protection blocks DeleteUserPool until it is turned off', async () => {
      const pool = await create({ DeletionProtection: 'ACTIVE' });
      await rejectsWith(s.idp.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })), 'InvalidParameterException', /deletion protection/);
      assert.equal((await describePool(pool.Id!)).Id, pool.Id);
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: 'INACTIVE' }));
      await s.idp.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
      await rejectsWith(s.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id })), 'ResourceNotFoundException');
    });

    test('deleting a pool deletes its clients and tags', async () => {
      const pool = await create({ UserPoolTags: { a: '1' } });
      const client = (await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'app' }))).UserPoolClient!;
      await s.idp.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
      await rejectsWith(
        s.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId })),
        'ResourceNotFoundException',
      );
      assert.equal(await s.app.store.clients.get(client.ClientId!), undefined);
      assert.deepEqual(await s.app.store.tags.list(pool.Arn!), {});
    });
  });
}
