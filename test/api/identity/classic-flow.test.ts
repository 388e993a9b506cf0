// The basic (classic) flow end to end with the real clients: GetId and GetOpenIdToken
// (@aws-sdk/client-cognito-identity), then the app's own AssumeRoleWithWebIdentity
// (@aws-sdk/client-sts) against Tessera's STS endpoint, then Cognito Sync
// (@aws-sdk/client-cognito-sync) signed with the credentials it got.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetIdCommand, GetOpenIdTokenCommand, GetOpenIdTokenForDeveloperIdentityCommand, type CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ManualClock } from '../../../src/clock.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { GUEST_ROLE, USER_ROLE, appClient, createPool, identityClient, rejectsWith } from './support.js';

for (const engine of engines) {
  describe(`basic (classic) flow through Tessera's STS endpoint (${engine})`, () => {
    const clock = new ManualClock();
    let s: TestServer;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    let sts: STSClient;
    let poolId: string;
    before(async () => {
      // Signatures are made with the real time; the server's clock moves to expire a token.
      s = await startServer({ engine, clock, env: { TESSERA_SIGV4_SKEW_SECONDS: '7200' } });
      admin = identityClient(s);
      app = appClient(s);
      sts = new STSClient({
        region: s.config.region,
        endpoint: `${s.url}/identity/sts`,
        maxAttempts: 1,
        credentials: async () => {
          throw new Error('AssumeRoleWithWebIdentity is not signed');
        },
      });
      poolId = await createPool(admin, { AllowClassicFlow: true, DeveloperProviderName: 'login.classic.example' });
    });
    after(async () => {
      admin.destroy();
      app.destroy();
      sts.destroy();
      await s.close();
    });

    const guestToken = async () => {
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId }));
      const { Token } = await app.send(new GetOpenIdTokenCommand({ IdentityId }));
      return { identityId: IdentityId!, token: Token! };
    };

    test("a guest's OpenID token buys credentials for the pool's guest role, and they reach that identity's own datasets only", async () => {
      const { identityId, token } = await guestToken();
      const r = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: GUEST_ROLE, RoleSessionName: 'web-app', WebIdentityToken: token, DurationSeconds: 900 }));
      assert.equal(r.SubjectFromWebIdentityToken, identityId);
      assert.equal(r.Audience, poolId);
      assert.equal(r.Provider, `${s.url}/identity`);
      assert.equal(r.AssumedRoleUser!.Arn, 'arn:aws:sts::000000000000:assumed-role/tessera-guest/web-app');
      assert.match(r.Credentials!.AccessKeyId!, /^ASIA/);
      assert.equal(r.Credentials!.Expiration!.getTime(), clock.now() + 900_000);

      const sync = new CognitoSyncClient({
        region: s.config.region,
        endpoint: s.url,
        maxAttempts: 1,
        credentials: { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! },
      });
      try {
        const ds = { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'prefs' };
        const { SyncSessionToken } = await sync.send(new ListRecordsCommand(ds));
        await sync.send(new UpdateRecordsCommand({ ...ds, SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'lang', Value: 'fr', SyncCount: 0 }] }));
        assert.deepEqual((await sync.send(new ListRecordsCommand(ds))).Records!.map((x) => [x.Key, x.Value]), [['lang', 'fr']]);
        const other = await guestToken();
        await rejectsWith(sync.send(new ListRecordsCommand({ ...ds, IdentityId: other.identityId })), 'NotAuthorizedException');
      } finally {
        sync.destroy();
      }
    });

    test("an authenticated identity's token (developer identity) buys the pool's authenticated role, not the guest role", async () => {
      const { IdentityId, Token } = await admin.send(
        new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { 'login.classic.example': 'player-1' } }),
      );
      const r = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: USER_ROLE, RoleSessionName: 'game', WebIdentityToken: Token }));
      assert.equal(r.SubjectFromWebIdentityToken, IdentityId);
      assert.equal(r.Credentials!.Expiration!.getTime(), clock.now() + 3600_000);
      await rejectsWith(sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: GUEST_ROLE, RoleSessionName: 'game', WebIdentityToken: Token })), 'AccessDenied');
    });

    test('STS refuses another role than the pool gives, a forged token, a bad duration, and an expired token', async () => {
      const { token } = await guestToken();
      await rejectsWith(sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: USER_ROLE, RoleSessionName: 'web-app', WebIdentityToken: token })), 'AccessDenied');
      const [h, p] = token.split('.');
      await rejectsWith(
        sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: GUEST_ROLE, RoleSessionName: 'web-app', WebIdentityToken: `${h}.${p}.AAAA` })),
        'InvalidIdentityTokenException',
      );
      await rejectsWith(
        sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: GUEST_ROLE, RoleSessionName: 'web-app', WebIdentityToken: token, DurationSeconds: 60 })),
        'ValidationError',
      );
      clock.advance(11 * 60_000);
      await rejectsWith(
        sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: GUEST_ROLE, RoleSessionName: 'web-app', WebIdentityToken: token })),
        'ExpiredTokenException',
      );
    });

    test('a NUL in an STS parameter is an STS ValidationError in XML, through the SDK and on the wire', async () => {
      const { token } = await guestToken();
      await rejectsWith(sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: GUEST_ROLE, RoleSessionName: 'web\u0000app', WebIdentityToken: token })), 'ValidationError');
      const raw = await fetch(`${s.url}/identity/sts`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=${encodeURIComponent(GUEST_ROLE)}&RoleSessionName=a%00b&WebIdentityToken=${token}`,
      });
      assert.equal(raw.status, 400);
      assert.match(raw.headers.get('content-type') ?? '', /text\/xml/);
      assert.match(await raw.text(), /<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>ValidationError<\/Code><Message>The parameter RoleSessionName contains a NUL character\.<\/Message>/);
    });
  });
}
