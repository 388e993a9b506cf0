// User pool log export (SetLogDeliveryConfiguration / GetLogDeliveryConfiguration) to a local
// CloudWatch Logs, Firehose and S3 that check every SigV4 signature (test/support/aws-services.ts):
// the configuration's checks, user activity (sign-ins, passed and failed) to each destination,
// failed message deliveries as userNotification errors, and no secret in any record. Both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetLogDeliveryConfigurationCommand,
  InitiateAuthCommand,
  SetLogDeliveryConfigurationCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type LogConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { startAwsServices, type AwsServices } from '../../support/aws-services.js';
import { PASSWORD, WRONG, errorOf, makeClient, makePool, makeUser } from '../auth/support.js';
import { senderError } from '../../../src/log-delivery/events.js';

const KEY = { id: 'AKIATESSERALOGEXPORT', secret: 'log-export-secret-key-for-tests-0123456789' };
const GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:tessera-auth';
const NOTIFY_GROUP = 'arn:aws:logs:eu-west-1:123456789012:log-group:tessera-notify';
const STREAM = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/auth-events';
const BUCKET = 'arn:aws:s3:::tessera-auth-logs';

test('a sender error as exported: no address, no phone number, cut short', () => {
  assert.equal(senderError(new Error('550 5.1.1 <ann@example.com>: no such user')), '550 5.1.1 <<address>>: no such user');
  assert.equal(senderError(new Error('SMS to +1 (555) 010-9999 refused, account 4001234567')), 'SMS to <number> refused, account <number>');
  assert.equal(senderError(new Error('x'.repeat(1000))).length, 301);
});

