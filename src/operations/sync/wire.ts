// What the sync operations share: wire shapes (PascalCase, epoch seconds) from the domain's types,
// the actor recorded as LastModifiedBy, and one named remap step.
import { CognitoException, InvalidParameterException } from '../../errors.js';
import type {
  Dataset as WireDataset,
  IdentityPoolUsage,
  Record as WireRecord,
  RecordPatch as WirePatch,
} from '../../models/sync-types.js';
import type { Principal } from '../../protocol/sigv4.js';
import type { DatasetKey } from '../../store/sync.js';
import type { Dataset } from '../../sync/datasets.js';
import type { RecordPatch, SyncRecord } from '../../sync/records.js';
import type { PoolUsage } from '../../sync/usage.js';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export function datasetKey(input: { IdentityPoolId: string; IdentityId: string; DatasetName: string }): DatasetKey {
  return { poolId: input.IdentityPoolId, identityId: input.IdentityId, name: input.DatasetName };
}

export function toWireDataset(d: Dataset): WireDataset {
  return {
    IdentityId: d.identityId,
    DatasetName: d.name,
    CreationDate: seconds(d.createdAt),
    LastModifiedDate: seconds(d.updatedAt),
    LastModifiedBy: d.lastModifiedBy,
    DataStorage: d.bytes,
    NumRecords: d.numRecords,
  };
}

export function toWireRecord(r: SyncRecord): WireRecord {
  return {
    Key: r.key,
    Value: r.value,
    SyncCount: r.syncCount,
    LastModifiedDate: seconds(r.updatedAt),
    LastModifiedBy: r.lastModifiedBy,
    DeviceLastModifiedDate: seconds(r.deviceModifiedAt),
  };
}

export function fromWirePatch(p: WirePatch): RecordPatch {
  return {
    op: p.Op,
    key: p.Key,
    value: p.Value,
    syncCount: p.SyncCount,
    deviceModifiedAt: p.DeviceLastModifiedDate === undefined ? undefined : Math.round(p.DeviceLastModifiedDate * 1000),
  };
}

/**
 * LastModifiedBy of a change: the device that made it when the request names one, else the
 * identity acting, or `admin` (the admin access key id is not shown to end users' devices).
 */
export function actorOf(principal: Principal | undefined, deviceId?: string): string {
  return deviceId ?? (principal?.kind === 'identity' ? principal.identityId! : 'admin');
}

/**
 * ListDatasets and ListRecords do not list ResourceNotFoundException in the model: an unknown pool
 * or identity is reported to them as InvalidParameterException with the same message.
 */
export async function notFoundAsInvalidParameter<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CognitoException && e.name === 'ResourceNotFoundException') throw new InvalidParameterException(e.message);
    throw e;
  }
}

export function toWirePoolUsage(u: PoolUsage): IdentityPoolUsage {
  return {
    IdentityPoolId: u.identityPoolId,
    SyncSessionsCount: u.syncSessionsCount,
    DataStorage: u.bytes,
    LastModifiedDate: seconds(u.lastModifiedAt),
  };
}
