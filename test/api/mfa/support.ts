// Helpers of the MFA, device and passkey tests: a server on a hand-moved clock, pools with MFA
// configured through the real SetUserPoolMfaConfig, TOTP codes computed here independently of
// src/auth/totp.ts, and codes read back from the dev outbox.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import {
  AdminInitiateAuthCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../../src/clock.js';
import { computeX, padHex, powG } from '../../../src/crypto/srp.js';
import { startServer, type Engine, type StartOptions, type TestServer } from '../../support/server.js';
import { PASSWORD, makeClient, makePool, makeUser } from '../auth/support.js';

export { PASSWORD, makeClient, makePool, makeUser };

/**
 * Real time plus an offset the test moves forward. Signed requests and real clients' SRP
 * timestamps must stay within 5 minutes of the server, so each test starts again at offset 0
 * (reset); the users of one test never see time go back.
 */
export class OffsetClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
  reset(): void {
    this.offset = 0;
  }
}

export interface MfaServer extends TestServer {
  clock: OffsetClock;
}

export async function startMfaServer(engine: Engine, opts: StartOptions = {}): Promise<MfaServer> {
  const clock = new OffsetClock();
  const s = await startServer({ engine, clock, ...opts });
  return Object.assign(s, { clock });
}

/** Moves the clock to the start of the next 30-second TOTP step (so each code is new). */
export function nextStep(s: MfaServer): void {
  const now = s.clock.now();
  s.clock.advance((Math.floor(now / 30_000) + 1) * 30_000 + 500 - now);
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) of a base32 secret at `ms`, written out separately here. */
export function totp(secret: string, ms: number): string {
  let bits = '';
  for (const ch of secret.replace(/=+$/, '')) bits += B32.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[19]! & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** SetUserPoolMfaConfig with TOTP on, plus `extra`. */
export async function configureMfa(s: TestServer, poolId: string, extra: Partial<SetUserPoolMfaConfigCommandInput> = {}) {
  return s.idp.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, ...extra }),
  );
}

/** Tokens of a password sign-in (ADMIN_USER_PASSWORD_AUTH) that meets no challenge. */
export async function adminTokens(s: TestServer, poolId: string, clientId: string, username: string, password = PASSWORD) {
  const r = await s.idp.send(
    new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
  assert.ok(r.AuthenticationResult?.AccessToken, JSON.stringify(r));
  return r.AuthenticationResult;
}

/** USER_PASSWORD_AUTH through the public client. */
export function passwordSignIn(idp: CognitoIdentityProviderClient, clientId: string, username: string, extra: Record<string, string> = {}) {
  return idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PASSWORD, ...extra } }));
}

/** Enrols TOTP with an access token and makes it the preferred factor; returns the secret. */
export async function enrolTotp(s: MfaServer, idp: CognitoIdentityProviderClient, accessToken: string): Promise<string> {
  const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  nextStep(s);
  const v = await idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totp(SecretCode!, s.clock.now()), FriendlyDeviceName: 'phone' }));
  assert.equal(v.Status, 'SUCCESS');
  await idp.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  nextStep(s);
  return SecretCode!;
}

/** The newest six-digit code sent to `destination` through the dev outbox. */
export async function lastCode(s: TestServer, destination: string): Promise<string> {
  const [m] = await s.app.store.outbox.list(destination, 1);
  assert.ok(m, `no message to ${destination}`);
  const code = /\b(\d{6})\b/.exec(m.body)?.[1];
  assert.ok(code, `no code in ${m.body}`);
  return code;
}

/** The name and message of a rejected call. */
export async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected the call to fail');
}

/** The verifier config a client makes for a new device (srp.md §6): base64 of the padHex bytes. */
export function deviceVerifier(groupKey: string, deviceKey: string) {
  const salt = padHex(BigInt('0x' + randomBytes(16).toString('hex')));
  const x = computeX(groupKey, deviceKey, randomBytes(40).toString('base64'), salt);
  return { Salt: Buffer.from(salt, 'hex').toString('base64'), PasswordVerifier: Buffer.from(padHex(powG(x)), 'hex').toString('base64') };
}
