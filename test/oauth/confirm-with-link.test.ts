// Sign-up confirmation by link (VerificationMessageTemplate.DefaultEmailOption CONFIRM_WITH_LINK),
// over plain HTTP on both engines: SignUp and ResendConfirmationCode send the ByLink e-mail, its
// {##text##} a link to the hosted UI's /confirmUser; following it confirms the account as
// ConfirmSignUp does (PostConfirmation included), once; a wrong code does not. SMS and the other
// messages keep their codes, and without a domain the code is sent. The CustomMessage function
// gets linkParameter and its own text's link placeholder is filled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { engines, publicClient, startServer, type TestServer } from '../support/server.js';
import { lambdaConfig } from '../api/triggers/support.js';
import { startLambdaServer, type LambdaServer } from '../api/triggers/lambda-server.js';
import { CALLBACK, PASSWORD, cookiesOf, get, hiddenField, postForm, seedOAuthPool, seedWebClient, type OAuthSetup } from './support.js';

const LINK_TEMPLATE = { DefaultEmailOption: 'CONFIRM_WITH_LINK' as const, EmailSubjectByLink: 'Confirm {username}?', EmailMessageByLink: 'Hello, please {##confirm here##} to finish.' };

/** The href of the one link in an e-mail body. */
function linkIn(body: string): string {
  const m = /<a href="([^"]+)">([^<]*)<\/a>/.exec(body);
  assert.ok(m, `no link in ${body}`);
  return m[1].replace(/&amp;/g, '&');
}

