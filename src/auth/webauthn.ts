// Passkeys (WebAuthn): registration (StartWebAuthnRegistration / CompleteWebAuthnRegistration),
// the WEB_AUTHN first factor of USER_AUTH, listing and deleting. The WebAuthn checks themselves
// (client data, authenticator data, attestation, COSE signatures) are @simplewebauthn/server's.
//
// - Relying party: WebAuthnConfiguration.RelyingPartyId (SetUserPoolMfaConfig); none set is
//   WebAuthnConfigurationMissingException. User verification as configured: 'required' demands
//   the UV flag, 'preferred' asks for it.
// - The origin of the ceremony must be the relying party's host or one under it, over https (or
//   http on localhost, which browsers count as secure): else WebAuthnOriginNotAllowedException.
// - Registration: one pending per user (webauthn_challenges), 5 minutes, taken away by Complete
//   whatever happens (WebAuthnChallengeNotFoundException when there is none or it expired);
//   Complete from another app client is WebAuthnClientMismatchException; a response that does
//   not verify is WebAuthnCredentialNotSupportedException. At most 20 passkeys a user.
// - Sign-in: CREDENTIAL_REQUEST_OPTIONS lists the user's credentials and a challenge kept in the
//   Session; the answer CREDENTIAL must verify against the stored key, and its sign counter must
//   move forward (moved atomically: a replayed or cloned authenticator's assertion loses), unless
//   the authenticator keeps none (always 0). Wrong is NotAuthorizedException; malformed is
//   InvalidParameterException. In a pool with MFA ON the second factor follows (mfa.ts), unless the
//   pool counts a user-verified passkey as two and the user turned that on.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { App } from '../app.js';
import {
  InvalidParameterException,
  InvalidUserPoolConfigurationException,
  LimitExceededException,
  NotAuthorizedException,
  ResourceNotFoundException,
  WebAuthnChallengeNotFoundException,
  WebAuthnClientMismatchException,
  WebAuthnConfigurationMissingException,
  WebAuthnCredentialNotSupportedException,
  WebAuthnNotEnabledException,
  WebAuthnOriginNotAllowedException,
} from '../errors.js';
import type { WebAuthnCredentialDescription } from '../models/idp-types.js';
import type { WebAuthnCredentialRow } from '../store/schema.js';
import { mfaMode, webAuthnConfig } from '../userpools/mfa-config.js';
import { UniqueViolation } from '../store/connect.js';
import { decodePageToken, encodePageToken } from '../userpools/page-token.js';
import type { AppClient, UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { INVALID_SESSION, newSession, sealSession } from './challenge-session.js';
import { finishSignIn, knownDevice } from './devices.js';
import { afterFirstFactor, openChallenge } from './mfa.js';
import { requireParam } from './params.js';
import type { AuthStep, FlowContext } from './types.js';

const REGISTRATION_TTL_MS = 5 * 60_000;
const MAX_PASSKEYS = 20;
const PAGE = 20;

/** The relying party of the pool, and whether user verification is required. */
function relyingParty(pool: UserPool, missing: (m: string) => Error = (m) => new WebAuthnConfigurationMissingException(m)): { rpId: string; uv: 'required' | 'preferred' } {
  const c = webAuthnConfig(pool);
  if (!c.RelyingPartyId) throw missing('The user pool has no WebAuthnConfiguration.RelyingPartyId.');
  return { rpId: c.RelyingPartyId, uv: c.UserVerification };
}

/** The origin in a response's clientDataJSON, if it belongs to the relying party. */
function allowedOrigin(clientDataJSON: unknown, rpId: string, refuse: (m: string) => Error = (m) => new WebAuthnOriginNotAllowedException(m)): string {
  let origin: string | undefined;
  try {
    origin = JSON.parse(Buffer.from(String(clientDataJSON), 'base64url').toString('utf8')).origin;
  } catch {
    origin = undefined;
  }
  const url = origin ? URL.canParse(origin) && new URL(origin) : undefined;
  const hostOk = url && (url.hostname === rpId || url.hostname.endsWith(`.${rpId}`));
  const secure = url && (url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === 'localhost'));
  if (!hostOk || !secure) throw refuse(`Origin ${origin ?? '(none)'} is not allowed for relying party ${rpId}.`);
  return origin!;
}

const transportsOf = (row: WebAuthnCredentialRow) => JSON.parse(row.transports) as AuthenticatorTransport[];

