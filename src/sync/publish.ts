// What Cognito Sync sends out after a change commits (identity-and-sync.md B.5), through SyncAws:
//
//   push sync       every device subscribed to the dataset, except the one that made the change
//                   (UpdateRecords' DeviceId), gets a silent push through SNS: an SNS platform
//                   endpoint is made for its token under the pool's application of the device's
//                   platform (at the first push; remembered), then Publish with one message per
//                   platform carrying { source: "cognito-sync", identityPoolId, identityId,
//                   datasetName, syncCount }.
//   Cognito Streams with StreamingStatus ENABLED, one Kinesis record per change on the pool's
//                   stream, partitioned by identity: { identityPoolId, identityId, dataSetName,
//                   operation, kinesisSyncRecords, lastModifiedDate, kinesisSyncRecordsURL,
//                   payloadType, syncCount }. Cognito puts records past Kinesis' 1 MB limit in S3
//                   and sends their URL; Tessera has no S3, so it splits them over several records
//                   of the same sync count instead, each "Inline".
//   bulk publish    every live dataset of the pool on the stream, then SUCCEEDED or FAILED.
//
// Deliveries run after the response, outside the request: a failure is logged and counted
// (tessera_sync_deliveries_total), never the caller's error, as in Cognito. The changes of one
// dataset go out in the order they committed (one chain per dataset in this process). At
// shutdown the changes queued are delivered and a bulk publish stops (recorded FAILED). Nothing
// is kept across a crash: a change not yet delivered when a process dies is not sent again (bulk
// publish is the way to replay a pool's data).
import type { Logger } from 'pino';
import { PublishCommand, CreatePlatformEndpointCommand } from '@aws-sdk/client-sns';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import type { Clock } from '../clock.js';
import { ResourceNotFoundException } from '../errors.js';
import { observeSyncDelivery } from '../metrics/metrics.js';
import type { SyncDatasetRow, SyncDeviceRow, SyncRecordRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { DatasetKey } from '../store/sync.js';
import type { SyncAws } from './aws.js';
import type { CognitoStreams, PushSync } from '../models/sync-types.js';
import type { PoolConfiguration } from './pool-settings.js';

/** Kinesis takes up to 1 MiB of data per record; the envelope is kept well below it. */
const KINESIS_RECORD_BYTES = 1_000_000;
const BULK_PAGE = 100;
/** A bulk publish shows it is alive this often (pool-settings.ts: BULK_PUBLISH_STALE_MS is 5 min). */
const HEARTBEAT_MS = 30_000;
const CLOSE_WAIT_MS = 10_000;
/** Deliveries waiting or under way beyond which new changes are not delivered (logged, counted). */
const MAX_PENDING = 10_000;
const STOPPED = 'The server stopped during the bulk publish; start it again.';
/** SNS errors of an endpoint deleted or disabled since it was made. */
const ENDPOINT_GONE = new Set(['NotFoundException', 'NotFound', 'EndpointDisabledException', 'EndpointDisabled']);
/** The platform segment of an SNS application ARN: arn:aws:sns:<region>:<account>:app/<PLATFORM>/<name>. */
const APP_PLATFORM = /:app\/([A-Z_]+)\//;

export interface SyncChangeDelivery {
  /** The records the change wrote (tombstones of `remove` included). */
  records: SyncRecordRow[];
  syncCount: number;
  /** The device that made the change (UpdateRecords' DeviceId): not pushed to. */
  deviceId?: string;
  /** The dataset was deleted (DeleteDataset). */
  removed?: boolean;
  at: number;
}

export interface StreamRecord {
  identityPoolId: string;
  identityId: string;
  dataSetName: string;
  operation: 'replace' | 'remove';
  kinesisSyncRecords: { key: string; value: string | null; syncCount: number; lastModifiedDate: number; deviceLastModifiedDate: number | null; op: 'replace' | 'remove' }[];
  lastModifiedDate: number;
  kinesisSyncRecordsURL: null;
  payloadType: 'Inline';
  syncCount: number;
}

export class SyncPublisher {
  /** The tail of each dataset's chain of deliveries. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private closing = false;
  private dropping = false;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      log: Logger;
      aws: SyncAws;
      configuration: (poolId: string) => Promise<PoolConfiguration>;
    },
  ) {}

  /** After a change to a dataset committed: push and stream it, in the background. */
  afterChange(k: DatasetKey, change: SyncChangeDelivery): void {
    if (this.running.size >= MAX_PENDING) {
      // AWS has been unreachable for a while: memory is not let grow without end.
      if (!this.dropping) this.deps.log.warn({ pending: this.running.size }, 'sync deliveries: too many pending, new changes are not delivered until they drain');
      this.dropping = true;
      observeSyncDelivery('change', 'dropped');
      return;
    }
    this.dropping = false;
    const key = `${k.poolId}\u0000${k.identityId}\u0000${k.name}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    // deliver() handles its own failures; this catch only keeps the chain going whatever happens.
    const next = previous.then(() => this.deliver(k, change)).catch((e: unknown) => {
      this.deps.log.error({ err: e, identityPoolId: k.poolId, identityId: k.identityId, datasetName: k.name }, 'sync delivery failed');
    });
    this.chains.set(key, next);
    this.track(next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    }));
  }

  /** Starts publishing every live dataset of the pool on its stream; `done` hears how it ended. */
  bulkPublish(poolId: string, streams: CognitoStreams, heartbeat: () => Promise<boolean>, done: (failure?: string) => Promise<void>): void {
    const job = this.publishAll(poolId, streams, heartbeat).then(
      () => done(),
      (e: unknown) => {
        const err = e as Error;
        if (err?.message === STOPPED) return done(STOPPED);
        this.deps.log.warn({ identityPoolId: poolId, stream: streams.StreamName, error: describe(e) }, 'sync bulk publish failed');
        // The AWS error's name for the API; its message (which can name accounts and principals) only in the log.
        return done(`Publishing to stream '${streams.StreamName}' failed: ${err?.name ?? 'Error'}. The server log has the details.`);
      },
    );
    this.track(job.catch((e: unknown) => this.deps.log.error({ err: e, identityPoolId: poolId }, 'sync bulk publish: could not record the outcome')));
  }

  /** Resolves once every delivery started so far has ended (tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /**
   * Shutdown: a bulk publish under way stops after the record it is putting and is recorded as
   * FAILED (start it again later); the changes already queued are delivered, for up to `waitMs`
   * (an unreachable AWS must not hold the process for minutes).
   */
  async close(waitMs = CLOSE_WAIT_MS): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      this.idle().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), waitMs);
      }),
    ]);
    clearTimeout(timer);
    if (gaveUp) this.deps.log.warn({ pending: this.running.size }, 'sync deliveries still under way at shutdown were abandoned');
  }

  private track(p: Promise<void>): void {
    const settled = p.catch(() => undefined);
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  private async deliver(k: DatasetKey, change: SyncChangeDelivery): Promise<void> {
    let config: PoolConfiguration;
    try {
      config = await this.deps.configuration(k.poolId);
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e; // else the pool is gone: nothing to send
      return;
    }
    const [pushed, streamed] = await Promise.allSettled([
      config.PushSync?.ApplicationArns?.length && config.PushSync.RoleArn ? this.push(k, change, config.PushSync) : undefined,
      config.CognitoStreams?.StreamingStatus === 'ENABLED' && config.CognitoStreams.StreamName && config.CognitoStreams.RoleArn
        ? this.stream(k, change, config.CognitoStreams)
        : undefined,
    ]);
    for (const [kind, r] of [['push', pushed], ['stream', streamed]] as const) {
      if (r.status === 'rejected') {
        this.deps.log.error({ err: r.reason, identityPoolId: k.poolId, identityId: k.identityId, datasetName: k.name }, `sync ${kind}: delivery failed`);
        observeSyncDelivery(kind, 'error');
      }
    }
  }

  // --- push sync ---

  private async push(k: DatasetKey, change: SyncChangeDelivery, push: PushSync): Promise<void> {
    const devices = (await this.deps.store.sync.subscribedDevices(k)).filter((d) => d.id !== change.deviceId);
    await Promise.all(devices.map((d) => this.pushTo(d, k, change.syncCount, push)));
  }

  private async pushTo(device: SyncDeviceRow, k: DatasetKey, syncCount: number, push: PushSync): Promise<void> {
    const app = push.ApplicationArns!.find((arn) => APP_PLATFORM.exec(arn)?.[1] === device.platform);
    const log = { identityPoolId: k.poolId, identityId: k.identityId, datasetName: k.name, deviceId: device.id };
    if (!app) {
      this.deps.log.warn(log, `sync push: the pool has no SNS application for platform ${device.platform}`);
      observeSyncDelivery('push', 'error');
      return;
    }
    const sns = this.deps.aws.sns(app, push.RoleArn!);
    // SNS answers the existing endpoint when the token already has one with the same attributes
    // under this application (none are set: the same phone may serve two identities).
    const makeEndpoint = async () => {
      const made = await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: device.token }));
      if (!made.EndpointArn) throw new Error('SNS CreatePlatformEndpoint returned no EndpointArn');
      await this.deps.store.sync.setDeviceEndpoint(device.id, made.EndpointArn, app);
      return made.EndpointArn;
    };
    const publish = (endpoint: string) => sns.send(new PublishCommand({ TargetArn: endpoint, MessageStructure: 'json', Message: pushMessage(k, syncCount) }));
    try {
      const kept = device.endpoint_app === app ? device.endpoint_arn : undefined;
      try {
        await publish(kept ?? (await makeEndpoint()));
      } catch (e) {
        // An endpoint SNS deleted or disabled since: made again once (a disabled one stays so
        // until its token is valid again, and is forgotten so the next change asks again).
        if (!kept || !ENDPOINT_GONE.has((e as Error).name)) throw e;
        await this.deps.store.sync.setDeviceEndpoint(device.id, null, null);
        await publish(await makeEndpoint());
      }
      observeSyncDelivery('push', 'ok');
    } catch (e) {
      this.deps.log.warn({ ...log, error: describe(e) }, 'sync push: not delivered');
      observeSyncDelivery('push', 'error');
    }
  }

  // --- Cognito Streams ---

  private async stream(k: DatasetKey, change: SyncChangeDelivery, streams: CognitoStreams): Promise<void> {
    const record: StreamRecord = {
      identityPoolId: k.poolId,
      identityId: k.identityId,
      dataSetName: k.name,
      operation: change.removed ? 'remove' : 'replace',
      kinesisSyncRecords: change.records.map(streamRecordOf),
      lastModifiedDate: change.at,
      kinesisSyncRecordsURL: null,
      payloadType: 'Inline',
      syncCount: change.syncCount,
    };
    try {
      await this.put(streams, record);
    } catch (e) {
      this.deps.log.warn({ identityPoolId: k.poolId, identityId: k.identityId, datasetName: k.name, stream: streams.StreamName, error: describe(e) }, 'sync stream: record not put');
    }
  }

  /** Puts the record on the stream, split over several when it is too large for one. */
  private async put(streams: CognitoStreams, record: StreamRecord): Promise<void> {
    const kinesis = this.deps.aws.kinesis(streams.RoleArn!);
    for (const part of splitRecord(record)) {
      try {
        await kinesis.send(new PutRecordCommand({ StreamName: streams.StreamName, PartitionKey: record.identityId, Data: Buffer.from(JSON.stringify(part), 'utf8') }));
        observeSyncDelivery('stream', 'ok');
      } catch (e) {
        observeSyncDelivery('stream', 'error');
        throw e;
      }
    }
  }

  private async publishAll(poolId: string, streams: CognitoStreams, heartbeat: () => Promise<boolean>): Promise<void> {
    let after: { identityId: string; name: string } | undefined;
    let beat = Date.now();
    for (;;) {
      const page = await this.deps.store.sync.listPoolDatasets(poolId, BULK_PAGE, after);
      for (const ds of page) {
        if (this.closing) throw new Error(STOPPED);
        if (Date.now() - beat > HEARTBEAT_MS) {
          if (!(await heartbeat())) throw new Error('this bulk publish is no longer the current one');
          beat = Date.now();
        }
        await this.put(streams, await this.snapshot(ds));
      }
      if (page.length < BULK_PAGE) return;
      const last = page[page.length - 1];
      after = { identityId: last.identity_id, name: last.name };
    }
  }

  /** A dataset's live records as one stream record (operation replace). */
  private async snapshot(ds: SyncDatasetRow): Promise<StreamRecord> {
    const k = { poolId: ds.pool_id, identityId: ds.identity_id, name: ds.name };
    const records: SyncRecordRow[] = [];
    let cursor: { syncCount: number; key: string } | undefined;
    for (;;) {
      const rows = await this.deps.store.sync.listChanges(k, 0, ds.sync_count, 1000, cursor);
      records.push(...rows.filter((r) => r.value !== null));
      if (rows.length < 1000) break;
      const tail = rows[rows.length - 1];
      cursor = { syncCount: tail.sync_count, key: tail.key };
    }
    return {
      identityPoolId: ds.pool_id,
      identityId: ds.identity_id,
      dataSetName: ds.name,
      operation: 'replace',
      kinesisSyncRecords: records.map(streamRecordOf),
      lastModifiedDate: ds.updated_at,
      kinesisSyncRecordsURL: null,
      payloadType: 'Inline',
      syncCount: ds.sync_count,
    };
  }
}

/** The push message: what the mobile SDKs read, per platform (MessageStructure json). */
export function pushMessage(k: DatasetKey, syncCount: number): string {
  const data = { source: 'cognito-sync', identityPoolId: k.poolId, identityId: k.identityId, datasetName: k.name, syncCount: String(syncCount) };
  const apns = JSON.stringify({ aps: { 'content-available': 1 }, data });
  return JSON.stringify({
    default: JSON.stringify(data),
    GCM: JSON.stringify({ data }),
    ADM: JSON.stringify({ data }),
    APNS: apns,
    APNS_SANDBOX: apns,
  });
}

const streamRecordOf = (r: SyncRecordRow): StreamRecord['kinesisSyncRecords'][number] => ({
  key: r.key,
  value: r.value,
  syncCount: r.sync_count,
  lastModifiedDate: r.updated_at,
  deviceLastModifiedDate: r.device_modified_at,
  op: r.value === null ? 'remove' : 'replace',
});

/** The record as it goes, or its records spread over copies of the envelope that each fit. */
export function splitRecord(record: StreamRecord): StreamRecord[] {
  if (Buffer.byteLength(JSON.stringify(record), 'utf8') <= KINESIS_RECORD_BYTES) return [record];
  const envelope = Buffer.byteLength(JSON.stringify({ ...record, kinesisSyncRecords: [] }), 'utf8');
  const parts: StreamRecord[] = [];
  let current: StreamRecord['kinesisSyncRecords'] = [];
  let size = envelope;
  for (const r of record.kinesisSyncRecords) {
    const bytes = Buffer.byteLength(JSON.stringify(r), 'utf8') + 1;
    if (current.length && size + bytes > KINESIS_RECORD_BYTES) {
      parts.push({ ...record, kinesisSyncRecords: current });
      current = [];
      size = envelope;
    }
    current.push(r);
    size += bytes;
  }
  parts.push({ ...record, kinesisSyncRecords: current });
  return parts;
}

/** An AWS error as a log line: its name and message, never the request. */
function describe(e: unknown): string {
  const err = e as { name?: string; message?: string };
  return `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`;
}
