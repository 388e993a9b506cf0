// Passwords of a pool: the policy check (Cognito's rules and wording), what is kept of a
// password (the SRP salt and verifier, never the password), and temporary passwords for
// AdminCreateUser.
import { randomInt } from 'node:crypto';
import type { CryptoWorkers } from '../crypto/workers.js';
import { makeVerifier } from '../auth/srp-server.js';
import { InvalidPasswordException } from '../errors.js';
import type { PasswordPolicyType } from '../models/idp-types.js';
import type { UserPool } from './pools.js';
import type { PasswordMaterial } from './user.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Cognito's defaults, used for anything a pool's policy leaves out. */
export const DEFAULT_PASSWORD_POLICY: Required<Omit<PasswordPolicyType, 'PasswordHistorySize'>> = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

/**
 * The characters Cognito counts as symbols (its documented set; a space inside the password
 * counts too, though the wire model already refuses whitespace in passwords).
 */
export const PASSWORD_SYMBOLS = '^$*.[]{}()?-"!@#%&/\\,><\':;|_~`+= ';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

export function passwordPolicy(pool: UserPool): Required<Omit<PasswordPolicyType, 'PasswordHistorySize'>> {
  const p = pool.settings.Policies?.PasswordPolicy ?? {};
  const pick = <K extends keyof typeof DEFAULT_PASSWORD_POLICY>(k: K) => p[k] ?? DEFAULT_PASSWORD_POLICY[k];
  return {
    MinimumLength: pick('MinimumLength'),
    RequireUppercase: pick('RequireUppercase'),
    RequireLowercase: pick('RequireLowercase'),
    RequireNumbers: pick('RequireNumbers'),
    RequireSymbols: pick('RequireSymbols'),
    TemporaryPasswordValidityDays: pick('TemporaryPasswordValidityDays'),
  };
}

const hasAny = (s: string, set: string) => [...s].some((c) => set.includes(c));

/**
 * The first rule of the pool's policy that `password` breaks, in Cognito's words, or undefined.
 * @example policyViolation(pool, 'short') // 'Password not long enough'
 */
export function policyViolation(pool: UserPool, password: string): string | undefined {
  const policy = passwordPolicy(pool);
  // Length counts characters (code points), not UTF-16 units.
  if ([...password].length < policy.MinimumLength) return 'Password not long enough';
  if (policy.RequireLowercase && !hasAny(password, LOWER)) return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !hasAny(password, UPPER)) return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !hasAny(password, DIGITS)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && !hasAny(password, PASSWORD_SYMBOLS)) return 'Password must have symbol characters';
  return undefined;
}

/** Throws InvalidPasswordException naming the broken rule, as Cognito words it. */
export function checkPasswordPolicy(pool: UserPool, password: string): void {
  const why = policyViolation(pool, password);
  if (why) throw new InvalidPasswordException(`Password did not conform with policy: ${why}`);
}

/** When a temporary password set now stops working (TemporaryPasswordValidityDays). */
export function temporaryPasswordExpiry(pool: UserPool, now: number): number {
  return now + passwordPolicy(pool).TemporaryPasswordValidityDays * DAY_MS;
}

/**
 * What is kept of a password: the SRP salt and verifier bound to the pool's SRP name and the
 * user's canonical username (what clients put into x). No policy check: callers check first.
 * The exponentiation runs on the crypto worker pool (`modPow`, app.users.modPow), not the event loop.
 */
export async function makePasswordMaterial(
  pool: UserPool,
  username: string,
  password: string,
  opts: { temporary: boolean; now: number; modPow: CryptoWorkers },
): Promise<PasswordMaterial> {
  const v = await makeVerifier(opts.modPow, pool.srpName, username, password);
  return { kind: 'srp', ...v, ...(opts.temporary ? { expiresAt: temporaryPasswordExpiry(pool, opts.now) } : {}) };
}

// Symbols used in generated passwords: Cognito counts them, and none is special in HTML or in
// the message templates' placeholders.
const GENERATED_SYMBOLS = '!#$%*-_=+?.^';

/**
 * A random temporary password that satisfies the pool's policy: one character of every class
 * (whether required or not), then random ones up to max(12, MinimumLength), shuffled.
 */
export function generateTemporaryPassword(pool: UserPool): string {
  const length = Math.max(12, passwordPolicy(pool).MinimumLength);
  const classes = [UPPER, LOWER, DIGITS, GENERATED_SYMBOLS];
  const all = classes.join('');
  const chars = classes.map((set) => set[randomInt(set.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