for (const engine of engines) {
  describe(`sign-up confirmed by link (${engine})`, () => {
    let s: TestServer;
    let lambda: LambdaServer;
    let o: OAuthSetup;
    let clientId: string;
    let pub: CognitoIdentityProviderClient;
    before(async () => {
      lambda = await startLambdaServer({ postConfirm: (e) => e });
      s = await startServer({ engine, env: { TESSERA_LAMBDA_ENDPOINT: lambda.url } });
      o = await seedOAuthPool(s, { AutoVerifiedAttributes: ['email'] });
      await s.idp.send(
        new UpdateUserPoolCommand({ UserPoolId: o.poolId, AutoVerifiedAttributes: ['email'], VerificationMessageTemplate: LINK_TEMPLATE, LambdaConfig: lambdaConfig({ PostConfirmation: 'postConfirm' }) }),
      );
      clientId = (await seedWebClient(s, o.poolId)).clientId;
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
      await lambda.close();
    });

    const lastMail = async (to: string) => (await s.app.store.outbox.list(to, 1))[0]!;
    const status = async (username: string) => (await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: username }))).UserStatus;

    test('SignUp sends the ByLink e-mail; the link confirms the account (PostConfirmation runs), and again shows the same page', async () => {
      const to = 'link-1@example.com';
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'linker', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
      const mail = await lastMail(to);
      assert.equal(mail.subject, 'Confirm linker?');
      assert.match(mail.body, /^Hello, please <a href="[^"]+">confirm here<\/a> to finish\.$/);
      const link = new URL(linkIn(mail.body));
      assert.equal(`${link.origin}${link.pathname}`, `${o.base}/confirmUser`);
      assert.equal(link.searchParams.get('client_id'), clientId);
      assert.equal(link.searchParams.get('user_name'), 'linker');
      assert.match(link.searchParams.get('confirmation_code') ?? '', /^\d{6}$/);
      assert.equal(await status('linker'), 'UNCONFIRMED');

      const page = await get(link.toString());
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Your registration has been confirmed/);
      assert.equal(await status('linker'), 'CONFIRMED');
      const confirmed = lambda.events('postConfirm').filter((e) => e.userName === 'linker');
      assert.deepEqual(confirmed.map((e) => e.triggerSource), ['PostConfirmation_ConfirmSignUp']);
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: o.poolId, Username: 'linker' }))).UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');

      const again = await get(link.toString());
      assert.equal(again.status, 200);
      assert.match(await again.text(), /Your registration has been confirmed/);
      assert.equal(lambda.events('postConfirm').filter((e) => e.userName === 'linker').length, 1, 'confirmed once');
    });

    test('a link with a wrong code or an unknown client confirms nothing; ResendConfirmationCode sends a new link that works', async () => {
      const to = 'link-2@example.com';
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'linker2', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
      const first = new URL(linkIn((await lastMail(to)).body));
      const code = first.searchParams.get('confirmation_code')!;
      const wrong = new URL(first);
      wrong.searchParams.set('confirmation_code', code === '000000' ? '111111' : '000000');
      const bad = await get(wrong.toString());
      assert.equal(bad.status, 400);
      assert.doesNotMatch(await bad.text(), /has been confirmed/);
      const stranger = new URL(first);
      stranger.searchParams.set('client_id', 'nosuchclient0000000000000');
      assert.equal((await get(stranger.toString())).status, 400);
      assert.equal(await status('linker2'), 'UNCONFIRMED');

      await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'linker2' }));
      const second = new URL(linkIn((await lastMail(to)).body));
      assert.notEqual(second.searchParams.get('confirmation_code'), null);
      assert.equal((await get(second.toString())).status, 200);
      assert.equal(await status('linker2'), 'CONFIRMED');
    });

    test('the code in the link is the sign-up code: ConfirmSignUp with it works too', async () => {
      const to = 'link-3@example.com';
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'linker3', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
      const code = new URL(linkIn((await lastMail(to)).body)).searchParams.get('confirmation_code')!;
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'linker3', ConfirmationCode: code }));
      assert.equal(await status('linker3'), 'CONFIRMED');
    });

    test('the hosted sign-up of a link pool says a link was sent, and asks for no code', async () => {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK });
      const page = await get(`${o.base}/signup?${q}`);
      const res = await postForm(`${o.base}/signup?${q}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username: 'hosty', email: 'hosty@example.com', password: PASSWORD }, { cookie: cookiesOf(page) });
      const html = await res.text();
      assert.equal(res.status, 200, html.slice(0, 300));
      assert.match(html, /We have sent a link to h\*\*\*@e\*\*\*/);
      assert.doesNotMatch(html, /name="code"/);
      const link = linkIn((await lastMail('hosty@example.com')).body);
      assert.equal((await get(link)).status, 200);
      assert.equal(await status('hosty'), 'CONFIRMED');
    });

    test('an HTML template keeps its link text as written; a template whose only placeholder is {####} is refused', async () => {
      await s.idp.send(
        new UpdateUserPoolCommand({
          UserPoolId: o.poolId,
          AutoVerifiedAttributes: ['email'],
          VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK', EmailMessageByLink: '<p>Hi {username}: {##Verify &amp; go##}</p>' },
          LambdaConfig: lambdaConfig({ PostConfirmation: 'postConfirm' }),
        }),
      );
      try {
        const to = 'link-6@example.com';
        await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'a<b', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
        const body = (await lastMail(to)).body;
        assert.match(body, /^<p>Hi a&lt;b: <a href="[^"]+">Verify &amp; go<\/a><\/p>$/);
        const e = await s.idp
          .send(new UpdateUserPoolCommand({ UserPoolId: o.poolId, VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK', EmailMessageByLink: 'Your code: {####}' } }))
          .catch((x: Error) => x);
        assert.equal((e as Error).name, 'InvalidParameterException');
      } finally {
        await s.idp.send(
          new UpdateUserPoolCommand({ UserPoolId: o.poolId, AutoVerifiedAttributes: ['email'], VerificationMessageTemplate: LINK_TEMPLATE, LambdaConfig: lambdaConfig({ PostConfirmation: 'postConfirm' }) }),
        );
      }
    });

    test('a pool without a domain sends the code', async () => {
      const poolId = (
        await s.idp.send(new CreateUserPoolCommand({ PoolName: 'nodomain', AutoVerifiedAttributes: ['email'], VerificationMessageTemplate: LINK_TEMPLATE }))
      ).UserPool!.Id!;
      const c = (await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c' }))).UserPoolClient!.ClientId!;
      const to = 'link-4@example.com';
      await pub.send(new SignUpCommand({ ClientId: c, Username: 'nolink', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
      const mail = await lastMail(to);
      assert.doesNotMatch(mail.body, /<a href/);
      assert.match(mail.body, /\b\d{6}\b/);
    });

    test('CustomMessage gets linkParameter "{##Click Here##}" and its link placeholder is filled', async () => {
      lambda.handlers.customMessage = (e) => {
        e.response.emailSubject = 'Welcome';
        e.response.emailMessage = `Dear {username}, ${e.request.linkParameter}`;
        return e;
      };
      await s.idp.send(
        new UpdateUserPoolCommand({
          UserPoolId: o.poolId,
          AutoVerifiedAttributes: ['email'],
          VerificationMessageTemplate: LINK_TEMPLATE,
          LambdaConfig: lambdaConfig({ PostConfirmation: 'postConfirm', CustomMessage: 'customMessage' }),
        }),
      );
      const to = 'link-5@example.com';
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'linker5', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: to }] }));
      const ev = lambda.events('customMessage').at(-1)!;
      assert.equal(ev.triggerSource, 'CustomMessage_SignUp');
      assert.equal(ev.request.linkParameter, '{##Click Here##}');
      assert.equal(ev.request.codeParameter, '{####}');
      const mail = await lastMail(to);
      assert.equal(mail.subject, 'Welcome');
      assert.match(mail.body, /^Dear linker5, <a href="[^"]+">Click Here<\/a>$/);
      assert.equal((await get(linkIn(mail.body))).status, 200);
      assert.equal(await status('linker5'), 'CONFIRMED');
    });
  });
}
