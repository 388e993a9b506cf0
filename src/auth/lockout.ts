// Lockout and rate limits for wrong passwords, counted in the store so that every process sees
// the same counts (one upsert per failure; see store/auth.ts).
//
// - Per user (per typed name for an unknown one, so that unknown names lock alike): after
//   `failuresBeforeLock` failures each further one locks sign-in for a time that doubles, 1 s,
//   2 s, 4 s ... up to 15 minutes: NotAuthorizedException "Password attempts exceeded". While
//   locked the password is not even checked. A success clears the count; a count whose last
//   failure is older than `failureWindowMs` starts over.
// - Per client address and pool: more than `ipFailures` failed sign-ins within `ipWindowMs` refuse
//   further attempts from that address with TooManyRequestsException until the window passes.
import { NotAuthorizedException, TooManyRequestsException } from '../errors.js';
import { normalizeUsername } from '../userpools/indexes.js';
import type { AuthFailureRow } from '../store/schema.js';
import type { User } from '../userpools/user.js';
import type { FlowContext } from './types.js';

export interface SignInLimits {
  failuresBeforeLock: number;
  firstLockMs: number;
  maxLockMs: number;
  failureWindowMs: number;
  ipFailures: number;
  ipWindowMs: number;
}

export const DEFAULT_LIMITS: Readonly<SignInLimits> = {
  failuresBeforeLock: 5,
  firstLockMs: 1000,
  maxLockMs: 15 * 60_000,
  failureWindowMs: 60 * 60_000,
  ipFailures: 100,
  ipWindowMs: 5 * 60_000,
};

export const PASSWORD_ATTEMPTS_EXCEEDED = 'Password attempts exceeded';
const PRUNE_EVERY_MS = 10 * 60_000;

/** How long `failures` consecutive failures lock sign-in (0 below the threshold). */
export function lockDurationMs(failures: number, limits: SignInLimits = DEFAULT_LIMITS): number {
  const over = failures - limits.failuresBeforeLock;
  if (over < 0) return 0;
  return Math.min(limits.maxLockMs, limits.firstLockMs * 2 ** Math.min(over, 30));
}

/** The counter a sign-in name's failures go to: the user's, or the typed name's. */
export function lockSubject(ctx: FlowContext, user: User | undefined, typed: string): string {
  return user ? `user:${user.id}` : `name:${normalizeUsername(ctx.pool, typed)}`;
}

/** The counter of the request's client address. */
export const ipSubject = (ctx: FlowContext) => `ip:${ctx.sourceIp}`;

/**
 * Refuses the attempt while the subject is locked or its address is over the limit. Returns
 * whether the subject has failures on record (which a success then clears). `read`: the subject's
 * and the address's counters as the caller read them just now (users.findForSignIn).
 */
export async function checkNotLocked(
  ctx: FlowContext,
  subject: string,
  read?: [AuthFailureRow | undefined, AuthFailureRow | undefined],
): Promise<{ counted: boolean }> {
  const { store, clock, auth } = ctx.app;
  const now = clock.now();
  const [mine, address] = read ?? (await store.auth.failures(ctx.pool.id, subject, ipSubject(ctx)));
  if (address && address.failures >= auth.limits.ipFailures && now - address.last_failed_at < auth.limits.ipWindowMs) {
    throw new TooManyRequestsException('Too many failed sign-in attempts from this address. Try again later.');
  }
  if (mine && now < mine.last_failed_at + lockDurationMs(mine.failures, auth.limits)) {
    throw new NotAuthorizedException(PASSWORD_ATTEMPTS_EXCEEDED);
  }
  return { counted: !!mine };
}

/** Counts a wrong password for the subject and for the address. */
export async function recordFailure(ctx: FlowContext, subject: string): Promise<void> {
  const { store, clock, auth } = ctx.app;
  const now = clock.now();
  await Promise.all([
    store.auth.countFailure(ctx.pool.id, subject, now, auth.limits.failureWindowMs),
    store.auth.countFailure(ctx.pool.id, ipSubject(ctx), now, auth.limits.ipWindowMs),
  ]);
  if (auth.shouldPrune(now, PRUNE_EVERY_MS)) {
    const horizon = now - Math.max(auth.limits.failureWindowMs, auth.limits.ipWindowMs, auth.limits.maxLockMs);
    await Promise.all([store.auth.pruneFailures(horizon), store.auth.pruneUsed(now)]);
  }
}

/** A proven password clears the subject's count, if it has one (the address keeps its own). */
export async function recordSuccess(ctx: FlowContext, subject: string, lock: { counted: boolean }): Promise<void> {
  if (lock.counted) await ctx.app.store.auth.clearFailures(ctx.pool.id, subject);
}
