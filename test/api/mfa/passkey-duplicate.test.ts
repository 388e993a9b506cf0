// A credential id names one authenticator's key, so it is registered once in the whole store. An
// honest authenticator never repeats one (the browser also excludes the user's own through
// excludeCredentials); a client that makes up its own authenticator can. Here a small software
// authenticator (ES256, "none" attestation, as a browser without attestation sends) registers a
// credential for one user and then the same credential id for another user and for the same user
// again: each repeat is InvalidParameterException and changes nothing, on both engines.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CompleteWebAuthnRegistrationCommand,
  ListWebAuthnCredentialsCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { engines, publicClient } from '../../support/server.js';
import { adminTokens, makeClient, makePool, makeUser, rejection, startMfaServer, type MfaServer } from './support.js';

const RP_ID = 'localhost';
const ORIGIN = 'http://localhost:5173';

/** A registration response (the JSON a browser's credential.toJSON() gives) for `credentialId`. */
function register(options: { challenge: string }, credentialId: Buffer) {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = new Map<number, number | Uint8Array>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, Buffer.from(jwk.x!, 'base64url')],
    [-3, Buffer.from(jwk.y!, 'base64url')],
  ]);
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(credentialId.length);
  const authData = Buffer.concat([
    createHash('sha256').update(RP_ID).digest(),
    Buffer.from([0x45]), // user present, user verified, attested credential data
    Buffer.alloc(4), // sign count
    Buffer.alloc(16), // AAGUID
    idLength,
    credentialId,
    Buffer.from(isoCBOR.encode(cose)),
  ]);
  const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
  const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: ORIGIN, crossOrigin: false });
  const id = credentialId.toString('base64url');
  return {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: Buffer.from(clientDataJSON).toString('base64url'),
      attestationObject: Buffer.from(attestationObject).toString('base64url'),
      transports: ['internal'],
    },
  };
}

for (const engine of engines) {
  describe(`a passkey registered twice (${engine})`, () => {
    let s: MfaServer;
    let idp: CognitoIdentityProviderClient;
    before(async () => {
      s = await startMfaServer(engine);
      idp = publicClient(s.url);
    });
    after(async () => {
      idp.destroy();
      await s.close();
    });

    test('the same credential id for another user, or again for the same user, is InvalidParameterException and changes nothing', async () => {
      const poolId = await makePool(s, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } });
      await s.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: RP_ID, UserVerification: 'preferred' } }));
      const clientId = (await makeClient(s, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).id;
      await makeUser(s, poolId, 'first');
      await makeUser(s, poolId, 'second');
      const firstToken = (await adminTokens(s, poolId, clientId, 'first'))!.AccessToken!;
      const secondToken = (await adminTokens(s, poolId, clientId, 'second'))!.AccessToken!;
      const credentialId = Buffer.from('a credential id both will claim');
      const registerAs = async (AccessToken: string) => {
        const { CredentialCreationOptions } = await idp.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
        const options = CredentialCreationOptions as { challenge: string; excludeCredentials?: { id: string }[] };
        return { options, done: idp.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: register(options, credentialId) as never })) };
      };
      const list = async (AccessToken: string) => (await idp.send(new ListWebAuthnCredentialsCommand({ AccessToken }))).Credentials!.map((c) => c.CredentialId);

      await (await registerAs(firstToken)).done;
      assert.deepEqual(await list(firstToken), [credentialId.toString('base64url')]);

      const other = await registerAs(secondToken);
      assert.deepEqual(other.options.excludeCredentials ?? [], [], "another user's credentials are not shown to this one");
      const taken = await rejection(other.done);
      assert.equal(taken.name, 'InvalidParameterException');
      assert.equal(taken.message, 'This passkey is already registered.');
      assert.deepEqual(await list(secondToken), []);
      assert.deepEqual(await list(firstToken), [credentialId.toString('base64url')]);

      const again = await registerAs(firstToken);
      assert.deepEqual(again.options.excludeCredentials?.map((c) => c.id), [credentialId.toString('base64url')]);
      assert.equal((await rejection(again.done)).name, 'InvalidParameterException');
      assert.deepEqual(await list(firstToken), [credentialId.toString('base64url')]);
    });
  });
}
