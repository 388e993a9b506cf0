// Message templates, placeholders and masked destinations (src/messaging/messages.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeFromTemplates, fillTemplate, maskDestination, type MessageContext } from '../../src/messaging/messages.js';
import type { PoolSettings, UserPool } from '../../src/userpools/pools.js';

const pool = (settings: Partial<PoolSettings> = {}): UserPool => ({
  id: 'us-east-1_Abc123xyz', name: 'p', arn: 'arn', srpName: 'Abc123xyz', settings, createdAt: 0, updatedAt: 0,
});
const ctx = (p: UserPool, trigger: MessageContext['trigger'], displayName = 'alice'): MessageContext => ({
  pool: p, trigger, code: '123456', user: { username: 'u', displayName, attributes: {} },
});

test('codes use the verification template, then the legacy fields, then Cognito\'s default', async () => {
  const t = await composeFromTemplates(ctx(pool({ VerificationMessageTemplate: { EmailSubject: 'S {####}', EmailMessage: 'E {####}', SmsMessage: 'M {####}' } }), 'SignUp'));
  assert.deepEqual(t, { emailSubject: 'S 123456', emailMessage: 'E 123456', smsMessage: 'M 123456' });
  const legacy = await composeFromTemplates(ctx(pool({ EmailVerificationMessage: 'L {####}', EmailVerificationSubject: 'LS' }), 'ForgotPassword'));
  assert.equal(legacy.emailMessage, 'L 123456');
  assert.equal(legacy.emailSubject, 'LS');
  const d = await composeFromTemplates(ctx(pool(), 'ResendCode'));
  assert.match(d.emailMessage, /123456/);
  assert.match(d.smsMessage, /123456/);
});

test('invitations fill {username} and {####} from InviteMessageTemplate', async () => {
  const p = pool({ AdminCreateUserConfig: { InviteMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: 'Hi {username}, use {####}', SMSMessage: '{username}/{####}' } } });
  const m = await composeFromTemplates(ctx(p, 'AdminCreateUser', 'bob'));
  assert.equal(m.emailMessage, 'Hi bob, use 123456');
  assert.equal(m.smsMessage, 'bob/123456');
  assert.equal(m.emailSubject, 'Welcome');
  const d = await composeFromTemplates(ctx(pool(), 'AdminCreateUser', 'bob'));
  assert.match(d.emailMessage, /bob/);
  assert.match(d.emailMessage, /123456/);
});

test('placeholders are filled in one pass and usernames are escaped in HTML', () => {
  assert.equal(fillTemplate('{username} {####}', '111111', '{####}'), '{####} 111111');
  assert.equal(fillTemplate('<p>{username}</p>', '1', '<b>x</b>', true), '<p>&lt;b&gt;x&lt;/b&gt;</p>');
  assert.equal(fillTemplate('{####}{####}', '42', 'n'), '4242');
});

test('destinations are masked as Cognito shows them', () => {
  assert.equal(maskDestination('EMAIL', 'alice@example.com'), 'a***@e***');
  assert.equal(maskDestination('SMS', '+14155550100'), '+*******0100');
  assert.equal(maskDestination('EMAIL', 'émile@ümlaut.de'), 'é***@ü***');
});
