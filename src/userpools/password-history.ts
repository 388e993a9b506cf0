// A user's own password changes (ChangePassword, ConfirmForgotPassword) and the pool's
// PasswordHistorySize: with n set, the new password may not be any of the user's last n passwords,
// the current one counting as the most recent. What is remembered of an old password is what is
// kept of a current one, its SRP salt and verifier, sealed under the master key like the password
// itself, in the user's per-user state document (`mfa.passwordHistory`, newest first, n - 1 kept).
import { checkPassword as checkSrpPassword } from '../auth/srp-server.js';
import type { Verifier } from '../crypto/srp.js';
import { PasswordHistoryPolicyViolationException } from '../errors.js';
import type { Store } from '../store/store.js';
import { checkPasswordPolicy } from './passwords.js';
import type { UserPool } from './pools.js';
import type { User } from './user.js';
import type { Users } from './users.js';

const HISTORY_PURPOSE = 'password-history';
const HISTORY_KEY = 'passwordHistory';

/** PasswordHistorySize of the pool's policy, 0 when unset. */
export function historySize(pool: UserPool): number {
  return pool.settings.Policies?.PasswordPolicy?.PasswordHistorySize ?? 0;
}

function remembered(users: Users, user: User): Verifier[] {
  const sealed = user.mfa[HISTORY_KEY];
  if (typeof sealed !== 'string') return [];
  return users.sealer.openJson<Verifier[]>(HISTORY_PURPOSE, sealed) ?? [];
}

/**
 * Checks a proposed password before anything is consumed or written: the pool's policy
 * (InvalidPasswordException), then the history (PasswordHistoryPolicyViolationException). Each
 * remembered password costs one verifier computation (about a millisecond; n is at most 24), on
 * the crypto worker pool.
 */
export async function checkNewPassword(users: Users, pool: UserPool, user: User, password: string): Promise<void> {
  checkPasswordPolicy(pool, password);
  const n = historySize(pool);
  if (!n) return;
  const current = user.password?.kind === 'srp' ? [user.password] : [];
  const recent = [...current, ...remembered(users, user)].slice(0, n);
  // Every entry is checked (no early exit), so the time does not tell which one matched.
  const matches = await Promise.all(recent.map((v) => checkSrpPassword(users.modPow, pool.srpName, user.username, password, v)));
  const reused = matches.includes(true);
  if (reused) throw new PasswordHistoryPolicyViolationException('The password has been used recently. Choose a password you have not used before.');
}

/**
 * Replaces the user's password permanently (status CONFIRMED), remembering the old one when the
 * pool keeps a history. Call checkNewPassword first. Mutates `user` and saves it (in `store`'s
 * transaction when given).
 * @example await checkNewPassword(app.users, pool, user, pw); await replacePassword(app.users, pool, user, pw)
 */
export async function replacePassword(users: Users, pool: UserPool, user: User, password: string, store?: Store): Promise<void> {
  const n = historySize(pool);
  if (n > 1 && user.password?.kind === 'srp') {
    const { salt, verifier } = user.password;
    const kept = [{ salt, verifier }, ...remembered(users, user)].slice(0, n - 1);
    user.mfa = { ...user.mfa, [HISTORY_KEY]: users.sealer.sealJson(HISTORY_PURPOSE, kept) };
  } else if (user.mfa[HISTORY_KEY] !== undefined) {
    const { [HISTORY_KEY]: _dropped, ...rest } = user.mfa;
    user.mfa = rest;
  }
  await users.setPassword(pool, user, password, { permanent: true, store });
}
