// Pagination tokens for every list operation: opaque, tamper-evident (sealed under the master
// key), bound to the operation and its query (pool, filter, ...), and new on every page so a
// paginator never sees the same token twice. A token used with other parameters, or altered,
// is an InvalidParameterException.
import type { Sealer } from '../crypto/sealed.js';
import { InvalidParameterException } from '../errors.js';

const PURPOSE = 'page-token';

/** `scope` names the operation and every parameter the cursor depends on, e.g. `ListUsers|<pool>|<filter>`. */
export function encodePageToken(sealer: Sealer, scope: string, cursor: unknown): string {
  return sealer.sealJson(PURPOSE, { s: scope, c: cursor });
}

export function decodePageToken<T>(sealer: Sealer, scope: string, token: string | undefined): T | undefined {
  if (token === undefined) return undefined;
  const opened = sealer.openJson<{ s: string; c: T }>(PURPOSE, token);
  if (!opened || opened.s !== scope) throw new InvalidParameterException('The pagination token is invalid or does not belong to this request.');
  return opened.c;
}
