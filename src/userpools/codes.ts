// Verification codes: six random digits, kept only as a keyed hash bound to the user and the
// purpose, with an expiry, an attempt counter and single use. One live code per user and
// purpose: issuing a new one replaces the old (and its attempt count).
import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import { safeEqual } from '../crypto/compare.js';
import type { KeyedHash } from '../crypto/keyed-hash.js';
import { CodeMismatchException, ExpiredCodeException, LimitExceededException } from '../errors.js';
import type { Store } from '../store/store.js';
import type { User } from './user.js';

/**
 * What a code is for. `verify:<attribute>` confirms an e-mail or phone number; `sign-in` is the
 * one-time code of a sign-in challenge (SMS_MFA, EMAIL_OTP, SMS_OTP: src/auth/sign-in-code.ts).
 */
export type CodePurpose = 'signup' | 'reset' | 'verify:email' | 'verify:phone_number' | 'sign-in';

/** Kept beside the code: where it went, so confirming it verifies exactly that value. */
export interface CodeData {
  attribute?: 'email' | 'phone_number';
  value?: string;
  /** A sign-in code: the id (jti) of the challenge Session it was sent for. */
  session?: string;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Lifetimes: sign-up and attribute codes 24 hours, password reset codes 1 hour, sign-in codes
 * 3 minutes (Cognito's).
 */
export const CODE_TTL_MS: Record<CodePurpose, number> = {
  'sign-in': 3 * 60 * 1000,
  signup: 24 * HOUR_MS,
  reset: HOUR_MS,
  'verify:email': 24 * HOUR_MS,
  'verify:phone_number': 24 * HOUR_MS,
};

/** Wrong answers a code survives; the next attempt, right or wrong, is refused. */
export const MAX_CODE_ATTEMPTS = 5;

export const CODE_MISMATCH = 'Invalid verification code provided, please try again.';
export const CODE_EXPIRED = 'Invalid code provided, please request a code again.';
export const ATTEMPTS_EXCEEDED = 'Attempt limit exceeded, please try after some time.';

export class Codes {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hasher: KeyedHash,
  ) {}

  private hash(user: User, purpose: CodePurpose, code: string): string {
    return this.hasher.digest('code', user.id, purpose, code);
  }

  /**
   * Makes a new code for `user` and `purpose`, replacing any live one, and returns it (the only
   * time it exists in clear). Pass `store` to write inside a caller's transaction.
   */
  async issue(user: User, purpose: CodePurpose, data: CodeData = {}, store: Store = this.store): Promise<string> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = this.clock.now();
    await store.codes.put({
      user_id: user.id,
      purpose,
      pool_id: user.poolId,
      code_hash: this.hash(user, purpose, code),
      expires_at: now + CODE_TTL_MS[purpose],
      attempts: 0,
      data: JSON.stringify(data),
      created_at: now,
    });
    return code;
  }

  /**
   * Checks `code` and, when right, consumes it and runs `onConfirmed` in one transaction (so a
   * failure there leaves the code usable). Rules, in order: a missing or expired code is
   * ExpiredCodeException; each attempt is counted before comparing, and past
   * MAX_CODE_ATTEMPTS the code is dead (LimitExceededException); a wrong code is
   * CodeMismatchException (compared in constant time); a code used by a concurrent request is a
   * mismatch too.
   */
  async confirm<T = void>(
    user: User,
    purpose: CodePurpose,
    code: string,
    onConfirmed?: (tx: Store, data: CodeData) => Promise<T>,
  ): Promise<{ data: CodeData; result: T | undefined }> {
    const row = await this.store.codes.get(user.id, purpose);
    if (!row || row.expires_at <= this.clock.now()) throw new ExpiredCodeException(CODE_EXPIRED);
    if (!(await this.store.codes.claimAttempt(user.id, purpose, MAX_CODE_ATTEMPTS))) {
      // No attempt left, or the code was used (deleted) by a concurrent request meanwhile.
      if (await this.store.codes.get(user.id, purpose)) throw new LimitExceededException(ATTEMPTS_EXCEEDED);
      throw new CodeMismatchException(CODE_MISMATCH);
    }
    const hash = this.hash(user, purpose, code);
    if (!safeEqual(hash, row.code_hash)) throw new CodeMismatchException(CODE_MISMATCH);
    const data = JSON.parse(row.data) as CodeData;
    return this.store.transaction(async (tx) => {
      if (!(await tx.codes.consume(user.id, purpose, hash))) throw new CodeMismatchException(CODE_MISMATCH);
      return { data, result: onConfirmed ? await onConfirmed(tx, data) : undefined };
    });
  }

  /** Forgets any live code of `user` for `purpose`. */
  async discard(user: User, purpose: CodePurpose, store: Store = this.store): Promise<void> {
    await store.codes.delete(user.id, purpose);
  }
}