for (const engine of engines) {
  describe(`log delivery (${engine})`, () => {
    let aws: AwsServices;
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN };

    before(async () => {
      aws = await startAwsServices();
      aws.acceptKey(KEY.id, KEY.secret);
      aws.createLogGroup('tessera-auth');
      aws.createLogGroup('tessera-notify', 'eu-west-1');
      aws.createDeliveryStream('auth-events');
      aws.createBucket('tessera-auth-logs');
      // Tessera's own credentials, as the SDK's default chain finds them.
      process.env.AWS_ACCESS_KEY_ID = KEY.id;
      process.env.AWS_SECRET_ACCESS_KEY = KEY.secret;
      delete process.env.AWS_SESSION_TOKEN;
      s = await startServer({
        engine,
        env: { TESSERA_CLOUDWATCH_LOGS_ENDPOINT: aws.url, TESSERA_FIREHOSE_ENDPOINT: aws.url, TESSERA_S3_ENDPOINT: aws.url },
        email: {
          send: async (m) => {
            if (m.to.startsWith('bounce')) throw new Error(`550 5.1.1 <${m.to}>: mailbox unavailable`);
          },
        },
      });
      pub = publicClient(s.url);
      poolId = await makePool(s);
      clientId = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'logan', { attributes: { email: 'logan@example.com', email_verified: 'true' } });
      await makeUser(s, poolId, 'bouncy', { attributes: { email: 'bounce@example.com', email_verified: 'true' } });
    });
    after(async () => {
      pub?.destroy();
      await s?.close();
      await aws?.close();
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      if (saved.token !== undefined) process.env.AWS_SESSION_TOKEN = saved.token;
    });

    const set = (LogConfigurations: LogConfigurationType[], UserPoolId = poolId) => s.idp.send(new SetLogDeliveryConfigurationCommand({ UserPoolId, LogConfigurations }));
    const signIn = (pw: string) => pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'logan', PASSWORD: pw } }));
    const records = (of: string) => aws.logEvents.filter((e) => e.logGroup === of).map((e) => JSON.parse(e.message) as Record<string, any>);

    test('the configuration: checked, kept apart from DescribeUserPool, kept by UpdateUserPool', async () => {
      const none = await s.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }));
      assert.deepEqual(none.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: [] });
      const bad: [LogConfigurationType[], RegExp][] = [
        [[{ EventSource: 'userNotification', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: GROUP } }], /takes the log level ERROR/],
        [[{ EventSource: 'userAuthEvents', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: GROUP } }], /takes the log level INFO/],
        [[{ EventSource: 'userNotification', LogLevel: 'ERROR', FirehoseConfiguration: { StreamArn: STREAM } }], /only be delivered to CloudWatch Logs/],
        [[{ EventSource: 'userAuthEvents', LogLevel: 'INFO' }], /exactly one destination/],
        [[{ EventSource: 'userAuthEvents', LogLevel: 'INFO', S3Configuration: { BucketArn: BUCKET }, FirehoseConfiguration: { StreamArn: STREAM } }], /exactly one destination/],
        [[{ EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: STREAM } }], /log group/],
        [
          [
            { EventSource: 'userAuthEvents', LogLevel: 'INFO', S3Configuration: { BucketArn: BUCKET } },
            { EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: STREAM } },
          ],
          /Only one log configuration/,
        ],
      ];
      for (const [configs, message] of bad) {
        const e = await errorOf(set(configs));
        assert.equal(e.name, 'InvalidParameterException', JSON.stringify(configs));
        assert.match(e.message, message);
      }
      assert.equal((await errorOf(set([], 'us-east-1_nope0000'))).name, 'ResourceNotFoundException');

      const configs: LogConfigurationType[] = [
        { EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: GROUP } },
        { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: NOTIFY_GROUP } },
      ];
      const r = await set(configs);
      assert.deepEqual(r.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: configs });
      const described = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      assert.equal((described as Record<string, unknown>).LogDeliveryConfiguration, undefined);
      await s.idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, AutoVerifiedAttributes: ['email'] }));
      assert.deepEqual((await s.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration?.LogConfigurations, configs);
    });

    test('user activity goes to CloudWatch Logs, failed messages to their own log group, nothing secret', async () => {
      assert.ok((await signIn(PASSWORD)).AuthenticationResult);
      assert.equal((await errorOf(signIn(WRONG))).name, 'NotAuthorizedException');
      assert.equal((await errorOf(pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bouncy' })))).name, 'CodeDeliveryFailureException');
      await s.app.audit.flush();
      await s.app.logDelivery.flush();

      const auth = records('tessera-auth');
      const signIns = auth.filter((r) => r.eventType === 'SignIn' && r.userName === 'logan');
      assert.deepEqual(signIns.map((r) => r.eventResponse).sort(), ['Fail', 'Pass']);
      for (const r of signIns) {
        assert.equal(r.eventSource, 'userAuthEvents');
        assert.equal(r.logLevel, 'INFO');
        assert.equal(r.userPoolId, poolId);
        assert.equal(r.clientId, clientId);
        assert.match(r.eventId, /\S/);
        assert.equal(typeof r.eventTimestamp, 'number');
      }
      assert.equal(signIns.find((r) => r.eventResponse === 'Fail')?.detail?.reason, 'NotAuthorizedException');
      assert.ok(!auth.some((r) => r.eventType === 'AdminAction'), 'administrator actions are not user activity');
      const streams = new Set(aws.logEvents.filter((e) => e.logGroup === 'tessera-auth').map((e) => e.logStream));
      assert.equal(streams.size, 1, 'one log stream for this process');

      const notices = records('tessera-notify');
      assert.equal(notices.length, 1);
      assert.equal(notices[0]!.eventSource, 'userNotification');
      assert.equal(notices[0]!.logLevel, 'ERROR');
      assert.equal(notices[0]!.deliveryMedium, 'EMAIL');
      assert.equal(notices[0]!.messageTrigger, 'ForgotPassword');
      assert.equal(notices[0]!.error, '550 5.1.1 <<address>>: mailbox unavailable', 'the address the SMTP reply quotes is blanked out');
      assert.ok(!JSON.stringify(notices).includes('bounce@example.com'));

      const everything = aws.logEvents.map((e) => e.message).join('\n');
      assert.ok(!everything.includes(PASSWORD) && !everything.includes(WRONG), 'no password in any record');
      assert.deepEqual(aws.badSignatures, []);
    });

    test('Firehose and S3 as destinations; an empty list stops the export', async () => {
      await set([{ EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: STREAM } }]);
      assert.ok((await signIn(PASSWORD)).AuthenticationResult);
      await s.app.audit.flush();
      await s.app.logDelivery.flush();
      const viaFirehose = aws.firehoseRecords.filter((r) => r.stream === 'auth-events');
      assert.ok(viaFirehose.length >= 1);
      assert.ok(viaFirehose.every((r) => r.data.endsWith('\n')));
      const first = JSON.parse(viaFirehose.at(-1)!.data) as Record<string, unknown>;
      assert.equal(first.eventType, 'SignIn');
      assert.equal(first.userName, 'logan');

      await set([{ EventSource: 'userAuthEvents', LogLevel: 'INFO', S3Configuration: { BucketArn: BUCKET } }]);
      assert.ok((await signIn(PASSWORD)).AuthenticationResult);
      assert.equal((await errorOf(signIn(WRONG))).name, 'NotAuthorizedException');
      await s.app.audit.flush();
      await s.app.logDelivery.flush();
      assert.equal(aws.objects.length, 1, 'one object per batch');
      const object = aws.objects[0]!;
      assert.equal(object.bucket, 'tessera-auth-logs');
      assert.match(object.key, new RegExp(`^userAuthEvents/${poolId}/\\d{4}/\\d{2}/\\d{2}/.+\\.json$`));
      const lines = object.body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(lines.filter((l) => l.eventType === 'SignIn').map((l) => l.eventResponse), ['Pass', 'Fail']);

      await set([]);
      const before = aws.logEvents.length + aws.firehoseRecords.length + aws.objects.length;
      assert.ok((await signIn(PASSWORD)).AuthenticationResult);
      await s.app.audit.flush();
      await s.app.logDelivery.flush();
      assert.equal(aws.logEvents.length + aws.firehoseRecords.length + aws.objects.length, before);
      assert.deepEqual(aws.badSignatures, []);
    });
  });
}
