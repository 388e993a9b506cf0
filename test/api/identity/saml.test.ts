// SAML logins of identity pools through the real cognito-identity client: the Logins key is the
// SAML provider ARN, the value the base64 SAMLResponse a real (local) SAML IdP signs for AWS; the
// IdP's metadata comes from the pool's `tessera:saml-metadata:<name>` tag. Credentials come from
// the STS-compatible test server, which shows the role chosen from the assertion.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import { startSamlIdp, type SamlIdp } from '../../federation/saml-idp.js';
import { engines, startServer, type TestServer } from '../../support/server.js';
import { startSts, type FakeSts } from './sts-server.js';
import { GUEST_ROLE, USER_ROLE, appClient, identityClient, rejectsWith } from './support.js';

const SAML_ARN = 'arn:aws:iam::000000000000:saml-provider/corp-idp';
const ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';
const ANALYST_ROLE = 'arn:aws:iam::000000000000:role/tessera-analysts';
const AWS_ACS = 'https://signin.aws.amazon.com/saml';
const AWS_SP = 'urn:amazon:webservices';

for (const engine of engines) {
  describe(`identity pools with SAML logins (${engine})`, () => {
    let idp: SamlIdp;
    let sts: FakeSts;
    let s: TestServer;
    let admin: CognitoIdentityClient;
    let app: CognitoIdentityClient;
    let poolId: string;
    before(async () => {
      idp = await startSamlIdp();
      sts = await startSts(() => s.url);
      s = await startServer({ engine, env: { TESSERA_STS_ENDPOINT: sts.url } });
      admin = identityClient(s);
      app = appClient(s);
      poolId = (
        await admin.send(
          new CreateIdentityPoolCommand({
            IdentityPoolName: 'saml_logins',
            AllowUnauthenticatedIdentities: false,
            SamlProviderARNs: [SAML_ARN],
            IdentityPoolTags: { 'tessera:saml-metadata:corp-idp': idp.metadataUrl },
          }),
        )
      ).IdentityPoolId!;
      await admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { authenticated: USER_ROLE, unauthenticated: GUEST_ROLE } }));
      for (const role of [USER_ROLE, ANALYST_ROLE]) sts.trust(role, poolId, 'authenticated');
    });
    after(async () => {
      admin.destroy();
      app.destroy();
      await s.close();
      await sts.close();
      await idp.close();
    });

    const samlLogin = (o: { nameID: string; role?: string; audience?: string; acs?: string; shiftMs?: number; breakSignature?: boolean }) => ({
      [SAML_ARN]: idp.response({
        acs: o.acs ?? AWS_ACS,
        audience: o.audience ?? AWS_SP,
        nameID: o.nameID,
        attributes: o.role ? { [ROLE_ATTRIBUTE]: `${o.role},${SAML_ARN}` } : {},
        shiftMs: o.shiftMs,
        breakSignature: o.breakSignature,
      }),
    });

    test('a signed SAML response for AWS gives an identity (subject: NameID) and credentials for the role the assertion offers', async () => {
      const logins = samlLogin({ nameID: 'alice@corp.example', role: ANALYST_ROLE });
      const { IdentityId } = await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins }));
      const r = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
      const call = sts.calls.find((c) => c.accessKeyId === r.Credentials!.AccessKeyId)!;
      assert.equal(call.roleArn, ANALYST_ROLE);
      assert.deepEqual(call.amr, ['authenticated', SAML_ARN, `${SAML_ARN}:alice@corp.example`]);
      // A later response for the same NameID is the same identity; without a Role attribute the pool's role.
      const again = samlLogin({ nameID: 'alice@corp.example' });
      assert.equal((await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: again }))).IdentityId, IdentityId);
      const plain = await app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: again }));
      assert.equal(sts.calls.find((c) => c.accessKeyId === plain.Credentials!.AccessKeyId)!.roleArn, USER_ROLE);
      // A CustomRoleArn the assertion does not offer is refused.
      await rejectsWith(
        app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins, CustomRoleArn: USER_ROLE })),
        'NotAuthorizedException',
        /custom role/,
      );
    });

    test('a broken signature, another audience or recipient, an expired assertion are NotAuthorizedException', async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [samlLogin({ nameID: 'bob@corp.example', breakSignature: true }), /signature/i],
        [samlLogin({ nameID: 'bob@corp.example', audience: 'urn:amazon:cognito:sp:someone' }), /audience/],
        [samlLogin({ nameID: 'bob@corp.example', acs: 'https://evil.example/saml' }), /Recipient/],
        [samlLogin({ nameID: 'bob@corp.example', shiftMs: -20 * 60_000 }), /expired/],
      ];
      for (const [logins, message] of cases) {
        await rejectsWith(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins })), 'NotAuthorizedException', message);
      }
    });

    test('a SAML provider the pool does not list, or lists without metadata, is refused', async () => {
      const other = await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'saml_untagged', AllowUnauthenticatedIdentities: false, SamlProviderARNs: [SAML_ARN] }));
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: other.IdentityPoolId, Logins: samlLogin({ nameID: 'carol@corp.example' }) })),
        'NotAuthorizedException',
        /no metadata is known/,
      );
      const none = await admin.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'saml_none', AllowUnauthenticatedIdentities: false }));
      await rejectsWith(
        app.send(new GetIdCommand({ IdentityPoolId: none.IdentityPoolId, Logins: samlLogin({ nameID: 'carol@corp.example' }) })),
        'NotAuthorizedException',
        /not from a supported provider/,
      );
    });
  });
}
