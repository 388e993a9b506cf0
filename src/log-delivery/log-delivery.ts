// A user pool's log export (SetLogDeliveryConfiguration / GetLogDeliveryConfiguration), delivered
// by Tessera to the AWS services Cognito delivers to:
//   userNotification, ERROR   failed e-mail and SMS deliveries        CloudWatch Logs
//   userAuthEvents,   INFO    the user activity of the audit trail    CloudWatch Logs, Amazon Data
//                             (sign-in steps, sign-up, recovery, ...;  Firehose or Amazon S3
//                             not AdminAction)
// One configuration per event source. Records are JSON objects (the shape below), queued in
// memory per pool and destination and sent about a second later in batches, each destination on
// its own (a slow one holds up no other): PutLogEvents to a log stream named after this process
// (made at its first use, made again if it was deleted), PutRecordBatch to the delivery stream
// (one record per event, newline-terminated; records it refuses are sent once more), or one
// newline-delimited object per batch in the bucket under `<eventSource>/<poolId>/<yyyy>/<mm>/<dd>/`.
// Delivery never holds up or fails a request: a call that fails after the SDK's own retries is
// logged with the count of records lost, and the rest of that destination's queue waits for the
// next round. A shutdown sends what is queued, for at most CLOSE_WAIT_MS.
//
// Where the calls go: AWS (the region of each ARN) with Tessera's own credentials, or
// TESSERA_CLOUDWATCH_LOGS_ENDPOINT, TESSERA_FIREHOSE_ENDPOINT and TESSERA_S3_ENDPOINT (LocalStack,
// a test server). Cognito delivers through its service-linked role; Tessera has none, so its own
// credentials must be allowed to write to the destinations, and the account in an ARN is not
// used: the log group or stream of that name in the credentials' account is the one written.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { credentialsFor } from '../aws-credentials.js';
import type { Clock } from '../clock.js';
import { InvalidParameterException } from '../errors.js';
import type { LogConfigurationType } from '../models/idp-types.js';
import type { UserPool, UserPools } from '../userpools/pools.js';

export type EventSource = LogConfigurationType['EventSource'];

/** One exported record. */
export interface LogRecord {
  eventTimestamp: number;
  eventSource: EventSource;
  logLevel: 'ERROR' | 'INFO';
  userPoolId: string;
  [key: string]: unknown;
}

export interface LogDeliveryTargets {
  region: string;
  cloudWatchLogsEndpoint?: string;
  firehoseEndpoint?: string;
  s3Endpoint?: string;
}

const LEVEL: Record<EventSource, 'ERROR' | 'INFO'> = { userNotification: 'ERROR', userAuthEvents: 'INFO' };
const FLUSH_MS = 1000;
const CLOSE_WAIT_MS = 10_000;
/** A batch stays well under PutLogEvents' 1 MiB and PutRecordBatch's 4 MiB requests. */
const MAX_BATCH_BYTES = 768 * 1024;
/** PutLogEvents and PutRecordBatch take at most 10,000 and 500 records a call. */
const MAX_BATCH = 500;
/** Past this many queued records per destination the oldest are dropped (and counted in the log). */
const MAX_QUEUED = 10_000;
const HTTP = { connectionTimeout: 5_000, requestTimeout: 10_000 };
const LOG_GROUP = /^arn:[\w-]+:logs:([a-z0-9-]+):\d{12}:log-group:([^:]+)(:\*)?$/;
const FIREHOSE = /^arn:[\w-]+:firehose:([a-z0-9-]+):\d{12}:deliverystream\/(.+)$/;
const BUCKET = /^arn:[\w-]+:s3:::([^/]+)$/;

/**
 * SetLogDeliveryConfiguration's checks beyond the model's: one configuration per event source,
 * the level that source takes, and one destination it can go to.
 */
export function checkLogConfigurations(configs: LogConfigurationType[]): LogConfigurationType[] {
  const seen = new Set<string>();
  return configs.map((c) => {
    if (seen.has(c.EventSource)) throw new InvalidParameterException(`Only one log configuration is allowed for the event source ${c.EventSource}.`);
    seen.add(c.EventSource);
    if (c.LogLevel !== LEVEL[c.EventSource]) {
      throw new InvalidParameterException(`The event source ${c.EventSource} takes the log level ${LEVEL[c.EventSource]}.`);
    }
    const destinations = [c.CloudWatchLogsConfiguration, c.FirehoseConfiguration, c.S3Configuration].filter(Boolean);
    if (destinations.length !== 1) throw new InvalidParameterException('A log configuration needs exactly one destination.');
    if (c.EventSource === 'userNotification' && !c.CloudWatchLogsConfiguration) {
      throw new InvalidParameterException('userNotification logs can only be delivered to CloudWatch Logs.');
    }
    if (c.CloudWatchLogsConfiguration && !LOG_GROUP.test(c.CloudWatchLogsConfiguration.LogGroupArn ?? '')) {
      throw new InvalidParameterException('LogGroupArn must be the ARN of a CloudWatch Logs log group.');
    }
    if (c.FirehoseConfiguration && !FIREHOSE.test(c.FirehoseConfiguration.StreamArn ?? '')) {
      throw new InvalidParameterException('StreamArn must be the ARN of an Amazon Data Firehose delivery stream.');
    }
    if (c.S3Configuration && !BUCKET.test(c.S3Configuration.BucketArn ?? '')) throw new InvalidParameterException('BucketArn must be the ARN of an Amazon S3 bucket.');
    const out: LogConfigurationType = { LogLevel: c.LogLevel, EventSource: c.EventSource };
    if (c.CloudWatchLogsConfiguration) out.CloudWatchLogsConfiguration = { LogGroupArn: c.CloudWatchLogsConfiguration.LogGroupArn };
    if (c.FirehoseConfiguration) out.FirehoseConfiguration = { StreamArn: c.FirehoseConfiguration.StreamArn };
    if (c.S3Configuration) out.S3Configuration = { BucketArn: c.S3Configuration.BucketArn };
    return out;
  });
}

