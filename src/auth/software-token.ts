// Software token (TOTP) MFA for one user: enrolment (AssociateSoftwareToken, VerifySoftwareToken,
// by AccessToken or inside a sign-in through MFA_SETUP) and the check of SOFTWARE_TOKEN_MFA.
//
// The secret is sealed at rest under the purpose `totp-secret`: user.mfa.totpPending while
// enrolling (a new AssociateSoftwareToken replaces it), user.mfa.totpSecret once a code from it
// was verified. Every accepted code moves the user's last TOTP step forward (store.totpSteps), so
// a code works once, and no older one after it (RFC 6238 §5.2).
//
// VerifySoftwareToken, in order:
//   nothing associated                                    SoftwareTokenMFANotFoundException
//   not six digits, another step's code, or used          EnableSoftwareTokenMFAException "Code mismatch and fail enable Software Token MFA"
//   right: the secret becomes the user's, TOTP MFA is enabled (not preferred), FriendlyDeviceName kept
import { EnableSoftwareTokenMFAException, SoftwareTokenMFANotFoundException } from '../errors.js';
import type { App } from '../app.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { matchTotp, newTotpSecret } from './totp.js';

const SECRET_PURPOSE = 'totp-secret';
export const TOTP_CODE_MISMATCH = 'Code mismatch and fail enable Software Token MFA';
export const TOTP_NOT_FOUND = 'Software Token MFA has not been enabled by the user.';

/** Starts (or restarts) enrolment: a new pending secret, returned once in base32. */
export async function associateSoftwareToken(app: App, pool: UserPool, user: User): Promise<string> {
  const secret = newTotpSecret();
  const pending = app.sealer.seal(SECRET_PURPOSE, secret);
  const saved = await app.users.modify(pool, user.id, (u) => {
    u.mfa = { ...u.mfa, totpPending: pending };
    u.updatedAt = app.clock.now();
  });
  Object.assign(user, saved);
  return secret;
}

/** Completes enrolment with a code from the pending secret (rules above). */
export async function verifySoftwareToken(app: App, pool: UserPool, user: User, code: string, friendlyName?: string): Promise<void> {
  const secret = user.mfa.totpPending ? openSecret(app, user.mfa.totpPending) : undefined;
  if (!secret) throw new SoftwareTokenMFANotFoundException(TOTP_NOT_FOUND);
  if (!(await acceptTotp(app, user, secret, code))) throw new EnableSoftwareTokenMFAException(TOTP_CODE_MISMATCH);
  const verified = user.mfa.totpPending;
  const saved = await app.users.modify(pool, user.id, (u) => {
    // Another AssociateSoftwareToken since: the code was for a secret no longer pending.
    if (u.mfa.totpPending !== verified) throw new EnableSoftwareTokenMFAException(TOTP_CODE_MISMATCH);
    const { totpPending, ...rest } = u.mfa;
    u.mfa = { ...rest, totpSecret: totpPending, totpEnabled: true, ...(friendlyName ? { totpName: friendlyName } : {}) };
    u.updatedAt = app.clock.now();
  });
  Object.assign(user, saved);
}

/** The user's verified TOTP secret, if any. */
export function totpSecretOf(app: App, user: User): string | undefined {
  return user.mfa.totpSecret ? openSecret(app, user.mfa.totpSecret) : undefined;
}

/**
 * Whether `code` is the secret's code within ±1 step and later than any step the user used
 * before; a match is recorded as used.
 */
export async function acceptTotp(app: App, user: User, secret: string, code: string): Promise<boolean> {
  const step = matchTotp(secret, code, app.clock.now());
  return step !== undefined && (await app.store.totpSteps.advance(user.id, step));
}

/**
 * A SOFTWARE_TOKEN_MFA answer: 'mismatch' when `code` is not the secret's within ±1 step or its
 * step (or a later one) was used before; 'used' when the challenge (`jti`) was answered already;
 * else 'ok', with the step recorded and the challenge marked used in one go
 * (TotpStepRepo.advanceAndUse).
 */
export async function acceptTotpAnswer(app: App, user: User, secret: string, code: string, challenge: { jti: string; expiresAt: number }): Promise<'ok' | 'mismatch' | 'used'> {
  const step = matchTotp(secret, code, app.clock.now());
  if (step === undefined) return 'mismatch';
  const r = await app.store.totpSteps.advanceAndUse(user.id, step, challenge.jti, challenge.expiresAt);
  return !r.advanced ? 'mismatch' : r.used ? 'ok' : 'used';
}

/** AdminDeleteSoftwareToken: the user's TOTP secret and enrolment go; a TOTP preference with them. */
export async function deleteSoftwareToken(app: App, pool: UserPool, user: User): Promise<void> {
  // On the user as it stands (row locked): a preference set meanwhile is seen and dropped too.
  const fresh = await app.users.modify(pool, user.id, (u) => {
    const { totpSecret: _s, totpPending: _p, totpEnabled: _e, totpName: _n, ...rest } = u.mfa;
    u.mfa = rest;
    if (u.mfa.preferred === 'SOFTWARE_TOKEN_MFA') delete u.mfa.preferred;
    u.updatedAt = app.clock.now();
  });
  Object.assign(user, fresh);
}

function openSecret(app: App, sealed: string): string | undefined {
  return app.sealer.open(SECRET_PURPOSE, sealed)?.toString('utf8');
}
