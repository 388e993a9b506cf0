// The process log of a real sign-up, confirmation, sign-in and refresh with a secret-bearing
// client: JSON lines, a requestId on every request line (the x-amzn-RequestId the client got),
// and none of the password, the confirmation code, the tokens or the client secret anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createLogger } from '../../../src/logger.js';
import { engines, publicClient, startServer, type TestServer } from '../../support/server.js';
import { lastCode, poolAndClient, secretHashOf } from '../users/support.js';

const PASSWORD = 'Sekr1t-Pa55phrase!';

for (const engine of engines) {
  describe(`no secrets in the log (${engine})`, () => {
    let s: TestServer;
    let pub: CognitoIdentityProviderClient;
    const lines: string[] = [];

    before(async () => {
      const log = createLogger({ logLevel: 'trace' }, { write: (l: string) => void lines.push(l) });
      s = await startServer({ engine, log });
      pub = publicClient(s.url);
    });
    after(async () => {
      pub.destroy();
      await s.close();
    });

    test('sign-up, confirmation, sign-in and refresh leave no password, code, token or client secret', async () => {
      const { clientId, secret } = await poolAndClient(s, {}, {
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      });
      const email = 'logged@example.com';
      const hash = (u: string) => secretHashOf(secret!, u, clientId);
      const up = await pub.send(
        new SignUpCommand({ ClientId: clientId, SecretHash: hash(email), Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
      );
      const code = await lastCode(s, email);
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, SecretHash: hash(email), Username: email, ConfirmationCode: code }));
      const auth = await pub.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: hash(email) },
        }),
      );
      const tokens = auth.AuthenticationResult!;
      await pub.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, SECRET_HASH: hash(up.UserSub!) },
        }),
      );
      await new Promise((r) => setTimeout(r, 100));

      const parsed = lines.map((l) => JSON.parse(l));
      const requests = parsed.filter((l) => l.msg === 'request');
      assert.ok(requests.length >= 6);
      assert.ok(requests.every((l) => typeof l.requestId === 'string' && l.requestId.length > 0));
      for (const op of ['SignUp', 'ConfirmSignUp', 'InitiateAuth']) assert.ok(requests.some((l) => l.op === op && l.status === 200), op);
      const all = lines.join('\n');
      const secrets = { password: PASSWORD, code, secret: secret!, refresh: tokens.RefreshToken!, access: tokens.AccessToken!, id: tokens.IdToken! };
      for (const [name, value] of Object.entries(secrets)) assert.ok(!all.includes(value), `${name} appears in the log`);
    });
  });
}