/** A pool's queue for one destination: its key is the pool id and the destination ARN. */
interface Queue {
  config: LogConfigurationType;
  records: LogRecord[];
  dropped: number;
}

export class LogDelivery {
  private readonly queues = new Map<string, Queue>();
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;
  /** emit() calls still reading their pool: a shutdown waits for them. */
  private readonly emitting = new Set<Promise<void>>();
  private closed = false;
  private logs?: Map<string, CloudWatchLogsClient>;
  private firehose?: Map<string, FirehoseClient>;
  private s3?: Map<string, S3Client>;
  /** Log streams made (or found) by this process, by log group ARN. */
  private readonly streams = new Map<string, Promise<void>>();
  private readonly streamName = `tessera-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(private readonly deps: { pools: UserPools; clock: Clock; log: Logger; targets: LogDeliveryTargets }) {}

  /**
   * Queues a record of `source` for the pool, if the pool exports that source (no read when the
   * pool is cached). Never throws: what goes wrong is logged.
   */
  emit(poolId: string | undefined, source: EventSource, fields: Record<string, unknown>): void {
    if (!poolId || this.closed) return;
    const p = this.enqueue(poolId, source, fields).catch((err: Error) => this.deps.log.warn({ poolId, err: err.message }, 'log delivery: a record was not queued'));
    this.emitting.add(p);
    void p.finally(() => this.emitting.delete(p));
  }

  private async enqueue(poolId: string, source: EventSource, fields: Record<string, unknown>): Promise<void> {
    let pool: UserPool;
    try {
      pool = await this.deps.pools.get(poolId);
    } catch {
      return; // a deleted pool exports nothing
    }
    const configs = pool.settings.LogDeliveryConfiguration;
    const config = Array.isArray(configs) ? configs.find((c) => c?.EventSource === source) : undefined;
    if (!config) return;
    const key = `${poolId} ${destinationOf(config)}`;
    let q = this.queues.get(key);
    if (!q) this.queues.set(key, (q = { config, records: [], dropped: 0 }));
    q.config = config;
    q.records.push({ eventTimestamp: this.deps.clock.now(), eventSource: source, logLevel: LEVEL[source], userPoolId: poolId, ...fields });
    if (q.records.length > MAX_QUEUED) {
      q.records.shift();
      q.dropped++;
    }
    if (!this.timer && !this.closed) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Sends everything queued (one round at a time, the destinations side by side); never throws. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.emitting.size) await Promise.allSettled([...this.emitting]);
    while (this.sending) await this.sending;
    const queues = [...this.queues.entries()].filter(([, q]) => q.records.length);
    if (!queues.length) return;
    this.sending = Promise.allSettled(queues.map(([key, q]) => this.sendQueue(key, q))).then(() => undefined);
    try {
      await this.sending;
    } finally {
      this.sending = undefined;
    }
  }

  /** One destination's queue, in batches; after a failed batch the rest waits for the next round. */
  private async sendQueue(key: string, q: Queue): Promise<void> {
    if (q.dropped) {
      this.deps.log.warn({ destination: key, dropped: q.dropped }, 'log delivery: records dropped, the queue was full');
      q.dropped = 0;
    }
    while (q.records.length) {
      const part = takeBatch(q.records);
      try {
        await this.send(q.config, part);
      } catch (err) {
        this.deps.log.warn({ destination: key, lost: part.length, err: (err as Error).message }, 'log delivery failed; the batch is lost');
        if (q.records.length && !this.closed) {
          this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
          this.timer.unref?.();
        }
        return;
      }
    }
  }

  private async send(config: LogConfigurationType, records: LogRecord[]): Promise<void> {
    const t = this.deps.targets;
    if (config.CloudWatchLogsConfiguration) {
      const [, region, group] = LOG_GROUP.exec(config.CloudWatchLogsConfiguration.LogGroupArn!)!;
      const client = clientFor((this.logs ??= new Map()), region!, () => new CloudWatchLogsClient(clientConfig(region!, t.cloudWatchLogsEndpoint)));
      const groupArn = config.CloudWatchLogsConfiguration.LogGroupArn!;
      const logEvents = records.map((r) => ({ timestamp: r.eventTimestamp, message: JSON.stringify(r) })).sort((a, b) => a.timestamp - b.timestamp);
      const put = async () => {
        await this.ensureStream(client, groupArn, group!);
        return client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: this.streamName, logEvents }));
      };
      const r = await put().catch((e: Error) => {
        // The stream was deleted since this process made it: made again, once.
        if (e.name !== 'ResourceNotFoundException' || !this.streams.has(groupArn)) throw e;
        this.streams.delete(groupArn);
        return put();
      });
      const rejected = r.rejectedLogEventsInfo;
      if (rejected) this.deps.log.warn({ destination: groupArn, rejected }, 'log delivery: CloudWatch Logs refused some events (too old, too new or expired)');
    } else if (config.FirehoseConfiguration) {
      const [, region, stream] = FIREHOSE.exec(config.FirehoseConfiguration.StreamArn!)!;
      const client = clientFor((this.firehose ??= new Map()), region!, () => new FirehoseClient(clientConfig(region!, t.firehoseEndpoint)));
      let pending = records.map((x) => ({ Data: Buffer.from(JSON.stringify(x) + '\n') }));
      // Records the stream refuses (throttled, ...) are sent once more; the SDK retries whole calls only.
      for (let attempt = 0; attempt < 2 && pending.length; attempt++) {
        const r = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: pending }));
        pending = r.FailedPutCount ? pending.filter((_, i) => r.RequestResponses?.[i]?.ErrorCode) : [];
      }
      if (pending.length) throw new Error(`${pending.length} of ${records.length} records refused by the delivery stream`);
    } else if (config.S3Configuration) {
      const [, bucket] = BUCKET.exec(config.S3Configuration.BucketArn!)!;
      // A bucket's region is not in its ARN: Tessera's, as the SDK follows a redirect if it differs.
      const client = clientFor((this.s3 ??= new Map()), t.region, () => new S3Client({ ...clientConfig(t.region, t.s3Endpoint), forcePathStyle: !!t.s3Endpoint, followRegionRedirects: true }));
      const first = new Date(records[0]!.eventTimestamp).toISOString();
      const key = `${records[0]!.eventSource}/${records[0]!.userPoolId}/${first.slice(0, 4)}/${first.slice(5, 7)}/${first.slice(8, 10)}/${first.replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}.json`;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: records.map((x) => JSON.stringify(x)).join('\n') + '\n', ContentType: 'application/x-ndjson' }));
    }
  }

  /** This process's log stream in the group, made once (one that exists already is fine). */
  private ensureStream(client: CloudWatchLogsClient, groupArn: string, group: string): Promise<void> {
    let made = this.streams.get(groupArn);
    if (!made) {
      made = client
        .send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: this.streamName }))
        .then(() => undefined)
        .catch((e: Error) => {
          if (e.name === 'ResourceAlreadyExistsException') return;
          this.streams.delete(groupArn);
          throw e;
        });
      this.streams.set(groupArn, made);
    }
    return made;
  }

  /** Sends what is queued, waiting at most CLOSE_WAIT_MS (app.close, after the audit trail's last writes). */
  async close(): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timeout = setTimeout(resolve, CLOSE_WAIT_MS)));
    await Promise.race([this.flush(), waited]);
    clearTimeout(timeout);
    this.closed = true;
    clearTimeout(this.timer);
    for (const clients of [this.logs, this.firehose, this.s3]) for (const c of clients?.values() ?? []) c.destroy();
  }
}

/** The first records of the queue, at most MAX_BATCH of them and MAX_BATCH_BYTES of JSON. */
function takeBatch(records: LogRecord[]): LogRecord[] {
  let n = 0;
  let bytes = 0;
  while (n < records.length && n < MAX_BATCH) {
    bytes += Buffer.byteLength(JSON.stringify(records[n])) + 64;
    if (n > 0 && bytes > MAX_BATCH_BYTES) break;
    n++;
  }
  return records.splice(0, n);
}

function destinationOf(c: LogConfigurationType): string {
  return c.CloudWatchLogsConfiguration?.LogGroupArn ?? c.FirehoseConfiguration?.StreamArn ?? c.S3Configuration?.BucketArn ?? '';
}

function clientFor<C>(clients: Map<string, C>, region: string, make: () => C): C {
  let c = clients.get(region);
  if (!c) clients.set(region, (c = make()));
  return c;
}

function clientConfig(region: string, endpoint: string | undefined) {
  return { region, endpoint, credentials: credentialsFor(endpoint), maxAttempts: 3, requestHandler: HTTP };
}
