// Changing what Cognito freezes, through Tessera's SigV4-signed admin endpoint
// (/tessera/admin/pools/{id}/frozen-settings/{preview,apply}) and checked with real clients:
// - case sensitivity: the preview names the usernames that would collide, apply refuses while
//   they do, and after the switch the same user signs in by SRP (amazon-cognito-identity-js)
//   with the same password under any case; a sign-up in another case is then refused;
// - aliases / username attributes: colliding e-mails are named, the switch applies once they are
//   resolved, and the user signs in with the e-mail by SRP through the SDK with the old password;
// - custom attributes: an edited constraint that stored values break is refused; a deleted one
//   leaves every user, the schema and the clients' attribute lists; an edited mutability holds;
// - sign-ups racing an apply never leave two users with one case-insensitive username;
// - no credentials -> 401, bad input -> 400, unknown pool -> 404. On every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUsersCommand,
  SignUpCommand,
  StartUserImportJobCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { NodeSha256 } from '../../../src/protocol/sigv4.js';
import { ADMIN, engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { createJob, csv, upload, waitForJob } from '../import/support.js';
import { PASSWORD, errorOf, makeClient, makePool, makeUser, srpSdkSignIn, srpSignIn, verifiedClaims } from '../auth/support.js';

for (const engine of engines) {
  describe(`frozen settings (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    const signer = new SignatureV4({ service: 'cognito-idp', region: 'us-east-1', credentials: ADMIN, sha256: NodeSha256 });

    /** A signed call of the admin endpoint: status and JSON answer. */
    async function frozen(mode: 'preview' | 'apply', poolId: string, change: unknown, opts: { unsigned?: boolean; server?: TestServer } = {}) {
      const url = new URL(`${(opts.server ?? s).url}/tessera/admin/pools/${poolId}/frozen-settings/${mode}`);
      const body = JSON.stringify(change);
      const req = new HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: { host: url.host, 'content-type': 'application/json' },
        body,
      });
      const headers = opts.unsigned ? req.headers : (await signer.sign(req)).headers;
      const r = await fetch(url, { method: 'POST', headers, body });
      return { status: r.status, json: (await r.json()) as any };
    }

    before(async () => {
      s = await startServer({ engine });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('case sensitivity: collisions previewed and refused; after the switch the same password signs in by SRP under any case', async () => {
      const poolId = await makePool(s, { UsernameConfiguration: { CaseSensitive: true } });
      const client = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'Alice');
      await makeUser(s, poolId, 'alice', { password: 'An0ther-Passw0rd!' });
      await makeUser(s, poolId, 'Bob');
      assert.equal((await srpSignIn(s, poolId, client, 'ALICE', PASSWORD)).kind, 'failure');

      const preview = await frozen('preview', poolId, { CaseSensitive: false });
      assert.equal(preview.status, 200);
      assert.equal(preview.json.usersScanned, 3);
      assert.equal(preview.json.applicable, false);
      assert.equal(preview.json.collisions.length, 1);
      assert.equal(preview.json.collisions[0].kind, 'username');
      assert.equal(preview.json.collisions[0].value, 'alice');
      assert.deepEqual([...preview.json.collisions[0].usernames].sort(), ['Alice', 'alice']);

      const refused = await frozen('apply', poolId, { CaseSensitive: false });
      assert.equal(refused.status, 409);
      assert.equal(refused.json.error, 'FrozenChangeConflict');
      const still = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(still.UserPool!.UsernameConfiguration?.CaseSensitive, true);

      await s.idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      const applied = await frozen('apply', poolId, { CaseSensitive: false });
      assert.equal(applied.status, 200, JSON.stringify(applied.json));
      assert.equal(applied.json.usersChanged, 2);
      const now = await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(now.UserPool!.UsernameConfiguration?.CaseSensitive, false);

      // The SRP verifier was made with "Alice": typed in any case, the same password signs in.
      const r = await srpSignIn(s, poolId, client, 'ALICE', PASSWORD);
      assert.equal(r.kind, 'success', JSON.stringify(r));
      const claims = await verifiedClaims(s, poolId, (r as any).session.getAccessToken().getJwtToken());
      assert.equal(claims.username, 'Alice');
      assert.equal((await srpSdkSignIn(pub, poolId, client, 'bob', PASSWORD)).AuthenticationResult?.AccessToken !== undefined, true);
      assert.equal((await errorOf(pub.send(new SignUpCommand({ ClientId: client, Username: 'aLiCe', Password: PASSWORD })))).name, 'UsernameExistsException');

      // And back: case-sensitive again, "ALICE" is nobody, "Alice" still signs in.
      assert.equal((await frozen('apply', poolId, { CaseSensitive: true })).status, 200);
      assert.equal((await srpSignIn(s, poolId, client, 'ALICE', PASSWORD)).kind, 'failure');
      assert.equal((await srpSignIn(s, poolId, client, 'Alice', PASSWORD)).kind, 'success');
    });

    test('aliases and username attributes: colliding e-mails named; after the switch the e-mail signs in by SRP with the old password', async () => {
      const poolId = await makePool(s);
      const client = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'ula', { attributes: { email: 'x@example.com', email_verified: 'true' } });
      await makeUser(s, poolId, 'vic', { attributes: { email: 'X@Example.com', email_verified: 'true' } });
      await makeUser(s, poolId, 'wes', { attributes: { email: 'w@example.com', email_verified: 'false' } });

      const preview = await frozen('preview', poolId, { AliasAttributes: ['email'] });
      assert.equal(preview.json.applicable, false);
      assert.deepEqual(preview.json.collisions.map((c: any) => [c.kind, c.value, [...c.usernames].sort()]), [['email', 'x@example.com', ['ula', 'vic']]]);
      assert.equal((await frozen('apply', poolId, { AliasAttributes: ['email'] })).status, 409);
      // Refused means unchanged: the e-mail is no sign-in name yet.
      assert.equal((await errorOf(srpSdkSignIn(pub, poolId, client, 'x@example.com', PASSWORD))).name, 'NotAuthorizedException');

      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'vic', UserAttributes: [{ Name: 'email', Value: 'v@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
      const applied = await frozen('apply', poolId, { AliasAttributes: ['email'] });
      assert.equal(applied.status, 200, JSON.stringify(applied.json));
      const byEmail = await srpSdkSignIn(pub, poolId, client, 'X@EXAMPLE.COM', PASSWORD);
      assert.equal((await verifiedClaims(s, poolId, byEmail.AuthenticationResult!.AccessToken!)).username, 'ula');
      // An unverified e-mail is no alias.
      assert.equal((await errorOf(srpSdkSignIn(pub, poolId, client, 'w@example.com', PASSWORD))).name, 'NotAuthorizedException');

      // Aliases -> username attributes (the two cannot be set together): every e-mail signs in, verified or not.
      const both = await frozen('preview', poolId, { UsernameAttributes: ['email'] });
      assert.equal(both.status, 400);
      assert.equal(both.json.error, 'InvalidParameterException');
      const switched = await frozen('apply', poolId, { AliasAttributes: [], UsernameAttributes: ['email'] });
      assert.equal(switched.status, 200, JSON.stringify(switched.json));
      const pool = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      assert.deepEqual(pool.UsernameAttributes, ['email']);
      assert.equal(pool.AliasAttributes, undefined);
      const wes = await srpSdkSignIn(pub, poolId, client, 'w@example.com', PASSWORD);
      assert.equal((await verifiedClaims(s, poolId, wes.AuthenticationResult!.AccessToken!)).username, 'wes');
      assert.equal((await srpSignIn(s, poolId, client, 'ula', PASSWORD)).kind, 'success');
    });

    test('preferred_username aliases follow the case setting: a collision in another case is named; then any case signs in', async () => {
      const poolId = await makePool(s, { UsernameConfiguration: { CaseSensitive: true }, AliasAttributes: ['preferred_username'] });
      const client = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'n1', { attributes: { preferred_username: 'Neo' } });
      await makeUser(s, poolId, 'n2', { attributes: { preferred_username: 'neo' } });
      const p = await frozen('preview', poolId, { CaseSensitive: false });
      assert.deepEqual(p.json.collisions.map((c: any) => [c.kind, c.value, [...c.usernames].sort()]), [['preferred_username', 'neo', ['n1', 'n2']]]);
      await s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'n2', UserAttributes: [{ Name: 'preferred_username', Value: 'trinity' }] }));
      assert.equal((await frozen('apply', poolId, { CaseSensitive: false })).status, 200);
      const r = await srpSdkSignIn(pub, poolId, client, 'NEO', PASSWORD);
      assert.equal((await verifiedClaims(s, poolId, r.AuthenticationResult!.AccessToken!)).username, 'n1');
    });

    test('custom attributes: broken constraints refused, deletion removes values everywhere, mutability changes', async () => {
      const poolId = await makePool(s, {
        Schema: [
          { Name: 'tier', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '20' } },
          { Name: 'level', AttributeDataType: 'Number', Mutable: true },
        ],
      });
      const client = await makeClient(s, poolId, { ReadAttributes: ['email', 'custom:tier', 'custom:level'], WriteAttributes: ['custom:tier'] });
      await makeUser(s, poolId, 'gold', { attributes: { 'custom:tier': 'gold', 'custom:level': '3' } });
      await makeUser(s, poolId, 'plat', { attributes: { 'custom:tier': 'platinum' } });

      const tight = { EditCustomAttributes: [{ Name: 'custom:tier', StringAttributeConstraints: { MinLength: '1', MaxLength: '5' } }] };
      const p = await frozen('preview', poolId, tight);
      assert.equal(p.json.applicable, false);
      assert.deepEqual(p.json.constraintBreaks, [{ attribute: 'custom:tier', username: 'plat', value: 'platinum', rule: 'longer than 5' }]);
      assert.equal((await frozen('apply', poolId, tight)).status, 409);
      assert.equal((await frozen('preview', poolId, { EditCustomAttributes: [{ Name: 'tier', AttributeDataType: 'Number' }] })).json.error, 'InvalidParameterException');
      assert.equal((await frozen('preview', poolId, { DeleteCustomAttributes: ['nope'] })).status, 400);
      assert.equal((await frozen('preview', poolId, { EditCustomAttributes: [{ Name: 'tier', DeveloperOnlyAttribute: true }] })).json.error, 'InvalidParameterException');

      const del = await frozen('apply', poolId, { DeleteCustomAttributes: ['custom:tier'], EditCustomAttributes: [{ Name: 'custom:level', Mutable: false }] });
      assert.equal(del.status, 200, JSON.stringify(del.json));
      assert.equal(del.json.valuesRemoved, 2);
      for (const u of ['gold', 'plat']) {
        const got = await s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u }));
        assert.ok(!got.UserAttributes!.some((a) => a.Name === 'custom:tier'), u);
      }
      const schema = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.SchemaAttributes!;
      assert.ok(!schema.some((a) => a.Name === 'custom:tier'));
      assert.equal(schema.find((a) => a.Name === 'custom:level')!.Mutable, false);
      const c = (await s.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.id }))).UserPoolClient!;
      assert.deepEqual(c.ReadAttributes, ['email', 'custom:level']);
      assert.deepEqual(c.WriteAttributes ?? [], []);
      const write = (Name: string, Value: string) => errorOf(s.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'gold', UserAttributes: [{ Name, Value }] })));
      assert.equal((await write('custom:tier', 'gold')).name, 'InvalidParameterException');
      assert.equal((await write('custom:level', '4')).name, 'InvalidParameterException');
      // Passwords untouched by attribute changes.
      assert.equal((await srpSignIn(s, poolId, client.id, 'plat', PASSWORD)).kind, 'success');
    });

    test('sign-ups racing the switch never leave two users with one case-insensitive username', async () => {
      const poolId = await makePool(s, { UsernameConfiguration: { CaseSensitive: true } });
      const client = (await makeClient(s, poolId)).id;
      await makeUser(s, poolId, 'Carol');
      const variants = ['cArol', 'caRol', 'carOl', 'caroL', 'CArol', 'CAROL', 'carol', 'cAROL'];
      const signUps = variants.map((Username, i) =>
        new Promise((r) => setTimeout(r, i * 3)).then(() => pub.send(new SignUpCommand({ ClientId: client, Username, Password: PASSWORD })).then(() => 'ok', (e) => e.name)),
      );
      const apply = frozen('apply', poolId, { CaseSensitive: false });
      const [outcomes, applied] = await Promise.all([Promise.all(signUps), apply]);
      const users = (await s.idp.send(new ListUsersCommand({ UserPoolId: poolId }))).Users!.map((u) => u.Username!);
      const sensitive = (await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.UsernameConfiguration?.CaseSensitive;
      if (applied.status === 200) {
        assert.equal(sensitive, false);
        assert.equal(new Set(users.map((u) => u.toLowerCase())).size, users.length, `duplicates: ${users}`);
      } else {
        assert.equal(applied.status, 409);
        assert.equal(sensitive, true);
        assert.ok(users.length > 1);
      }
      assert.ok(outcomes.every((o) => o === 'ok' || o === 'UsernameExistsException'), String(outcomes));
    });

    test('a second process with the old settings cached still follows the new rules when it writes', async () => {
      // Process b shares the database (same schema / data directory) and has the pool cached as
      // case-sensitive when a applies the switch; b's sign-up of "DORA" must still collide with "Dora".
      const b = await startServer({ engine, ...(engine === 'postgres' ? { schema: s.app.config.databaseSchema } : { dataDir: s.app.config.dataDir }) } as any);
      const bPub = publicClient(b.url);
      try {
        const poolId = await makePool(s, { UsernameConfiguration: { CaseSensitive: true } });
        const client = (await makeClient(s, poolId)).id;
        await makeUser(s, poolId, 'Dora');
        // b reads (and caches) the pool: a sign-up in another case is a different user there.
        assert.equal((await errorOf(bPub.send(new SignUpCommand({ ClientId: client, Username: 'Dora', Password: PASSWORD })))).name, 'UsernameExistsException');
        assert.equal((await frozen('apply', poolId, { CaseSensitive: false })).status, 200);
        assert.equal((await errorOf(bPub.send(new SignUpCommand({ ClientId: client, Username: 'DORA', Password: PASSWORD })))).name, 'UsernameExistsException');
        const users = (await s.idp.send(new ListUsersCommand({ UserPoolId: poolId }))).Users!.map((u) => u.Username);
        assert.deepEqual(users, ['Dora']);
      } finally {
        bPub.destroy();
        await b.close();
      }
    });

    test('an import job started with the old settings cached redoes its batch under the new rules', async () => {
      // Process a (s) has the pool cached as case-sensitive; process b applies the switch; a then
      // starts an import of "CASEY", which must be skipped as the existing "Casey", not slip in.
      const b = await startServer({ engine, ...(engine === 'postgres' ? { schema: s.app.config.databaseSchema } : { dataDir: s.app.config.dataDir }) } as any);
      try {
        const poolId = await makePool(s, { UsernameConfiguration: { CaseSensitive: true } });
        await makeUser(s, poolId, 'Casey');
        const job = await createJob(s, poolId);
        const body = csv(['cognito:username', 'email', 'email_verified', 'cognito:mfa_enabled'], [{ 'cognito:username': 'CASEY', email: 'casey@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' }]);
        assert.equal((await upload(job.PreSignedUrl!, body)).status, 200);
        await s.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
        assert.equal((await frozen('apply', poolId, { CaseSensitive: false }, { server: b })).status, 200);
        await s.idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
        const done = await waitForJob(s, poolId, job.JobId!);
        assert.equal(done.ImportedUsers, 0);
        assert.equal(done.SkippedUsers, 1);
        const users = (await s.idp.send(new ListUsersCommand({ UserPoolId: poolId }))).Users!.map((u) => u.Username);
        assert.deepEqual(users, ['Casey']);
      } finally {
        await b.close();
      }
    });

    test('the endpoint takes only the admin: unsigned 401, wrong body 400, unknown pool 404', async () => {
      const poolId = await makePool(s);
      assert.equal((await frozen('preview', poolId, { CaseSensitive: true }, { unsigned: true })).status, 401);
      const basic = await fetch(`${s.url}/tessera/admin/pools/${poolId}/frozen-settings/preview`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`).toString('base64')}` },
        body: '{"CaseSensitive":true}',
      });
      assert.equal(basic.status, 200);
      assert.deepEqual(((await basic.json()) as any).changes, { UsernameConfiguration: { CaseSensitive: true } });
      assert.equal((await frozen('preview', poolId, { AliasAttributes: ['address'] })).status, 400);
      assert.equal((await frozen('preview', poolId, [1])).status, 400);
      assert.equal((await frozen('apply', 'us-east-1_nothere', { CaseSensitive: true })).status, 404);
    });
  });
}
