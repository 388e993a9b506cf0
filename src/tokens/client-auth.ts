// Client authentication of the public token operations (GetTokensFromRefreshToken, RevokeToken):
// a confidential client (one with a secret) must send one of its active secrets; the comparisons
// are constant-time.
import { clientSecretMatches, type AppClient } from '../userpools/pools.js';

/** True for a public client, or when `given` is the client's secret. */
export function isClientSecretValid(client: AppClient, given: string | undefined): boolean {
  if (!client.secret) return true;
  return clientSecretMatches(client, given);
}
