// The hosted MFA form over plain HTTP: what a forged or tampered post gets. Without its CSRF
// token the form is refused (403); a tampered Session, or a challenge name
// swapped for another, lead back to sign-in and issues nothing; the untouched form with the
// right code ends in the code on the redirect URI. Each factor leaves its own audit event.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminListUserAuthEventsCommand, AdminSetUserMFAPreferenceCommand } from '@aws-sdk/client-cognito-identity-provider';
import { engines } from '../support/server.js';
import { configureMfa, lastCode, startMfaServer, type MfaServer } from '../api/mfa/support.js';
import { CALLBACK, PASSWORD, cookiesOf, formAction, get, hiddenField, postForm, seedOAuthPool, seedUser, seedWebClient, type OAuthSetup } from './support.js';

for (const engine of engines) {
  describe(`hosted MFA form over HTTP (${engine})`, () => {
    let s: MfaServer;
    let o: OAuthSetup;
    let clientId: string;
    before(async () => {
      s = await startMfaServer(engine);
      o = await seedOAuthPool(s);
      await configureMfa(s, o.poolId, { EmailMfaConfiguration: { Message: 'Code {####}', Subject: 'Code' } });
      clientId = (await seedWebClient(s, o.poolId)).clientId;
      await seedUser(s, o.poolId, 'hugo', { email: 'hugo@example.com', email_verified: 'true' });
      await s.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: o.poolId, Username: 'hugo', EmailMfaSettings: { Enabled: true } }));
    });
    after(() => s.close());

    /** Password posted: the MFA page, its form fields and the browser's cookies. */
    async function toMfaPage() {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' });
      const page = await get(`${o.base}/login?${q}`);
      let cookies = cookiesOf(page);
      const res = await postForm(`${o.base}/login?${q}`, { _csrf: hiddenField(await page.text(), '_csrf')!, username: 'hugo', password: PASSWORD }, { cookie: cookies });
      assert.equal(res.status, 200);
      cookies = cookiesOf(res, cookies);
      const html = await res.text();
      const action = formAction(html, `${o.base}/login`);
      assert.match(action, /\/mfa\?/);
      const fields: Record<string, string> = {};
      for (const name of ['_csrf', 'challenge', 'session', 'username', 'destination']) fields[name] = hiddenField(html, name)!;
      assert.equal(fields.challenge, 'EMAIL_OTP');
      return { action, cookies, fields };
    }

    test('no CSRF token: 403; a foreign Session or a swapped challenge: back to sign-in; the right answer: the code', async () => {
      const a = await toMfaPage();
      const code = await lastCode(s, 'hugo@example.com');
      const { _csrf: _dropped, ...noCsrf } = a.fields;
      const forged = await postForm(a.action, { ...noCsrf, code }, { cookie: a.cookies });
      assert.equal(forged.status, 403);

      const b = await toMfaPage();
      // A tampered Session (it no longer opens): refused, nothing issued.
      const foreign = await postForm(b.action, { ...b.fields, session: `${b.fields.session.slice(0, -4)}AAAA`, code: await lastCode(s, 'hugo@example.com') }, { cookie: b.cookies });
      assert.equal(foreign.status, 400);
      assert.equal(foreign.headers.get('location'), null);
      assert.match(await foreign.text(), /Please sign in again/);
      const swapped = await postForm(b.action, { ...b.fields, challenge: 'SOFTWARE_TOKEN_MFA', code: '123456' }, { cookie: b.cookies });
      assert.equal(swapped.status, 400);
      assert.equal(swapped.headers.get('location'), null);

      const right = await postForm(b.action, { ...b.fields, code: await lastCode(s, 'hugo@example.com') }, { cookie: b.cookies });
      assert.equal(right.status, 302);
      const back = new URL(right.headers.get('location')!);
      assert.equal(`${back.origin}${back.pathname}`, CALLBACK);
      assert.ok(back.searchParams.get('code'));
    });

    test('each factor is audited on its own, as the API does: password InProgress, a wrong code Fail, the right code Pass with Mfa', async () => {
      // The previous test's events were recorded before this instant (and its last one may share a millisecond).
      await new Promise((r) => setTimeout(r, 50));
      const since = Date.now();
      const a = await toMfaPage();
      const wrong = await postForm(a.action, { ...a.fields, code: '000000' }, { cookie: a.cookies });
      assert.equal(wrong.status, 400, 'the MFA page again, with its error');
      assert.equal(wrong.headers.get('location'), null);
      const right = await postForm(a.action, { ...a.fields, code: await lastCode(s, 'hugo@example.com') }, { cookie: a.cookies });
      assert.equal(right.status, 302);

      const trail = (await s.app.audit.list({ poolId: o.poolId, limit: 50 })).events
        .filter((e) => e.username === 'hugo' && e.type === 'SignIn' && e.createdAt >= since)
        .reverse()
        .map((e) => ({ outcome: e.outcome, factor: e.detail?.factor, step: e.detail?.step, next: e.detail?.next, reason: e.detail?.reason, user: !!e.userId }));
      assert.deepEqual(trail, [
        { outcome: 'InProgress', factor: 'Password', step: undefined, next: 'MFA', reason: undefined, user: true },
        { outcome: 'Fail', factor: 'Mfa', step: 'EMAIL_OTP', next: undefined, reason: 'CodeMismatchException', user: true },
        { outcome: 'Pass', factor: 'Mfa', step: 'EMAIL_OTP', next: undefined, reason: undefined, user: true },
      ]);
      const events = (await s.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: o.poolId, Username: 'hugo', MaxResults: 3 }))).AuthEvents!;
      assert.deepEqual(events[0].ChallengeResponses, [{ ChallengeName: 'Mfa', ChallengeResponse: 'Success' }]);
      assert.equal(events[0].EventResponse, 'Pass');
      assert.deepEqual(events[1].ChallengeResponses, [{ ChallengeName: 'Mfa', ChallengeResponse: 'Failure' }]);
    });
  });
}