/** StartWebAuthnRegistration: creation options for a new passkey of the user. */
export async function startRegistration(app: App, pool: UserPool, client: AppClient, user: User): Promise<unknown> {
  const { rpId, uv } = relyingParty(pool);
  const existing = await app.store.webauthn.listCredentials(user.id, MAX_PASSKEYS + 1);
  if (existing.length >= MAX_PASSKEYS) throw new LimitExceededException(`A user can have at most ${MAX_PASSKEYS} passkeys.`);
  const options = await generateRegistrationOptions({
    rpName: pool.name,
    rpID: rpId,
    userID: Buffer.from(user.id, 'utf8'),
    userName: user.attributes.email ?? user.username,
    userDisplayName: user.attributes.name ?? user.attributes.email ?? user.username,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: transportsOf(c) })),
    authenticatorSelection: { residentKey: 'required', userVerification: uv },
  });
  await app.store.webauthn.putChallenge({
    user_id: user.id,
    challenge: options.challenge,
    rp_id: rpId,
    client_id: client.id,
    expires_at: app.clock.now() + REGISTRATION_TTL_MS,
  });
  return options;
}

/** CompleteWebAuthnRegistration: checks the attestation and keeps the credential. */
export async function completeRegistration(app: App, pool: UserPool, client: AppClient, user: User, credential: unknown): Promise<void> {
  const { rpId, uv } = relyingParty(pool, (m) => new WebAuthnNotEnabledException(m));
  const pending = await app.store.webauthn.takeChallenge(user.id);
  if (!pending || pending.expires_at <= app.clock.now()) throw new WebAuthnChallengeNotFoundException('No passkey registration is pending for the user.');
  if (pending.client_id !== client.id) throw new WebAuthnClientMismatchException('The registration was started by another app client.');
  const response = asObject<RegistrationResponseJSON>(credential);
  const origin = allowedOrigin(response.response?.clientDataJSON, rpId);
  let info;
  try {
    const r = await verifyRegistrationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
      requireUserVerification: uv === 'required',
    });
    if (!r.verified) throw new Error('not verified');
    info = r.registrationInfo;
  } catch (e) {
    throw new WebAuthnCredentialNotSupportedException(`The credential could not be verified: ${(e as Error).message}`);
  }
  const row: WebAuthnCredentialRow = {
    id: info.credential.id,
    pool_id: pool.id,
    user_id: user.id,
    rp_id: rpId,
    public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
    sign_count: info.credential.counter,
    name: friendlyName(response),
    attachment: response.authenticatorAttachment ?? null,
    transports: JSON.stringify(info.credential.transports ?? response.response?.transports ?? []),
    created_at: app.clock.now(),
  };
  try {
    await app.store.webauthn.insertCredential(row);
  } catch (e) {
    // A credential id is one authenticator's key: registered already (by this user or another).
    if (e instanceof UniqueViolation) throw new InvalidParameterException('This passkey is already registered.');
    throw e;
  }
}

function friendlyName(response: RegistrationResponseJSON): string {
  return response.authenticatorAttachment === 'platform' ? 'Platform passkey' : 'Security key';
}

/** Whether the user has at least one passkey. */
export async function hasPasskey(app: App, user: User): Promise<boolean> {
  return (await app.store.webauthn.listCredentials(user.id, 1)).length > 0;
}

/** ListWebAuthnCredentials: oldest first, MaxResults (default and at most 20) a page. */
export async function listPasskeys(app: App, user: User, maxResults: number | undefined, token: string | undefined) {
  const size = Math.min(maxResults || PAGE, PAGE);
  const scope = `ListWebAuthnCredentials|${user.id}`;
  const after = decodePageToken<{ createdAt: number; id: string }>(app.sealer, scope, token);
  const rows = await app.store.webauthn.listCredentials(user.id, size + 1, after);
  const shown = rows.slice(0, size);
  const last = shown[shown.length - 1];
  const credentials: WebAuthnCredentialDescription[] = shown.map((r) => ({
    CredentialId: r.id,
    FriendlyCredentialName: r.name,
    RelyingPartyId: r.rp_id,
    ...(r.attachment ? { AuthenticatorAttachment: r.attachment } : {}),
    AuthenticatorTransports: transportsOf(r),
    CreatedAt: r.created_at / 1000,
  }));
  return { credentials, next: rows.length > size && last ? encodePageToken(app.sealer, scope, { createdAt: last.created_at, id: last.id }) : undefined };
}

