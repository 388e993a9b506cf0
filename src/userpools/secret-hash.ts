// SECRET_HASH: an app client with a secret proves it on public operations by sending
// base64(HMAC-SHA256(key = client secret, message = username + client id)) (api-surface.md §6).
import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/compare.js';
import { NotAuthorizedException } from '../errors.js';
import type { AppClient } from './pools.js';

/** The SECRET_HASH a client computes for `username` (as the caller sent it). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId, 'utf8').digest('base64');
}

/**
 * Checks the SECRET_HASH of a public request. A client without a secret needs none; one with a
 * secret must send the right one (constant-time comparison), else NotAuthorizedException in
 * Cognito's words.
 * @example checkSecretHash(client, input.Username, input.SecretHash)
 */
export function checkSecretHash(client: AppClient, username: string, given: string | undefined): void {
  if (!client.secret) return;
  if (!given) throw new NotAuthorizedException(`Client ${client.id} is configured with secret but SECRET_HASH was not received`);
  // Against every active secret (two while one is being rotated), each compare done.
  let ok = false;
  for (const s of client.secrets) ok = safeEqual(given, secretHash(s.value, username, client.id)) || ok;
  if (!ok) {
    throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
  }
}
