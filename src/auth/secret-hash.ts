// SECRET_HASH in the auth flows (api-surface.md §6): an app client with a secret proves it on
// every InitiateAuth / RespondToAuthChallenge with base64(HMAC-SHA256(secret, username ‖ clientId)).
// Which username the client hashed depends on the client library: what the user typed, the
// canonical username (USER_ID_FOR_SRP / the USERNAME challenge parameter), or for refresh the sub
// (Cognito's docs allow both). So the step takes the names that designate this user and accepts a
// hash over any of them. A client without a secret needs none.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/compare.js';
import { NotAuthorizedException } from '../errors.js';
import type { AppClient } from '../userpools/pools.js';

export function secretHashOf(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId, 'utf8').digest('base64');
}

/** Refuses a request of a secret-holding client that sent no SECRET_HASH. */
export function requireSecretHash(client: AppClient, given: string | undefined): void {
  if (client.secret && !given) {
    throw new NotAuthorizedException(`Client ${client.id} is configured with secret but SECRET_HASH was not received`);
  }
}

/**
 * Checks SECRET_HASH against each of `usernames` (constant-time compares, all of them done).
 * @example checkSecretHash(client, params.SECRET_HASH, [typed, user.username])
 */
export function checkSecretHash(client: AppClient, given: string | undefined, usernames: (string | undefined)[]): void {
  if (!client.secret) return;
  requireSecretHash(client, given);
  let ok = false;
  // Every name against every active secret (two while one is being rotated), each compare done.
  for (const name of new Set(usernames.filter((n): n is string => !!n))) {
    for (const s of client.secrets) if (safeEqual(given!, secretHashOf(s.value, name, client.id))) ok = true;
  }
  if (!ok) throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
}
