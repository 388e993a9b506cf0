// Cognito Sync's quotas (identity-and-sync.md B.3, the AWS defaults) and Tessera's own knobs for
// sync, in one place. Change them here; nothing else types these numbers.
export const SYNC_LIMITS = {
  /** Datasets one identity may hold (deleted ones do not count). */
  datasetsPerIdentity: 20,
  /** Live records of one dataset (tombstones do not count). */
  recordsPerDataset: 1024,
  /** Bytes of one dataset: the UTF-8 sizes of its live records' keys and values. */
  bytesPerDataset: 1024 * 1024,
} as const;

export const SYNC_PAGING = {
  /** ListRecords page size when the request sets none, and the most it may ask for. */
  recordsDefault: 1024,
  recordsMax: 1024,
  /** ListDatasets and ListIdentityPoolUsage. */
  listDefault: 20,
  listMax: 60,
} as const;

/** How long a SyncSessionToken from ListRecords stays good for UpdateRecords. */
export const SYNC_SESSION_TTL_SECONDS = 15 * 60;

/** How often an idle change stream sends a comment line, so proxies keep it open. */
export const SYNC_STREAM_HEARTBEAT_SECONDS = 15;
