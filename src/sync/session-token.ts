// SyncSessionToken: issued by ListRecords, required by UpdateRecords (identity-and-sync.md B.2).
// A sealed blob (AES-GCM under the master key) naming the pool, identity and dataset it was issued
// for and when it expires, so any process can check it without a write. Concurrency is enforced
// by sync counts, not by the token: the token only proves a recent ListRecords of this dataset.
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import { InvalidParameterException } from '../errors.js';
import type { DatasetKey } from '../store/sync.js';
import { SYNC_SESSION_TTL_SECONDS } from './limits.js';

const PURPOSE = 'sync-session';

interface SessionClaims {
  p: string;
  i: string;
  d: string;
  /** expiry, epoch ms */
  e: number;
}

export function issueSyncSessionToken(sealer: Sealer, clock: Clock, k: DatasetKey): string {
  const claims: SessionClaims = { p: k.poolId, i: k.identityId, d: k.name, e: clock.now() + SYNC_SESSION_TTL_SECONDS * 1000 };
  return sealer.sealJson(PURPOSE, claims);
}

/** Throws InvalidParameterException unless the token is genuine, unexpired and for this dataset. */
export function checkSyncSessionToken(sealer: Sealer, clock: Clock, k: DatasetKey, token: string): void {
  const c = sealer.openJson<SessionClaims>(PURPOSE, token);
  if (!c || c.p !== k.poolId || c.i !== k.identityId || c.d !== k.name) {
    throw new InvalidParameterException('The sync session token is invalid for this dataset.');
  }
  if (c.e <= clock.now()) throw new InvalidParameterException('The sync session token has expired. Call ListRecords again.');
}