export async function deletePasskey(app: App, user: User, credentialId: string): Promise<void> {
  if (!(await app.store.webauthn.deleteCredential(user.id, credentialId))) throw new ResourceNotFoundException('The credential does not exist.');
}

/** The WEB_AUTHN challenge: request options for the user's passkeys. */
export async function webAuthnChallenge(ctx: FlowContext, user: User, typed: string, deviceKey?: string): Promise<AuthStep> {
  const { rpId, uv } = relyingParty(ctx.pool, (m) => new InvalidUserPoolConfigurationException(m));
  const creds = await ctx.app.store.webauthn.listCredentials(user.id, MAX_PASSKEYS);
  const options = await generateAuthenticationOptions({
    rpID: rpId,
    userVerification: uv,
    allowCredentials: creds.map((c) => ({ id: c.id, transports: transportsOf(c) })),
  });
  const session = newSession(ctx, { userId: user.id, username: user.username, typed, challenge: 'WEB_AUTHN', deviceKey, state: { challenge: options.challenge } });
  return {
    kind: 'challenge',
    name: 'WEB_AUTHN',
    session: sealSession(ctx, session),
    parameters: { USERNAME: user.username, CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
  };
}

/** RespondToAuthChallenge WEB_AUTHN { CREDENTIAL }: the assertion, then tokens (or, MFA ON, the second factor). */
export async function answerWebAuthn(ctx: FlowContext, responses: Record<string, string>, sealed?: string): Promise<AuthStep> {
  const { s, user } = await openChallenge(ctx, 'WEB_AUTHN', responses, sealed);
  const { rpId, uv } = relyingParty(ctx.pool, (m) => new InvalidUserPoolConfigurationException(m));
  const response = asObject<AuthenticationResponseJSON>(requireParam(responses, 'CREDENTIAL'));
  if (typeof response.id !== 'string' || !response.id) throw new InvalidParameterException('The credential has no id.');
  const row = await ctx.app.store.webauthn.getCredential(response.id);
  if (!row || row.user_id !== user.id) throw new NotAuthorizedException('The passkey is not registered for the user.');
  const origin = allowedOrigin(response.response?.clientDataJSON, rpId, (m) => new NotAuthorizedException(m));
  let newCounter: number;
  let userVerified = false;
  try {
    const r = await verifyAuthenticationResponse({
      response,
      expectedChallenge: s.state!.challenge!,
      expectedOrigin: origin,
      expectedRPID: rpId,
      requireUserVerification: uv === 'required',
      credential: { id: row.id, publicKey: Buffer.from(row.public_key, 'base64url'), counter: row.sign_count, transports: transportsOf(row) },
    });
    if (!r.verified) throw new Error('not verified');
    newCounter = r.authenticationInfo.newCounter;
    userVerified = r.authenticationInfo.userVerified;
  } catch {
    throw new NotAuthorizedException('The passkey assertion could not be verified.');
  }
  if ((newCounter > 0 || row.sign_count > 0) && !(await ctx.app.store.webauthn.advanceCounter(row.id, newCounter))) {
    throw new NotAuthorizedException('The passkey sign counter did not move forward.');
  }
  if (!(await ctx.app.store.auth.useOnce(s.jti, s.expiresAt))) throw new NotAuthorizedException(INVALID_SESSION);
  // A pool that requires MFA: a passkey is one factor, unless the pool counts a user-verified
  // passkey as two (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION), the user turned that
  // on (WebAuthnMfaSettings) and this passkey verified the user. Otherwise the second factor
  // follows, as after a password.
  const twoFactors = userVerified && user.mfa.webAuthnMfaEnabled === true && webAuthnConfig(ctx.pool).FactorConfiguration === 'MULTI_FACTOR_WITH_USER_VERIFICATION';
  if (mfaMode(ctx.pool) === 'ON' && !twoFactors) return afterFirstFactor(ctx, user, { typed: s.typed, deviceKey: s.deviceKey });
  return finishSignIn(ctx, user, await knownDevice(ctx, user, s.deviceKey));
}

/** A Document member (an object) or its JSON text. */
function asObject<T>(value: unknown): T {
  let v = value;
  if (typeof value === 'string') {
    try {
      v = JSON.parse(value);
    } catch {
      throw new InvalidParameterException('The credential is not JSON.');
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InvalidParameterException('The credential must be a JSON object.');
  return v as T;
}
