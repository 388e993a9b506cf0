// The `Session` of a challenge: a sealed (AES-GCM under the master key), self-contained record of
// where a sign-in stands, so that any process can take the next step without a read or a write.
// It is bound to pool, client and user, carries the challenge it answers, expires after the app
// client's AuthSessionValidity (3-15 minutes, default 3), and has an id (jti) that single-use
// steps record when they complete (see the store's auth_used_challenges).
import { NotAuthorizedException } from '../errors.js';
import type { Sealer } from '../crypto/sealed.js';
import { newUuid } from '../ids.js';
import type { ChallengeName, FlowContext } from './types.js';

const PURPOSE = 'auth-session';
const DEFAULT_VALIDITY_MINUTES = 3;

export const INVALID_SESSION = 'Invalid session for the user.';
export const EXPIRED_SESSION = 'Invalid session for the user, session is expired.';

export interface ChallengeSession {
  poolId: string;
  clientId: string;
  /** The user's sub; empty for the stand-in of an unknown user. */
  userId: string;
  /** Canonical username (USER_ID_FOR_SRP). */
  username: string;
  /** What the client typed as USERNAME (a SECRET_HASH may be computed over it). */
  typed: string;
  challenge: ChallengeName;
  /** Epoch ms after which the session is refused. */
  expiresAt: number;
  jti: string;
  deviceKey?: string;
  /** Step state of the challenge, if it needs any. */
  state?: Record<string, string>;
}

/** Milliseconds a challenge of this client stays answerable. */
export function sessionValidityMs(ctx: Pick<FlowContext, 'client'>): number {
  return (ctx.client.settings.AuthSessionValidity ?? DEFAULT_VALIDITY_MINUTES) * 60_000;
}

/** A new session record for `challenge`, expiring after the client's AuthSessionValidity. */
export function newSession(
  ctx: FlowContext,
  fields: Omit<ChallengeSession, 'poolId' | 'clientId' | 'expiresAt' | 'jti'> & { jti?: string },
): ChallengeSession {
  return {
    ...fields,
    poolId: ctx.pool.id,
    clientId: ctx.client.id,
    expiresAt: ctx.app.clock.now() + sessionValidityMs(ctx),
    jti: fields.jti ?? newUuid(),
  };
}

/**
 * The pool and client a Session belongs to, read before there is a FlowContext (the operations
 * that take a sign-in Session but no ClientId: AssociateSoftwareToken, VerifySoftwareToken).
 */
export function sessionOrigin(sealer: Sealer, sealed: string): { poolId: string; clientId: string } | undefined {
  const s = sealer.openJson<ChallengeSession>(PURPOSE, sealed);
  return s ? { poolId: s.poolId, clientId: s.clientId } : undefined;
}

/**
 * Whose sign-in a Session is (pool, user id, canonical username; the user id is empty for an
 * unknown user's stand-in), for the audit of a reply that carries one; undefined if not ours.
 */
export function sessionSubject(sealer: Sealer, sealed: string): Pick<ChallengeSession, 'poolId' | 'userId' | 'username'> | undefined {
  const s = sealer.openJson<ChallengeSession>(PURPOSE, sealed);
  return s && typeof s.userId === 'string' ? { poolId: s.poolId, userId: s.userId, username: s.username } : undefined;
}

export function sealSession(ctx: FlowContext, s: ChallengeSession): string {
  return ctx.app.sealer.sealJson(PURPOSE, s);
}

/**
 * Opens a Session for `challenge` of this pool and client. Refuses (NotAuthorizedException) one
 * that is not ours, was tampered with, belongs to another client or challenge, or has expired.
 */
export function openSession(ctx: FlowContext, sealed: string | undefined, challenge: ChallengeName): ChallengeSession {
  const s = sealed ? ctx.app.sealer.openJson<ChallengeSession>(PURPOSE, sealed) : undefined;
  if (!s || s.poolId !== ctx.pool.id || s.clientId !== ctx.client.id || s.challenge !== challenge) {
    throw new NotAuthorizedException(INVALID_SESSION);
  }
  if (ctx.app.clock.now() > s.expiresAt) throw new NotAuthorizedException(EXPIRED_SESSION);
  return s;
}
